// Row kernels over the last axis (SIMD, 16 lanes): softmax, log-softmax,
// RMS norm and layer norm forward passes. Rows are independent and each is
// computed by one thread in a fixed order. Scalar references sit beside them.

import Foundation

// `room`: how many floats from the start of a row's tail may be read and
// written (a caller's row that continues past n, as a causal score row
// does). With a whole vector of room, a tail is loaded whole with its lanes
// past `count` masked, and stored whole, instead of copied lane by lane.

/// The last `count` (< 16) values of a row as one vector, the other lanes `fill`.
@inline(__always)
func loadTail(_ p: UnsafePointer<Float>, _ count: Int, fill: Float, room: Int = 0) -> V16 {
  if room >= 16 {
    var v = UnsafeRawPointer(p).loadUnaligned(as: V16.self)
    let lanes = SIMD16<Int32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
    v.replace(with: fill, where: lanes .>= SIMD16<Int32>(repeating: Int32(count)))
    return v
  }
  var t = V16(repeating: fill)
  withUnsafeMutableBytes(of: &t) { $0.baseAddress?.copyMemory(from: p, byteCount: count * 4) }
  return t
}

/// Stores the first `count` (< 16) lanes of `v` at `p` (all 16 with room for them).
@inline(__always)
func storeTail(_ v: V16, _ p: UnsafeMutablePointer<Float>, _ count: Int, room: Int = 0) {
  if room >= 16 { UnsafeMutableRawPointer(p).storeBytes(of: v, as: V16.self); return }
  withUnsafeBytes(of: v) { if let b = $0.baseAddress { UnsafeMutableRawPointer(p).copyMemory(from: b, byteCount: count * 4) } }
}

@inline(__always)
func rowReduceSum(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
  var acc = V16()
  var j = 0
  let raw = UnsafeRawPointer(p)
  while j + 16 <= n { acc += raw.loadUnaligned(fromByteOffset: j * 4, as: V16.self); j += 16 }
  var s = acc.sum()
  while j < n { s += p[j]; j += 1 }
  return s
}

@inline(__always)
func rowReduceSumSquares(_ p: UnsafePointer<Float>, _ n: Int, shift: Float = 0) -> Float {
  var acc = V16()
  var j = 0
  let raw = UnsafeRawPointer(p)
  let sv = V16(repeating: shift)
  while j + 16 <= n { let v = raw.loadUnaligned(fromByteOffset: j * 4, as: V16.self) - sv; acc = acc.addingProduct(v, v); j += 16 }
  var s = acc.sum()
  while j < n { let v = p[j] - shift; s += v * v; j += 1 }
  return s
}

@inline(__always)
func rowReduceMax(_ p: UnsafePointer<Float>, _ n: Int, room: Int = 0) -> Float {
  var acc = V16(repeating: -.infinity)
  var j = 0
  let raw = UnsafeRawPointer(p)
  while j + 16 <= n { acc = vmax(acc, raw.loadUnaligned(fromByteOffset: j * 4, as: V16.self)); j += 16 }
  if j < n { acc = vmax(acc, loadTail(p + j, n - j, fill: -.infinity, room: room - j)) }
  return maxLane(acc)
}

/// o[j] = exp(x[j] - shift) for a row; returns the sum (SIMD exp; the tail
/// is one padded vector whose extra lanes are exp(-inf) = 0).
@inline(__always)
func rowExpShifted(_ x: UnsafePointer<Float>, _ o: UnsafeMutablePointer<Float>, _ n: Int, _ shift: Float) -> Float {
  rowExpScaled(x, o, n, shift, 1)
}

