// Elementwise kernels: each op has a 16-lane SIMD form and a scalar form
// (the reference and the tail). Generic drivers specialise on the op type,
// so the inner loops have no indirect calls.

import Foundation

/// A binary elementwise operation.
protocol BinaryKernel {
  static func simd(_ a: V16, _ b: V16) -> V16
  static func scalar(_ a: Float, _ b: Float) -> Float
}

enum AddK: BinaryKernel {
  @inline(__always) static func simd(_ a: V16, _ b: V16) -> V16 { a + b }
  @inline(__always) static func scalar(_ a: Float, _ b: Float) -> Float { a + b }
}
enum SubK: BinaryKernel {
  @inline(__always) static func simd(_ a: V16, _ b: V16) -> V16 { a - b }
  @inline(__always) static func scalar(_ a: Float, _ b: Float) -> Float { a - b }
}
enum MulK: BinaryKernel {
  @inline(__always) static func simd(_ a: V16, _ b: V16) -> V16 { a * b }
  @inline(__always) static func scalar(_ a: Float, _ b: Float) -> Float { a * b }
}
enum DivK: BinaryKernel {
  @inline(__always) static func simd(_ a: V16, _ b: V16) -> V16 { a / b }
  @inline(__always) static func scalar(_ a: Float, _ b: Float) -> Float { a / b }
}
/// Maximum and minimum are NaN where either input is NaN (as NumPy and PyTorch).
enum MaxK: BinaryKernel {
  @inline(__always) static func simd(_ a: V16, _ b: V16) -> V16 { vmaxNaN(a, b) }
  @inline(__always) static func scalar(_ a: Float, _ b: Float) -> Float { maxNaN(a, b) }
}
enum MinK: BinaryKernel {
  @inline(__always) static func simd(_ a: V16, _ b: V16) -> V16 { vminNaN(a, b) }
  @inline(__always) static func scalar(_ a: Float, _ b: Float) -> Float { minNaN(a, b) }
}
enum PowK: BinaryKernel {
  @inline(__always) static func simd(_ a: V16, _ b: V16) -> V16 {
    var r = V16(); for i in 0..<16 { r[i] = Foundation.pow(a[i], b[i]) }; return r
  }
  @inline(__always) static func scalar(_ a: Float, _ b: Float) -> Float { Foundation.pow(a, b) }
}
/// a // b, rounded toward minus infinity as Python and PyTorch do (by way of
/// the remainder, so a == (a // b) * b + a % b as closely as floats allow).
enum FloorDivK: BinaryKernel {
  @inline(__always) static func simd(_ a: V16, _ b: V16) -> V16 {
    var r = V16(); for i in 0..<16 { r[i] = scalar(a[i], b[i]) }; return r
  }
  @inline(__always) static func scalar(_ a: Float, _ b: Float) -> Float { floorDivMod(a, b).quotient }
}
/// a % b with the sign of b (Python's and PyTorch's remainder; NaN for b == 0).
enum RemK: BinaryKernel {
  @inline(__always) static func simd(_ a: V16, _ b: V16) -> V16 {
    var r = V16(); for i in 0..<16 { r[i] = scalar(a[i], b[i]) }; return r
  }
  @inline(__always) static func scalar(_ a: Float, _ b: Float) -> Float { floorDivMod(a, b).remainder }
}

/// CPython's float divmod in f32: fmod's remainder moved to the divisor's
/// sign, and the floor quotient derived from it (7 // 0.1 is 69, as 7 % 0.1
/// is 0.1 less a rounding error). A zero divisor gives a / b and NaN, as
/// PyTorch's float tensors do.
@inline(__always) func floorDivMod(_ a: Float, _ b: Float) -> (quotient: Float, remainder: Float) {
  if b == 0 { return (a / b, .nan) }
  var mod = fmodf(a, b)
  var div = (a - mod) / b
  if mod != 0 {
    if (b < 0) != (mod < 0) { mod += b; div -= 1 }
  } else {
    mod = Float(signOf: b, magnitudeOf: 0)
  }
  guard div != 0 else { return (Float(signOf: a / b, magnitudeOf: 0), mod) }
  var floor = div.rounded(.down)
  if div - floor > 0.5 { floor += 1 }
  return (floor, mod)
}

