// `t[parts]` and `t[parts] = value` with NumPy semantics (see
// IndexSelection.swift): integers and slices give a view that shares
// storage; index lists and bool masks give a copy whose gradient is
// scatter-added back (repeated positions add up, as in PyTorch).

extension Tensor {
  /// The elements a subscript selects: a view for integers and slices, a
  /// copy when an index list or a bool mask is present.
  /// - Throws: on too many indices, an index out of range (naming the axis of
  ///   this tensor), a mask whose shape does not match, index lists that do
  ///   not broadcast, or an ambiguous mix of integers and lists.
  public func subscripted(_ parts: [TensorIndex]) throws -> Tensor {
    guard parts.contains(where: \.isAdvanced) else { return try basicView(parts) }
    let dense = contiguous()
    guard let sel = try dense.selection(parts) else { return try basicView(parts) }
    let out = try Tensor(uninitialized: sel.shape, what: "index").tagged(dtype)
    withExtendedLifetime(dense) {
      let src = dense.storage.pointer, dst = out.mutablePointer
      var j = 0
      sel.forEachOffset { dst[j] = src[$0]; j += 1 }
    }
    let full = shape, base = dense.offset
    out.record("index", [self]) { g in
      let z = try Tensor.zeros(full)
      let gd = g.contiguous()
      withExtendedLifetime(gd) {
        let gp = gd.pointer, zp = z.mutablePointer
        var j = 0
        sel.forEachOffset { zp[$0 - base] += gp[j]; j += 1 }
      }
      return [z]
    }
    return out
  }

  /// Writes `value` into the elements a subscript selects, broadcasting it
  /// after dropping its leading size-1 dimensions (as NumPy); a bool tensor
  /// stores whether each value is non-zero.
  /// - Throws: as `subscripted`, if the value does not broadcast to the
  ///   selection, or if this tensor takes part in autodiff.
  public func assignSubscript(_ parts: [TensorIndex], _ value: Tensor) throws {
    try checkWritable()
    storage.version &+= 1
    try Tensor.noGrad {
      let v = dtype == .bool ? try value.compare(.notEqual, Tensor(scalar: 0)) : value
      guard let sel = try selection(parts) else {
        let target = try basicView(parts)
        try target.assign(v.droppingLeadingOnes(toRank: target.rank))
        return
      }
      let vals = try v.droppingLeadingOnes(toRank: sel.shape.count).broadcast(to: sel.shape, op: "index assignment").toArray()
      let p = storage.pointer
      var j = 0
      sel.forEachOffset { p[$0] = vals[j]; j += 1 }
    }
  }

  /// This tensor without leading size-1 dimensions beyond `rank` dimensions.
  func droppingLeadingOnes(toRank rank: Int) throws -> Tensor {
    var t = self
    while t.rank > rank, t.shape[0] == 1 { t = try t.reshaped(Array(t.shape.dropFirst())) }
    return t
  }
}
