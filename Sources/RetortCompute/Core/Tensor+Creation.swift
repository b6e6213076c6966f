// Creation: zeros, ones, full, arange, linspace, identity, nested lists.

extension Tensor {
  /// A tensor of `shape` filled with `value`.
  /// - Parameter what: names the operation in an error (`ones` is `full` of 1).
  public static func full(_ shape: [Int], _ value: Float, what: String = "full") throws -> Tensor {
    let t = try Tensor(uninitialized: shape, what: what)
    t.mutablePointer.update(repeating: value, count: t.count)
    return t
  }

  /// A tensor of zeros.
  public static func zeros(_ shape: [Int]) throws -> Tensor {
    let n = try checkedCount(shape, what: "zeros")
    let s = try TensorStorage(zeros: n, what: "zeros")
    return Tensor(storage: s, shape: shape, strides: rowMajorStrides(shape), offset: 0)
  }

  /// A tensor of ones.
  public static func ones(_ shape: [Int]) throws -> Tensor { try full(shape, 1, what: "ones") }

  /// `start, start+step, ...` up to (excluding) `end`, as a 1-d tensor.
  /// The count and the values are computed in double precision and each
  /// value is then rounded to f32 (as NumPy and PyTorch), so
  /// `arange(0, 0.3, step: 0.1)` has 3 values although `Float(0.3) / Float(0.1)` exceeds 3.
  /// - Throws: if `step` is zero or not finite.
  public static func arange(_ start: Double, _ end: Double, step: Double = 1) throws -> Tensor {
    guard start.isFinite, end.isFinite else {
      throw ComputeError("arange: start and end must be finite numbers, got \(start) and \(end)")
    }
    guard step != 0, step.isFinite else {
      throw ComputeError("arange: step must be a non-zero finite number, got \(step)")
    }
    let count = ((end - start) / step).rounded(.up)
    guard count <= Double(Int32.max) else {
      throw ComputeError("arange: \(start) to \(end) by \(step) would make \(count) values; at most \(Int32.max) fit in a tensor")
    }
    let n = Swift.max(0, Int(count))
    let t = try Tensor(uninitialized: [n], what: "arange")
    for i in 0..<n { t.mutablePointer[i] = Float(start + Double(i) * step) }
    return t
  }

  /// `count` evenly spaced values from `start` to `end` inclusive.
  public static func linspace(_ start: Float, _ end: Float, count: Int) throws -> Tensor {
    guard count >= 0 else { throw ComputeError("linspace: count must be >= 0, got \(count)") }
    let t = try Tensor(uninitialized: [count], what: "linspace")
    let step = count > 1 ? (Double(end) - Double(start)) / Double(count - 1) : 0
    for i in 0..<count { t.mutablePointer[i] = Float(Double(start) + Double(i) * step) }
    if count > 1 { t.mutablePointer[count - 1] = end }
    return t
  }

  /// The n x n identity matrix.
  public static func identity(_ n: Int) throws -> Tensor {
    guard n >= 0 else { throw ComputeError("eye: n must be >= 0, got \(n)") }
    let t = try Tensor(uninitialized: [n, n], what: "eye")
    t.mutablePointer.update(repeating: 0, count: t.count)
    for i in 0..<n { t.mutablePointer[i * n + i] = 1 }
    return t
  }

  /// A zero-filled tensor with the shape of `other`.
  public static func zeros(like other: Tensor) throws -> Tensor { try zeros(other.shape) }

  /// Builds a tensor from nested arrays of numbers (`[[1, 2], [3, 4]]`).
  /// Leaves may be Float, Double, Int or Bool; when every leaf is a Bool
  /// (and there is at least one) the tensor is a bool tensor, as in NumPy.
  /// - Throws: if the nesting is ragged or a leaf is not a number.
  public static func fromNested(_ value: Any) throws -> Tensor {
    var shape: [Int] = []
    var probe: Any = value
    while let arr = probe as? [Any] {
      guard shape.count < maxRank else {
        throw ComputeError("tensor: the lists are nested more than \(maxRank) deep; at most \(maxRank) dimensions are supported")
      }
      shape.append(arr.count)
      guard let first = arr.first else { break }
      probe = first
    }
    var flat: [Float] = []
    var allBool = true
    func walk(_ v: Any, depth: Int, path: String) throws {
      if depth == shape.count {
        if !(v is Bool) { allBool = false }
        if let f = v as? Float { flat.append(f) }
        else if let d = v as? Double { flat.append(Float(d)) }
        else if let i = v as? Int { flat.append(Float(i)) }
        else if let b = v as? Bool { flat.append(b ? 1 : 0) }
        else { throw ComputeError("tensor: element at \(path) is not a number") }
        return
      }
      guard let arr = v as? [Any], arr.count == shape[depth] else {
        throw ComputeError("tensor: nested lists are ragged at \(path): expected a list of \(shape[depth]) elements")
      }
      for (i, x) in arr.enumerated() { try walk(x, depth: depth + 1, path: path + "[\(i)]") }
    }
    try walk(value, depth: 0, path: "top level")
    return try Tensor(flat, shape: shape).tagged(allBool && !flat.isEmpty ? .bool : .f32)
  }
}