/// Comparison kernels produce 1 where true, 0 where false.
enum EqK: BinaryKernel {
  @inline(__always) static func simd(_ a: V16, _ b: V16) -> V16 { V16(repeating: 0).replacing(with: 1, where: a .== b) }
  @inline(__always) static func scalar(_ a: Float, _ b: Float) -> Float { a == b ? 1 : 0 }
}
enum NeK: BinaryKernel {
  @inline(__always) static func simd(_ a: V16, _ b: V16) -> V16 { V16(repeating: 0).replacing(with: 1, where: a .!= b) }
  @inline(__always) static func scalar(_ a: Float, _ b: Float) -> Float { a != b ? 1 : 0 }
}
enum LtK: BinaryKernel {
  @inline(__always) static func simd(_ a: V16, _ b: V16) -> V16 { V16(repeating: 0).replacing(with: 1, where: a .< b) }
  @inline(__always) static func scalar(_ a: Float, _ b: Float) -> Float { a < b ? 1 : 0 }
}
enum LeK: BinaryKernel {
  @inline(__always) static func simd(_ a: V16, _ b: V16) -> V16 { V16(repeating: 0).replacing(with: 1, where: a .<= b) }
  @inline(__always) static func scalar(_ a: Float, _ b: Float) -> Float { a <= b ? 1 : 0 }
}
enum GtK: BinaryKernel {
  @inline(__always) static func simd(_ a: V16, _ b: V16) -> V16 { V16(repeating: 0).replacing(with: 1, where: a .> b) }
  @inline(__always) static func scalar(_ a: Float, _ b: Float) -> Float { a > b ? 1 : 0 }
}
enum GeK: BinaryKernel {
  @inline(__always) static func simd(_ a: V16, _ b: V16) -> V16 { V16(repeating: 0).replacing(with: 1, where: a .>= b) }
  @inline(__always) static func scalar(_ a: Float, _ b: Float) -> Float { a >= b ? 1 : 0 }
}

/// Applies K to rows: `a` and `b` each either advance (stride 1) or stay
/// fixed (stride 0, a broadcast scalar).
@inline(__always)
func binaryRow<K: BinaryKernel>(_: K.Type, _ a: UnsafePointer<Float>, _ aStep: Int, _ b: UnsafePointer<Float>, _ bStep: Int,
                                _ o: UnsafeMutablePointer<Float>, _ n: Int) {
  var i = 0
  let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b), ro = UnsafeMutableRawPointer(o)
  if aStep == 1 && bStep == 1 {
    while i + 16 <= n {
      ro.storeBytes(of: K.simd(ra.loadUnaligned(fromByteOffset: i * 4, as: V16.self), rb.loadUnaligned(fromByteOffset: i * 4, as: V16.self)),
                    toByteOffset: i * 4, as: V16.self)
      i += 16
    }
    while i < n { o[i] = K.scalar(a[i], b[i]); i += 1 }
  } else if aStep == 1 {
    let bv = V16(repeating: b[0])
    while i + 16 <= n {
      ro.storeBytes(of: K.simd(ra.loadUnaligned(fromByteOffset: i * 4, as: V16.self), bv), toByteOffset: i * 4, as: V16.self)
      i += 16
    }
    while i < n { o[i] = K.scalar(a[i], b[0]); i += 1 }
  } else if bStep == 1 {
    let av = V16(repeating: a[0])
    while i + 16 <= n {
      ro.storeBytes(of: K.simd(av, rb.loadUnaligned(fromByteOffset: i * 4, as: V16.self)), toByteOffset: i * 4, as: V16.self)
      i += 16
    }
    while i < n { o[i] = K.scalar(a[0], b[i]); i += 1 }
  } else {
    let v = K.scalar(a[0], b[0])
    for j in 0..<n { o[j] = v }
  }
}

