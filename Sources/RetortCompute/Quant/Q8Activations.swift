// Activations quantized on the fly to 8 bits, as llama.cpp does before a
// quantized matrix-vector product (its block_q8_1): per block of 32 values
// a scale d = max|x| / 127, int8 qs = round(x / d), and the integer sum of
// qs (needed for the Q4_0 offset and the Q4_1 minimum).

/// A vector quantized to 8 bits per value in blocks of 32.
public struct Q8Activations {
  /// Number of values (a multiple of 32).
  public let count: Int
  /// Per-block scales.
  var scales: [Float]
  /// Per-block sums of the int8 values.
  var sums: [Int32]
  /// The int8 values, 32 per block.
  var values: [Int8]
  /// The values widened to Int16 and split per block into 16 even- then 16
  /// odd-indexed lanes (the order the integer dot kernels consume), done
  /// once here instead of once per weight row.
  var split: [Int16]
  /// scales[b] * sums[b], the factor of the Q4_0 offset and Q4_1 minimum.
  var scaledSums: [Float]

  /// Quantizes `count` floats at `x`; `count` should be a multiple of 32
  /// (a trailing partial block is ignored).
  public init(_ x: UnsafePointer<Float>, count: Int) {
    self.count = count
    let nb = count / 32
    scales = [Float](repeating: 0, count: nb)
    sums = [Int32](repeating: 0, count: nb)
    values = [Int8](repeating: 0, count: nb * 32)
    Q8Activations.quantize(x, blocks: nb, scales: &scales, sums: &sums, values: &values)
    split = [Int16](repeating: 0, count: nb * 64)
    scaledSums = [Float](repeating: 0, count: nb)
    for b in 0..<nb {
      scaledSums[b] = scales[b] * Float(sums[b])
      for k in 0..<16 {
        split[b * 64 + k] = Int16(values[b * 32 + 2 * k])
        split[b * 64 + 16 + k] = Int16(values[b * 32 + 2 * k + 1])
      }
    }
  }

  static func quantize(_ x: UnsafePointer<Float>, blocks nb: Int, scales: inout [Float], sums: inout [Int32], values: inout [Int8]) {
    scales.withUnsafeMutableBufferPointer { sc in
      sums.withUnsafeMutableBufferPointer { su in
        values.withUnsafeMutableBufferPointer { qv in
          for b in 0..<nb {
            let p = x + b * 32
            var amax: Float = 0
            for i in 0..<32 { amax = Swift.max(amax, Swift.abs(p[i])) }
            let d = amax / 127
            let id: Float = d != 0 ? 1 / d : 0
            let q = qv.baseAddress! + b * 32
            var sum: Int32 = 0
            for i in 0..<32 {
              let v = Int32((p[i] * id).rounded(.toNearestOrAwayFromZero))
              q[i] = Int8(truncatingIfNeeded: v)
              sum &+= v
            }
            sc[b] = d
            su[b] = sum
          }
        }
      }
    }
  }
}
