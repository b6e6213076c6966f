// NumPy broadcasting: shapes are aligned from the right; each dimension
// pair must be equal or contain a 1. Gradients of broadcast inputs are
// summed back over the broadcast dimensions (`sumTo`).

extension Tensor {
  /// The broadcast shape of `a` and `b`, or a clear error naming `op`.
  public static func broadcastShape(_ a: [Int], _ b: [Int], op: String) throws -> [Int] {
    let r = Swift.max(a.count, b.count)
    var out = [Int](repeating: 1, count: r)
    for i in 0..<r {
      let x = i < r - a.count ? 1 : a[i - (r - a.count)]
      let y = i < r - b.count ? 1 : b[i - (r - b.count)]
      guard x == y || x == 1 || y == 1 else {
        throw ComputeError("\(op): shapes \(shapeString(a)) and \(shapeString(b)) cannot be broadcast together: dimension \(i) is \(x) vs \(y)")
      }
      out[i] = x == 1 ? y : x
    }
    return out
  }

  /// A (strided, zero-stride) view of this tensor broadcast to `target`.
  func broadcastView(to target: [Int], op: String) throws -> Tensor {
    if shape == target { return self }
    let r = target.count
    guard rank <= r else {
      throw ComputeError("\(op): cannot broadcast shape \(shapeString(shape)) to \(shapeString(target))")
    }
    var st = [Int](repeating: 0, count: r)
    for i in 0..<r {
      let j = i - (r - rank)
      if j < 0 { continue }
      if shape[j] == target[i] { st[i] = strides[j] }
      else if shape[j] == 1 { st[i] = 0 }
      else {
        throw ComputeError("\(op): cannot broadcast shape \(shapeString(shape)) to \(shapeString(target))")
      }
    }
    return Tensor(storage: storage, shape: target, strides: st, offset: offset, dtype: dtype)
  }

  /// This tensor broadcast to `target` (a view; gradients sum back).
  public func broadcast(to target: [Int], op: String = "broadcast") throws -> Tensor {
    let v = try broadcastView(to: target, op: op)
    if v === self { return self }
    let s = shape
    v.record("broadcast", [self]) { g in [try g.sum(to: s)] }
    return v
  }

  /// Sums this tensor down to `target` (the inverse of broadcasting).
  public func sum(to target: [Int]) throws -> Tensor {
    if shape == target { return self }
    var t = self
    let extra = rank - target.count
    for _ in 0..<Swift.max(0, extra) { t = try t.sum(axis: 0, keepdims: false) }
    for i in 0..<target.count where target[i] == 1 && t.shape[i] != 1 {
      t = try t.sum(axis: i, keepdims: true)
    }
    guard t.shape == target else {
      throw ComputeError("sum to shape: cannot reduce \(shapeString(shape)) to \(shapeString(target))")
    }
    return t
  }
}