/// Computes K over broadcast inputs into a new contiguous tensor.
func binaryApply<K: BinaryKernel>(_ k: K.Type, _ a: Tensor, _ b: Tensor, op: String) throws -> Tensor {
  let shape = try Tensor.broadcastShape(a.shape, b.shape, op: op)
  let out = try Tensor(uninitialized: shape, what: op)
  let n = out.count
  if n == 0 { return out }
  let o = out.mutablePointer
  if a.shape == b.shape && a.isContiguous && b.isContiguous {
    let pa = a.pointer, pb = b.pointer
    WorkerPool.current.parallelRanges(n, grain: 1 << 16) { r in
      binaryRow(k, pa + r.lowerBound, 1, pb + r.lowerBound, 1, o + r.lowerBound, r.count)
    }
    return out
  }
  if b.count == 1 && a.isContiguous && a.shape == shape {
    let pa = a.pointer, pb = b.pointer
    WorkerPool.current.parallelRanges(n, grain: 1 << 16) { r in binaryRow(k, pa + r.lowerBound, 1, pb, 0, o + r.lowerBound, r.count) }
    return out
  }
  if a.count == 1 && b.isContiguous && b.shape == shape {
    let pa = a.pointer, pb = b.pointer
    WorkerPool.current.parallelRanges(n, grain: 1 << 16) { r in binaryRow(k, pa, 0, pb + r.lowerBound, 1, o + r.lowerBound, r.count) }
    return out
  }
  // General case: iterate rows of the last dimension over broadcast views.
  let av = try a.broadcastView(to: shape, op: op), bv = try b.broadcastView(to: shape, op: op)
  let r = shape.count
  let inner = shape[r - 1]
  let sa = av.strides[r - 1], sb = bv.strides[r - 1]
  let rows = n / max(inner, 1)
  let base = a.storage.pointer, bbase = b.storage.pointer
  var idx = [Int](repeating: 0, count: r)
  var offA = av.offset, offB = bv.offset
  for row in 0..<rows {
    let dst = o + row * inner
    if (sa == 1 || sa == 0) && (sb == 1 || sb == 0) {
      binaryRow(k, base + offA, sa, bbase + offB, sb, dst, inner)
    } else {
      for j in 0..<inner { dst[j] = K.scalar(base[offA + j * sa], bbase[offB + j * sb]) }
    }
    var d = r - 2
    while d >= 0 {
      idx[d] += 1
      offA += av.strides[d]; offB += bv.strides[d]
      if idx[d] < shape[d] { break }
      offA -= av.strides[d] * shape[d]; offB -= bv.strides[d] * shape[d]
      idx[d] = 0
      d -= 1
    }
  }
  return out
}

/// A unary elementwise operation.
protocol UnaryKernel {
  static func simd(_ x: V16) -> V16
  static func scalar(_ x: Float) -> Float
}

/// Applies K to a contiguous copy of `x`.
func unaryApply<K: UnaryKernel>(_: K.Type, _ x: Tensor, op: String) throws -> Tensor {
  let src = x.contiguous()
  defer { withExtendedLifetime(src) {} }  // raw pointers into it are used below
  let out = try Tensor(uninitialized: x.shape, what: op)
  let pi = src.pointer, po = out.mutablePointer
  WorkerPool.current.parallelRanges(x.count, grain: 1 << 15) { r in
    var i = r.lowerBound
    let ri = UnsafeRawPointer(pi), ro = UnsafeMutableRawPointer(po)
    while i + 16 <= r.upperBound {
      ro.storeBytes(of: K.simd(ri.loadUnaligned(fromByteOffset: i * 4, as: V16.self)), toByteOffset: i * 4, as: V16.self)
      i += 16
    }
    // The tail goes through the SIMD form too (padded), so every element
    // gets the same function whatever the chunking.
    if i < r.upperBound {
      var t = V16()
      for j in 0..<(r.upperBound - i) { t[j] = pi[i + j] }
      let y = K.simd(t)
      for j in 0..<(r.upperBound - i) { po[i + j] = y[j] }
    }
  }
  return out
}
