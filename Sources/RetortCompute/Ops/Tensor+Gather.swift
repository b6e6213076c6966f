// PyTorch's gather (take_along_dim when the sizes match): one element per
// index position, picked along one axis. For axis 1 of a 3-d tensor,
// out[i][j][k] = self[i][index[i][j][k]][k]. NumPy's take is `take`.

extension Tensor {
  /// Picks, for every position of `index`, the element of this tensor at
  /// that position with the `axis` coordinate replaced by the index value
  /// (torch.gather). The result has the index's shape; the index has this
  /// tensor's number of dimensions and, on every other axis, a size no
  /// larger than this tensor's. Negative values count from the end of the
  /// axis. Gradients scatter-add back (repeated picks add up).
  /// - Throws: on a 0-d tensor, a rank or size mismatch, or an index out of range.
  /// - Complexity: O(index count).
  public func gather(_ index: [Int], shape ishape: [Int], axis: Int) throws -> Tensor {
    guard rank >= 1 else { throw ComputeError("gather: cannot gather from a 0-d tensor") }
    let a = try normalizedAxis(axis, op: "gather")
    guard ishape.count == rank else {
      throw ComputeError("gather: the index has shape \(shapeString(ishape)) but the tensor has shape \(shapeString(shape)); "
                         + "they need the same number of dimensions (use unsqueeze, e.g. targets.unsqueeze(-1))")
    }
    for d in 0..<rank where d != a && ishape[d] > shape[d] {
      throw ComputeError("gather: the index has size \(ishape[d]) in dimension \(d) but the tensor only \(shape[d]) "
                         + "(index shape \(shapeString(ishape)), tensor shape \(shapeString(shape)))")
    }
    guard ishape.reduce(1, *) == index.count else {
      throw ComputeError("gather: \(index.count) indices do not fill index shape \(shapeString(ishape))")
    }
    // Row-major offsets into this tensor of every index position, with its own value on `axis`.
    let full = Tensor.rowMajorStrides(shape)
    var axisFree = full
    axisFree[a] = 0
    let base = Tensor.offsets(ishape, strides: axisFree)
    let offsets = try zip(base, index).map { b, i in b + (try checkedIndex(i, axis: a, op: "gather")) * full[a] }
    let out = try Tensor(uninitialized: ishape, what: "gather").tagged(dtype)
    let dense = contiguous()
    withExtendedLifetime(dense) {
      let src = dense.pointer, dst = out.mutablePointer
      for (j, o) in offsets.enumerated() { dst[j] = src[o] }
    }
    let inShape = shape
    out.record("gather", [self]) { g in
      let z = try Tensor.zeros(inShape)
      let gd = g.contiguous()
      withExtendedLifetime(gd) {
        let gp = gd.pointer, zp = z.mutablePointer
        for (j, o) in offsets.enumerated() { zp[o] += gp[j] }
      }
      return [z]
    }
    return out
  }

  /// `gather` with the index given as a tensor of whole numbers.
  public func gather(_ index: Tensor, axis: Int) throws -> Tensor {
    try gather(try index.integerValues(op: "gather"), shape: index.shape, axis: axis)
  }
}