/// o[j] = exp(scale * (x[j] - shift)) for a row; returns the sum.
@inline(__always)
func rowExpScaled(_ x: UnsafePointer<Float>, _ o: UnsafeMutablePointer<Float>, _ n: Int, _ shift: Float, _ scale: Float,
                  room: Int = 0) -> Float {
  var acc = V16()
  var j = 0
  let sv = V16(repeating: shift), kv = V16(repeating: scale)
  let rx = UnsafeRawPointer(x), ro = UnsafeMutableRawPointer(o)
  while j + 16 <= n {
    let e = vexp((rx.loadUnaligned(fromByteOffset: j * 4, as: V16.self) - sv) * kv)
    ro.storeBytes(of: e, toByteOffset: j * 4, as: V16.self)
    acc += e
    j += 16
  }
  if j < n {
    let e = vexp((loadTail(x + j, n - j, fill: -.infinity, room: room - j) - sv) * kv)
    storeTail(e, o + j, n - j, room: room - j)
    acc += e
  }
  return acc.sum()
}

/// Sum of exp(x[j] - shift) over a row, nothing stored.
@inline(__always)
func rowSumExpShifted(_ x: UnsafePointer<Float>, _ n: Int, _ shift: Float) -> Float {
  var acc = V16()
  var j = 0
  let sv = V16(repeating: shift)
  let rx = UnsafeRawPointer(x)
  while j + 16 <= n { acc += vexp(rx.loadUnaligned(fromByteOffset: j * 4, as: V16.self) - sv); j += 16 }
  if j < n { acc += vexp(loadTail(x + j, n - j, fill: -.infinity) - sv) }
  return acc.sum()
}

/// o = softmax(scale * x) over a row (o may alias x); returns the row's
/// maximum of x and the sum of the exponentials. With `room`, the lanes of
/// the last vector past n (within room) are written too, as zeros.
@inline(__always) @discardableResult
func rowSoftmax(_ x: UnsafePointer<Float>, _ o: UnsafeMutablePointer<Float>, _ n: Int, scale: Float,
                room: Int = 0) -> (max: Float, sum: Float) {
  let m = rowReduceMax(x, n, room: room)
  let s = rowExpScaled(x, o, n, m, scale, room: room)
  rowScale(o, n, 1 / s, room: room)
  return (m, s)
}

/// o *= s over a row (its last vector whole with room for it).
@inline(__always)
func rowScale(_ o: UnsafeMutablePointer<Float>, _ n: Int, _ s: Float, room: Int = 0) {
  var j = 0
  let sv = V16(repeating: s), ro = UnsafeMutableRawPointer(o)
  let vectors = n % 16 != 0 && n / 16 * 16 + 16 <= room ? n + 15 : n
  while j + 16 <= vectors {
    ro.storeBytes(of: ro.loadUnaligned(fromByteOffset: j * 4, as: V16.self) * sv, toByteOffset: j * 4, as: V16.self)
    j += 16
  }
  while j < n { o[j] *= s; j += 1 }
}

/// Row-wise forward kernels.
enum RowKernels {
  static func softmax(_ x: UnsafePointer<Float>, _ o: UnsafeMutablePointer<Float>, rows: Int, n: Int) {
    WorkerPool.current.parallelRanges(rows, grain: Swift.max(1, 8192 / Swift.max(n, 1))) { r in
      for i in r {
        rowSoftmax(x + i * n, o + i * n, n, scale: 1)
      }
    }
  }

  static func logSoftmax(_ x: UnsafePointer<Float>, _ o: UnsafeMutablePointer<Float>, rows: Int, n: Int) {
    WorkerPool.current.parallelRanges(rows, grain: Swift.max(1, 8192 / Swift.max(n, 1))) { r in
      for i in r {
        let xi = x + i * n, oi = o + i * n
        let m = rowReduceMax(xi, n)
        let s = rowExpShifted(xi, oi, n, m)
        let shift = m + Foundation.log(s)
        binaryRow(SubK.self, xi, 1, [shift], 0, oi, n)
      }
    }
  }

