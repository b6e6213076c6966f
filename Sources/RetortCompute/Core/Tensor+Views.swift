// Cheap views: reshape (of contiguous data), transpose/permute (strided),
// and slicing along the first axis. Each records its gradient.

extension Tensor {
  /// The same elements with a new shape; one dimension may be -1 (inferred).
  /// A view when the tensor is contiguous, otherwise a copy.
  /// - Throws: if the element counts differ or more than one -1 is given.
  public func reshaped(_ newShape: [Int]) throws -> Tensor {
    var shape = newShape
    let unknown = shape.indices.filter { shape[$0] == -1 }
    guard unknown.count <= 1 else {
      throw ComputeError("reshape: only one dimension can be -1, got \(shapeString(newShape))")
    }
    if let u = unknown.first {
      let known = shape.enumerated().filter { $0.offset != u }.reduce(1) { $0 * $1.element }
      guard known > 0, count % known == 0 else {
        throw ComputeError("reshape: cannot reshape \(shapeString(self.shape)) (\(count) elements) into \(shapeString(newShape))")
      }
      shape[u] = count / known
    }
    let n = try Tensor.checkedCount(shape, what: "reshape")
    guard n == count else {
      throw ComputeError("reshape: cannot reshape \(shapeString(self.shape)) (\(count) elements) into \(shapeString(newShape)) (\(n) elements)")
    }
    let base = contiguous()
    let out = Tensor(storage: base.storage, shape: shape, strides: Tensor.rowMajorStrides(shape), offset: base.offset, dtype: dtype)
    let inShape = self.shape
    out.record("reshape", [self]) { g in [try g.reshaped(inShape)] }
    return out
  }

  /// A view with dimensions reordered: result dim i is input dim `order[i]`.
  /// - Throws: if `order` is not a permutation of the dimensions.
  public func permuted(_ order: [Int]) throws -> Tensor {
    let r = rank
    let norm = order.map { $0 < 0 ? $0 + r : $0 }
    guard norm.count == r, Set(norm) == Set(0..<r) else {
      throw ComputeError("permute: \(shapeString(order)) is not a permutation of the \(r) dimensions of a tensor of shape \(shapeString(shape))")
    }
    let out = Tensor(storage: storage, shape: norm.map { shape[$0] }, strides: norm.map { strides[$0] }, offset: offset, dtype: dtype)
    var inverse = [Int](repeating: 0, count: r)
    for (i, d) in norm.enumerated() { inverse[d] = i }
    out.record("permute", [self]) { g in [try g.permuted(inverse)] }
    return out
  }

  /// Swaps two dimensions (a strided view); 0-d and 1-d tensors are returned unchanged.
  public func transposed(_ a: Int = -2, _ b: Int = -1) throws -> Tensor {
    let r = rank
    if r < 2 {
      // Nothing to swap (`.T` of a vector is the vector), but named axes must exist.
      guard [a, b].allSatisfy({ $0 >= -2 && $0 < Swift.max(r, 1) }) else {
        throw ComputeError("transpose: axes \(a) and \(b) are out of range for a tensor with \(r) dimension\(r == 1 ? "" : "s")")
      }
      return self
    }
    let x = a < 0 ? a + r : a, y = b < 0 ? b + r : b
    guard x >= 0, x < r, y >= 0, y < r else {
      throw ComputeError("transpose: axes \(a) and \(b) are out of range for a tensor with \(r) dimensions")
    }
    var order = Array(0..<r)
    order.swapAt(x, y)
    return try permuted(order)
  }

  /// The transpose (last two axes swapped; 0-d and 1-d tensors unchanged).
  public var T: Tensor { (try? transposed()) ?? self }

  /// Rows `range` of the first axis, as a view sharing storage.
  /// - Throws: if the tensor is 0-d or the range is out of bounds.
  public func slice(_ range: Range<Int>) throws -> Tensor {
    guard rank >= 1 else { throw ComputeError("slice: cannot slice a 0-d tensor") }
    guard range.lowerBound >= 0, range.upperBound <= shape[0] else {
      throw ComputeError("slice: range \(range.lowerBound)..<\(range.upperBound) is out of bounds for axis 0 with size \(shape[0])")
    }
    var s = shape
    s[0] = range.count
    let out = Tensor(storage: storage, shape: s, strides: strides, offset: offset + range.lowerBound * strides[0], dtype: dtype)
    let full = shape
    out.record("slice", [self]) { g in
      let z = try Tensor.zeros(full)
      try z.slice(range).assign(g)
      return [z]
    }
    return out
  }

  /// Adds a size-1 dimension at `axis`.
  public func unsqueezed(_ axis: Int) throws -> Tensor {
    let a = axis < 0 ? axis + rank + 1 : axis
    guard a >= 0, a <= rank else {
      throw ComputeError("unsqueeze: axis \(axis) is out of range for a tensor with \(rank) dimensions")
    }
    var s = shape
    s.insert(1, at: a)
    return try reshaped(s)
  }

  /// Copies `src` (broadcast to this shape) into this tensor's elements in place.
  /// - Throws: if shapes cannot broadcast, or if this tensor takes part in autodiff.
  public func assign(_ src: Tensor) throws {
    let b = try src.broadcast(to: shape, op: "assign")
    storage.version &+= 1
    let vals = b.toArray()
    if isContiguous {
      vals.withUnsafeBufferPointer { if count > 0 { mutablePointer.update(from: $0.baseAddress!, count: count) } }
      return
    }
    var i = 0
    forEachOffset { off in storage.pointer[off] = vals[i]; i += 1 }
  }

  /// Calls `body` with the storage offset of every element in row-major order.
  func forEachOffset(_ body: (Int) -> Void) {
    if count == 0 { return }
    let r = rank
    if r == 0 { body(offset); return }
    var index = [Int](repeating: 0, count: r)
    var off = offset
    for _ in 0..<count {
      body(off)
      var d = r - 1
      while d >= 0 {
        index[d] += 1
        off += strides[d]
        if index[d] < shape[d] { break }
        off -= strides[d] * shape[d]
        index[d] = 0
        d -= 1
      }
    }
  }
}
