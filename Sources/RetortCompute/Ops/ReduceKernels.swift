// Reduction kernels (SIMD, 16 lanes) for `Tensor+Reduce.swift`, each with
// the scalar reference tests compare it with.
//
// Sums are pairwise inside blocks and blocks are added in f64, so large
// reductions keep f32 accuracy (plain f32 accumulation of 2e7 values of 0.1
// is 1% off) at the cost of the plain loop: a contiguous run is summed in
// blocks of 256 values (16 vectors added as a tree, then the 16 lanes as a
// tree), and a sum over rows (a non-last axis) adds groups of 8 rows as a
// tree and accumulates 64 rows in f32 before the f64 step. The tree adds are
// independent, which the CPU overlaps, so this is no slower than one running
// accumulator. Maximum and minimum propagate NaN, as NumPy and PyTorch do.

/// Values per block of a contiguous sum (16 vectors of 16 lanes).
let sumBlock = 256
/// Rows per f32 block of a sum over rows (8 groups of 8).
let rowBlock = 64

/// Sum of `p[0..<n]`: pairwise inside blocks of `sumBlock`, f64 across blocks.
/// - Complexity: O(n), vectorised.
@inline(__always)
func runSum(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
  // Fewer than a block's values (and a block's remainder) are summed as a row is.
  if n < sumBlock { return rowReduceSum(p, n) }
  var total = 0.0
  var j = 0
  while j + sumBlock <= n {
    total += Double(fullBlockSum(p + j))
    j += sumBlock
  }
  if j < n { total += Double(rowReduceSum(p + j, n - j)) }
  return Float(total)
}

/// Sum of exactly `sumBlock` values: 16 vectors as a tree, then the lanes as a tree.
@inline(__always)
func fullBlockSum(_ p: UnsafePointer<Float>) -> Float {
  let raw = UnsafeRawPointer(p)
  @inline(__always) func v(_ i: Int) -> V16 { raw.loadUnaligned(fromByteOffset: i * 64, as: V16.self) }
  let a = ((v(0) + v(1)) + (v(2) + v(3))) + ((v(4) + v(5)) + (v(6) + v(7)))
  let b = ((v(8) + v(9)) + (v(10) + v(11))) + ((v(12) + v(13)) + (v(14) + v(15)))
  return laneSum(a + b)
}

/// The 16 lanes added as a tree.
@inline(__always)
func laneSum(_ v: V16) -> Float {
  let h8 = v.lowHalf + v.highHalf
  let h4 = h8.lowHalf + h8.highHalf
  let h2 = h4.lowHalf + h4.highHalf
  return h2[0] + h2[1]
}

/// Scalar reference for `runSum`: f64 accumulation.
func referenceSum(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
  var s = 0.0
  for j in 0..<n { s += Double(p[j]) }
  return Float(s)
}

/// Columnwise sum of `n` rows of `inner` values (row j at `src + j * inner`)
/// into `dst`: groups of 8 rows as a tree, 64 rows in f32, blocks of 64 in
/// f64 (`scratch` holds `inner` doubles, reused across calls).
/// - Complexity: O(n * inner), vectorised.
@inline(__always)
func rowsSum(_ src: UnsafePointer<Float>, _ n: Int, _ inner: Int, _ dst: UnsafeMutablePointer<Float>,
             _ scratch: inout [Double]) {
  func block(_ lo: Int, _ hi: Int) {
    dst.update(repeating: 0, count: inner)
    var j = lo
    while j + 8 <= hi { addEightRows(src + j * inner, inner, dst); j += 8 }
    while j < hi { binaryRow(AddK.self, dst, 1, src + j * inner, 1, dst, inner); j += 1 }
  }
  if n <= rowBlock { block(0, n); return }
  if scratch.count < inner { scratch = [Double](repeating: 0, count: inner) }
  scratch.withUnsafeMutableBufferPointer { acc in
    guard let a = acc.baseAddress else { return }
    a.update(repeating: 0, count: inner)
    var lo = 0
    while lo < n {
      let hi = Swift.min(n, lo + rowBlock)
      block(lo, hi)
      for k in 0..<inner { a[k] += Double(dst[k]) }
      lo = hi
    }
    for k in 0..<inner { dst[k] = Float(a[k]) }
  }
}