  /// o = x * rsqrt(mean(x^2) + eps) * w; stores rstd per row.
  static func rmsNorm(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>?, _ o: UnsafeMutablePointer<Float>,
                      _ rstd: UnsafeMutablePointer<Float>, rows: Int, n: Int, eps: Float) {
    WorkerPool.current.parallelRanges(rows, grain: Swift.max(1, 8192 / Swift.max(n, 1))) { r in
      for i in r {
        let xi = x + i * n, oi = o + i * n
        var rs = 1 / (rowReduceSumSquares(xi, n) / Float(n) + eps).squareRoot()
        if rs == 0 && rowIsFinite(xi, n) { rs = scaledRStd(xi, n, shift: 0, eps: eps) }
        rstd[i] = rs
        binaryRow(MulK.self, xi, 1, [rs], 0, oi, n)
        if let w { binaryRow(MulK.self, UnsafePointer(oi), 1, w, 1, oi, n) }
      }
    }
  }

  /// 1 / sqrt(mean((x - shift)^2) + eps) for a row whose squares overflow f32 (values past ~1e19):
  /// the deviations are scaled by the largest before squaring, in Double.
  static func scaledRStd(_ x: UnsafePointer<Float>, _ n: Int, shift: Float, eps: Float) -> Float {
    var scale = 0.0
    for j in 0..<n { scale = Swift.max(scale, Swift.abs(Double(x[j]) - Double(shift))) }
    guard scale > 0 else { return 1 / eps.squareRoot() }
    var s = 0.0
    for j in 0..<n { let d = (Double(x[j]) - Double(shift)) / scale; s += d * d }
    return Float(1 / (scale * (s / Double(n) + Double(eps) / (scale * scale)).squareRoot()))
  }

  /// Whether every value of a row is finite (an inf or NaN input rightly gives NaN, not a rescue).
  static func rowIsFinite(_ x: UnsafePointer<Float>, _ n: Int) -> Bool {
    for j in 0..<n where !x[j].isFinite { return false }
    return true
  }

  /// o = (x - mean) * rsqrt(var + eps) * w + b; stores mean and rstd per row.
  static func layerNorm(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>?, _ b: UnsafePointer<Float>?,
                        _ o: UnsafeMutablePointer<Float>, _ mean: UnsafeMutablePointer<Float>, _ rstd: UnsafeMutablePointer<Float>,
                        rows: Int, n: Int, eps: Float) {
    WorkerPool.current.parallelRanges(rows, grain: Swift.max(1, 8192 / Swift.max(n, 1))) { r in
      for i in r {
        let xi = x + i * n, oi = o + i * n
        let mu = rowReduceSum(xi, n) / Float(n)
        var rs = 1 / (rowReduceSumSquares(xi, n, shift: mu) / Float(n) + eps).squareRoot()
        if rs == 0 && mu.isFinite && rowIsFinite(xi, n) { rs = scaledRStd(xi, n, shift: mu, eps: eps) }
        mean[i] = mu; rstd[i] = rs
        binaryRow(SubK.self, xi, 1, [mu], 0, oi, n)
        binaryRow(MulK.self, UnsafePointer(oi), 1, [rs], 0, oi, n)
        if let w { binaryRow(MulK.self, UnsafePointer(oi), 1, w, 1, oi, n) }
        if let b { binaryRow(AddK.self, UnsafePointer(oi), 1, b, 1, oi, n) }
      }
    }
  }

  /// Scalar reference softmax of one row (double accumulation).
  static func softmaxReference(_ x: [Float]) -> [Float] {
    let m = x.max() ?? 0
    let e = x.map { Foundation.exp(Double($0 - m)) }
    let s = e.reduce(0, +)
    return e.map { Float($0 / s) }
  }

  /// Scalar reference RMS norm of one row.
  static func rmsNormReference(_ x: [Float], _ w: [Float], eps: Float) -> [Float] {
    let ms = x.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(x.count)
    let r = 1 / (ms + Double(eps)).squareRoot()
    return zip(x, w).map { Float(Double($0) * r * Double($1)) }
  }
}
