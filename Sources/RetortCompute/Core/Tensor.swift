// The f32 tensor: a shape (up to 5 dimensions), strides into a shared
// storage buffer, and autodiff state.
//
// Storage is row-major. Most tensors are contiguous; reshape and first-axis
// slices are contiguous views, transpose/permute give strided views that
// kernels either read directly (matmul packing) or copy via `contiguous()`.

/// An n-dimensional array of 32-bit floats (0 to 5 dimensions).
public final class Tensor {
  /// Maximum number of dimensions.
  public static let maxRank = 5

  /// Size of each dimension.
  public let shape: [Int]
  /// Step in elements between neighbours along each dimension.
  public let strides: [Int]
  /// The shared buffer this tensor views.
  public let storage: TensorStorage
  /// Offset of element [0, 0, ...] in `storage`.
  public let offset: Int
  /// Number of elements.
  public let count: Int
  /// Element type: f32 numbers, or bool (0/1 values from comparisons).
  public internal(set) var dtype: DType = .f32

  /// Whether gradients flow to this tensor in `backward()`.
  public var requiresGrad: Bool = false
  /// The accumulated gradient after `backward()` (leaf tensors only).
  public internal(set) var grad: Tensor?
  /// How this tensor was computed, when it is part of a gradient graph.
  var gradNode: GradNode?

  /// Wraps storage with an explicit shape/strides view.
  init(storage: TensorStorage, shape: [Int], strides: [Int], offset: Int, dtype: DType = .f32) {
    self.storage = storage
    self.shape = shape
    self.strides = strides
    self.offset = offset
    self.count = shape.reduce(1, *)
    self.dtype = dtype
  }

  /// Allocates a contiguous tensor whose contents are undefined (for
  /// kernels that overwrite every element); throws on a bad shape or if
  /// memory is short.
  public convenience init(uninitialized shape: [Int], what: String = "tensor") throws {
    let n = try Tensor.checkedCount(shape, what: what)
    let s = try TensorStorage(count: n, what: what)
    self.init(storage: s, shape: shape, strides: Tensor.rowMajorStrides(shape), offset: 0)
  }

  /// Creates a tensor from flat row-major values and a shape.
  /// - Throws: if the shape is invalid or does not hold `values.count` elements.
  public convenience init(_ values: [Float], shape: [Int]) throws {
    let n = try Tensor.checkedCount(shape, what: "tensor")
    guard n == values.count else {
      throw ComputeError("tensor: \(values.count) values do not fill shape \(shapeString(shape)) (\(n) elements)")
    }
    try self.init(uninitialized: shape)
    values.withUnsafeBufferPointer { src in
      if n > 0 { mutablePointer.update(from: src.baseAddress!, count: n) }
    }
  }

  /// A 0-d tensor holding one value.
  public convenience init(scalar: Float) {
    // A one-float allocation cannot exceed free memory.
    let s = (try? TensorStorage(count: 1)) ?? TensorStorage.empty
    self.init(storage: s, shape: [], strides: [], offset: 0)
    s.pointer[0] = scalar
  }

  /// Number of dimensions.
  public var rank: Int { shape.count }

  /// True when elements are laid out row-major without gaps.
  public var isContiguous: Bool { strides == Tensor.rowMajorStrides(shape) || count <= 1 }

  /// Pointer to element [0, 0, ...] (valid while `self` is alive).
  public var pointer: UnsafePointer<Float> { UnsafePointer(storage.pointer + offset) }
  /// Mutable pointer to element [0, 0, ...] (writes are visible to all views).
  public var mutablePointer: UnsafeMutablePointer<Float> { storage.pointer + offset }

  /// Row-major strides for `shape`.
  public static func rowMajorStrides(_ shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    var acc = 1
    for i in stride(from: shape.count - 1, through: 0, by: -1) {
      strides[i] = acc
      acc *= Swift.max(shape[i], 1)
    }
    return strides
  }

  /// Validates a shape (rank <= 5, sizes >= 0, no overflow) and returns its element count.
  public static func checkedCount(_ shape: [Int], what: String) throws -> Int {
    guard shape.count <= maxRank else {
      throw ComputeError("\(what): shape \(shapeString(shape)) has \(shape.count) dimensions; at most \(maxRank) are supported")
    }
    var n = 1
    for d in shape {
      guard d >= 0 else { throw ComputeError("\(what): shape \(shapeString(shape)) has a negative dimension") }
      let (m, o) = n.multipliedReportingOverflow(by: d)
      guard !o else { throw ComputeError("\(what): shape \(shapeString(shape)) is too large") }
      n = m
    }
    return n
  }

  /// A contiguous tensor with the same values (self if already contiguous).
  public func contiguous() -> Tensor {
    if isContiguous { return self }
    // Same element count as an existing tensor: allocation cannot be absurd.
    guard let out = try? Tensor(uninitialized: shape) else { return self }
    copyStrided(into: out.mutablePointer)
    return out.tagged(dtype)
  }

  /// Copies elements in row-major order into `dst` (any strides).
  func copyStrided(into dst: UnsafeMutablePointer<Float>) {
    let src = pointer
    if isContiguous { dst.update(from: src, count: count); return }
    if count == 0 { return }
    let r = rank
    var index = [Int](repeating: 0, count: r)
    let inner = shape[r - 1], innerStride = strides[r - 1]
    var o = 0
    var base = 0
    while o < count {
      var p = src + base
      for j in 0..<inner { dst[o + j] = p.pointee; p += innerStride }
      o += inner
      var d = r - 2
      while d >= 0 {
        index[d] += 1
        base += strides[d]
        if index[d] < shape[d] { break }
        base -= strides[d] * shape[d]
        index[d] = 0
        d -= 1
      }
      if d < 0 { break }
    }
  }

  /// The values in row-major order.
  public func toArray() -> [Float] {
    [Float](unsafeUninitializedCapacity: count) { buf, n in
      if count > 0 { copyStrided(into: buf.baseAddress!) }
      n = count
    }
  }

  /// The single value of a one-element tensor.
  /// - Throws: if the tensor has more or fewer than one element.
  public func item() throws -> Float {
    guard count == 1 else {
      throw ComputeError("item: tensor of shape \(shapeString(shape)) has \(count) elements, expected exactly 1")
    }
    return pointer.pointee
  }
}

extension TensorStorage {
  /// A shared one-float buffer used only if a 4-byte allocation fails.
  static let empty: TensorStorage = {
    // posix_memalign of 64 bytes does not fail in practice; fall back to retrying.
    while true { if let s = try? TensorStorage(count: 1) { return s } }
  }()
}