/// dst += rows 0..<8 (row r at `p + r * inner`), the 8 added as a tree.
@inline(__always)
func addEightRows(_ p: UnsafePointer<Float>, _ inner: Int, _ dst: UnsafeMutablePointer<Float>) {
  let raw = UnsafeRawPointer(p), rd = UnsafeMutableRawPointer(dst)
  var k = 0
  while k + 16 <= inner {
    @inline(__always) func v(_ r: Int) -> V16 { raw.loadUnaligned(fromByteOffset: (r * inner + k) * 4, as: V16.self) }
    let s = ((v(0) + v(1)) + (v(2) + v(3))) + ((v(4) + v(5)) + (v(6) + v(7)))
    rd.storeBytes(of: rd.loadUnaligned(fromByteOffset: k * 4, as: V16.self) + s, toByteOffset: k * 4, as: V16.self)
    k += 16
  }
  while k < inner {
    @inline(__always) func x(_ r: Int) -> Float { p[r * inner + k] }
    dst[k] += ((x(0) + x(1)) + (x(2) + x(3))) + ((x(4) + x(5)) + (x(6) + x(7)))
    k += 1
  }
}

/// Lane-wise maximum that is NaN where either input is NaN.
@inline(__always)
func vmaxNaN(_ a: V16, _ b: V16) -> V16 { vmax(a, b).replacing(with: b, where: b .!= b) }

/// Lane-wise minimum that is NaN where either input is NaN.
@inline(__always)
func vminNaN(_ a: V16, _ b: V16) -> V16 { vmin(a, b).replacing(with: b, where: b .!= b) }

/// Maximum that is NaN when either input is NaN (`Swift.max` drops a NaN second argument).
@inline(__always)
func maxNaN(_ a: Float, _ b: Float) -> Float { b.isNaN || b > a ? b : a }

/// Minimum that is NaN when either input is NaN.
@inline(__always)
func minNaN(_ a: Float, _ b: Float) -> Float { b.isNaN || b < a ? b : a }

/// Largest (`largest`) or smallest of `p[0..<n]`, NaN if any value is NaN; n > 0.
/// - Complexity: O(n), vectorised.
@inline(__always)
func runExtremum(_ p: UnsafePointer<Float>, _ n: Int, largest: Bool) -> Float {
  var acc = V16(repeating: largest ? -.infinity : .infinity)
  var j = 0
  let raw = UnsafeRawPointer(p)
  while j + 16 <= n {
    let v = raw.loadUnaligned(fromByteOffset: j * 4, as: V16.self)
    acc = largest ? vmaxNaN(acc, v) : vminNaN(acc, v)
    j += 16
  }
  var s: Float = largest ? -.infinity : .infinity
  for l in 0..<16 { s = largest ? maxNaN(s, acc[l]) : minNaN(s, acc[l]) }
  while j < n { s = largest ? maxNaN(s, p[j]) : minNaN(s, p[j]); j += 1 }
  return s
}

/// Scalar reference for `runExtremum`.
func referenceExtremum(_ p: UnsafePointer<Float>, _ n: Int, largest: Bool) -> Float {
  var s: Float = largest ? -.infinity : .infinity
  for j in 0..<n {
    if p[j].isNaN { return p[j] }
    s = largest ? Swift.max(s, p[j]) : Swift.min(s, p[j])
  }
  return s
}

/// Position of the first largest (`largest`) or smallest of `n` values
/// `p[0], p[step], ...`; a NaN counts as the extreme (the first NaN wins), as
/// in NumPy and PyTorch; n > 0.
@inline(__always)
func argExtremum(_ p: UnsafePointer<Float>, _ n: Int, step: Int, largest: Bool) -> Int {
  var best = 0
  var bv = p[0]
  if bv.isNaN { return 0 }
  for j in 1..<Swift.max(n, 1) {
    let v = p[j * step]
    if v.isNaN { return j }
    if largest ? v > bv : v < bv { bv = v; best = j }
  }
  return best
}
