// Activations quantized to 8 bits per block of 32 (llama.cpp's q8_1 idea),
// for the AVX2 quantized dot products in QuantDotAVX2.swift. Kept here
// until the compute core's matvec reaches llama.cpp's speed (it lacks the
// u8 x i8 multiply-add); see the report.

/// A vector quantized to int8 in blocks of 32, with each block's scale and integer sum.
final class Q8Vector {
  let blocks: Int
  let values: UnsafeMutablePointer<Int8>
  let scales: UnsafeMutablePointer<Float>
  /// Sum of each block's int8 values (as Float).
  let sums: UnsafeMutablePointer<Float>
  /// scale * sum, rounded to f16 (llama.cpp's q8_1 `s`, used by Q4_1's minimum).
  let scaledSums: UnsafeMutablePointer<Float>

  init(capacity count: Int) {
    blocks = count / 32
    values = .allocate(capacity: max(32, count))
    scales = .allocate(capacity: max(1, blocks))
    sums = .allocate(capacity: max(1, blocks))
    scaledSums = .allocate(capacity: max(1, blocks))
  }

  deinit {
    values.deallocate()
    scales.deallocate()
    sums.deallocate()
    scaledSums.deallocate()
  }

  /// Round to nearest even, as Int32 lanes (values are within +-127).
  @inline(__always) static func roundToInt(_ v: SIMD16<Float>) -> SIMD16<Int32> {
    // Adding and subtracting 1.5 * 2^23 rounds to nearest even in float arithmetic.
    let magic = SIMD16<Float>(repeating: 12_582_912)
    let r = (v + magic) - magic
    var out = SIMD16<Int32>()
    for i in 0..<16 { out[i] = Int32(r[i]) }
    return out
  }

  /// Quantizes the first `blocks * 32` floats at `x`: d = max|x| / 127, q = round(x / d);
  /// d (and d * sum q) are stored rounded to f16, exactly as llama.cpp's q8_1 blocks.
  func quantize(_ x: UnsafePointer<Float>) {
    for b in 0..<blocks {
      let p = UnsafeRawPointer(x + b * 32)
      let v0 = p.loadUnaligned(as: SIMD16<Float>.self)
      let v1 = p.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self)
      let amax = max(max(v0.max(), -v0.min()), max(v1.max(), -v1.min()))
      let d = amax / 127
      let id: Float = d != 0 ? 1 / d : 0
      let q0 = Q8Vector.roundToInt(v0 * id), q1 = Q8Vector.roundToInt(v1 * id)
      let sum = Float(q0.wrappedSum() &+ q1.wrappedSum())
      scales[b] = Float(Float16(d))
      sums[b] = sum
      scaledSums[b] = Float(Float16(d * sum))
      let o = UnsafeMutableRawPointer(values + b * 32)
      o.storeBytes(of: SIMD16<Int8>(truncatingIfNeeded: q0), as: SIMD16<Int8>.self)
      o.storeBytes(of: SIMD16<Int8>(truncatingIfNeeded: q1), toByteOffset: 16, as: SIMD16<Int8>.self)
    }
  }
}
