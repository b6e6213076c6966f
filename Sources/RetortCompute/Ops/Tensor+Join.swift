// concat, stack and split along an axis, with gradients.

extension Tensor {
  /// Joins tensors along an existing `axis`; all other dimensions must match.
  /// - Throws: on an empty list, mismatched ranks or sizes.
  public static func concat(_ tensors: [Tensor], axis: Int = 0) throws -> Tensor {
    guard let first = tensors.first else { throw ComputeError("concat: needs at least one tensor") }
    guard first.rank >= 1 else { throw ComputeError("concat: cannot concatenate 0-d tensors; use stack") }
    let a = try first.normalizedAxis(axis, op: "concat")
    var total = 0
    for (i, t) in tensors.enumerated() {
      guard t.rank == first.rank else {
        throw ComputeError("concat: tensor \(i) has shape \(shapeString(t.shape)) but tensor 0 has \(shapeString(first.shape)) (different number of dimensions)")
      }
      for d in 0..<t.rank where d != a && t.shape[d] != first.shape[d] {
        throw ComputeError("concat: tensor \(i) has shape \(shapeString(t.shape)), expected \(first.shape[d]) in dimension \(d) as in \(shapeString(first.shape))")
      }
      total += t.shape[a]
    }
    var shape = first.shape
    shape[a] = total
    let out = try Tensor(uninitialized: shape, what: "concat")
    let outer = shape[..<a].reduce(1, *), inner = shape[(a + 1)...].reduce(1, *)
    var offset = 0
    for t in tensors {
      let c = t.contiguous()
      defer { withExtendedLifetime(c) {} }  // raw pointers into it are used below
      let chunk = t.shape[a] * inner
      for o in 0..<outer {
        (out.mutablePointer + o * total * inner + offset).update(from: c.pointer + o * chunk, count: chunk)
      }
      offset += chunk
    }
    if tensors.allSatisfy({ $0.dtype == .bool }) { out.tagged(.bool) }
    let sizes = tensors.map { $0.shape[a] }
    out.record("concat", tensors) { g in try g.split(sizes: sizes, axis: a) }
    return out
  }

  /// Joins same-shaped tensors along a new `axis`.
  public static func stack(_ tensors: [Tensor], axis: Int = 0) throws -> Tensor {
    guard let first = tensors.first else { throw ComputeError("stack: needs at least one tensor") }
    for (i, t) in tensors.enumerated() where t.shape != first.shape {
      throw ComputeError("stack: tensor \(i) has shape \(shapeString(t.shape)) but tensor 0 has \(shapeString(first.shape))")
    }
    let a = axis < 0 ? axis + first.rank + 1 : axis
    guard a >= 0, a <= first.rank else {
      throw ComputeError("stack: axis \(axis) is out of range for tensors with \(first.rank) dimensions")
    }
    return try concat(tensors.map { try $0.unsqueezed(a) }, axis: a)
  }

  /// Splits along `axis` into pieces of the given sizes (which must sum to the dimension).
  public func split(sizes: [Int], axis: Int = 0) throws -> [Tensor] {
    let a = try normalizedAxis(axis, op: "split")
    guard sizes.allSatisfy({ $0 >= 0 }), sizes.reduce(0, +) == shape[a] else {
      throw ComputeError("split: sizes \(shapeString(sizes)) do not add up to \(shape[a]), the size of axis \(axis) of \(shapeString(shape))")
    }
    var start = 0
    var parts: [Tensor] = []
    for s in sizes {
      parts.append(try slice(axis: a, start: start, end: start + s).contiguousRecorded())
      start += s
    }
    return parts
  }

  /// Splits along `axis` into `count` equal pieces.
  public func split(count: Int, axis: Int = 0) throws -> [Tensor] {
    let a = try normalizedAxis(axis, op: "split")
    guard count > 0, shape[a] % count == 0 else {
      throw ComputeError("split: axis \(axis) of size \(shape[a]) cannot be split into \(count) equal parts")
    }
    return try split(sizes: [Int](repeating: shape[a] / count, count: count), axis: a)
  }

  /// A contiguous copy that keeps the gradient link (identity gradient).
  public func contiguousRecorded() throws -> Tensor {
    if isContiguous { return self }
    let out = try contiguousCopy()
    out.record("contiguous", [self]) { g in [g] }
    return out
  }
}
