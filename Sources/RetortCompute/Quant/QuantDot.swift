// Dot products of one quantized weight row with an activation vector: with
// the activations quantized to 8 bits (integer SIMD, llama.cpp's approach)
// or with f32 activations (dequantize-and-FMA). Each has a scalar reference.
//
// Integer kernel per block: widen to 16 bits, multiply, fold the 32 products
// into 16 (each pair fits in Int16: |w| <= 128, |a| <= 127 for Q8_0, and
// w <= 15 for 4-bit weights), widen to 8 Int32 lanes, then one FMA with the
// block's combined scale into an 8-lane float accumulator.

/// Splits 32 signed bytes at `p` into even- and odd-indexed Int16 lanes
/// (lane k of `even` is element 2k for k < 8 and element 2k of the second
/// half for k >= 8, i.e. elements 0, 2, ..., 30 in order).
@inline(__always)
func splitBytes(_ p: UnsafeRawPointer) -> (SIMD16<Int16>, SIMD16<Int16>) {
  let v = p.loadUnaligned(as: SIMD16<Int16>.self)
  return ((v &<< 8) &>> 8, v &>> 8)
}

/// The pre-split activation lanes of block `b` (see `Q8Activations.split`).
@inline(__always)
func loadSplit(_ sp: UnsafePointer<Int16>, _ b: Int) -> (SIMD16<Int16>, SIMD16<Int16>) {
  let p = UnsafeRawPointer(sp + b * 64)
  return (p.loadUnaligned(as: SIMD16<Int16>.self), p.loadUnaligned(fromByteOffset: 32, as: SIMD16<Int16>.self))
}

/// Splits 16 bytes of packed nibbles at `p` into the same even/odd order:
/// low nibbles are elements 0..15, high nibbles elements 16..31.
@inline(__always)
func splitNibbles(_ p: UnsafeRawPointer) -> (SIMD16<Int16>, SIMD16<Int16>) {
  let v = p.loadUnaligned(as: SIMD8<Int16>.self)
  let m = SIMD8<Int16>(repeating: 0x0F)
  let even = SIMD16<Int16>(lowHalf: v & m, highHalf: (v &>> 4) & m)
  let odd = SIMD16<Int16>(lowHalf: (v &>> 8) & m, highHalf: (v &>> 12) & m)
  return (even, odd)
}

/// sum over pairs of w * a, as 8 Int32 lanes converted to float. Each
/// 16-bit partial w_even * a_even + w_odd * a_odd fits in Int16 because
/// |w| <= 128 and |a| <= 127 (Q8_0) or 0 <= w <= 15 (4-bit types).
@inline(__always)
func blockDot(_ w: (SIMD16<Int16>, SIMD16<Int16>), _ a: (SIMD16<Int16>, SIMD16<Int16>)) -> SIMD8<Float> {
  let p = w.0 &* a.0 &+ w.1 &* a.1
  let q = unsafeBitCast(p, to: SIMD8<Int32>.self)
  let s = ((q &<< 16) &>> 16) &+ (q &>> 16)
  // Exact int -> float for |s| < 2^22: add to 1.5 * 2^23 in the bits.
  return unsafeBitCast(s &+ 0x4B40_0000, to: SIMD8<Float>.self) - 12_582_912
}

/// Row-by-vector dot kernels for quantized weights.
public enum QuantDot {
  // Each kernel walks blocks in pairs with two accumulators, halving the
  // FMA dependency chain; the summation order is fixed (even blocks into
  // acc0, odd into acc1), so results do not depend on threads.

  /// Q8_0 row . Q8 activations.
  @inline(__always)
  static func q8_0(_ row: UnsafeRawPointer, _ nb: Int, _ sc: UnsafePointer<Float>, _ sp: UnsafePointer<Int16>) -> Float {
    var acc0 = SIMD8<Float>(), acc1 = SIMD8<Float>()
    @inline(__always) func block(_ b: Int) -> (SIMD8<Float>, SIMD8<Float>) {
      let p = row + b * 34
      return (blockDot(splitBytes(p + 2), loadSplit(sp, b)), SIMD8<Float>(repeating: loadF16(p) * sc[b]))
    }
    var b = 0
    while b + 2 <= nb {
      let (d0, s0) = block(b), (d1, s1) = block(b + 1)
      acc0 = acc0.addingProduct(d0, s0); acc1 = acc1.addingProduct(d1, s1)
      b += 2
    }
    if b < nb { let (d0, s0) = block(b); acc0 = acc0.addingProduct(d0, s0) }
    return (acc0 + acc1).sum()
  }

  /// Q4_0 row . Q8 activations: d * da * (sum(nib * a) - 8 * sum(a)).
  @inline(__always)
  static func q4_0(_ row: UnsafeRawPointer, _ nb: Int, _ sc: UnsafePointer<Float>, _ ms: UnsafePointer<Float>, _ sp: UnsafePointer<Int16>) -> Float {
    var acc0 = SIMD8<Float>(), acc1 = SIMD8<Float>()
    var off0: Float = 0, off1: Float = 0
    @inline(__always) func block(_ b: Int) -> (SIMD8<Float>, Float, Float) {
      let p = row + b * 18
      let d = loadF16(p)
      return (blockDot(splitNibbles(p + 2), loadSplit(sp, b)), d * sc[b], d * ms[b])
    }
    var b = 0
    while b + 2 <= nb {
      let (d0, s0, m0) = block(b), (d1, s1, m1) = block(b + 1)
      acc0 = acc0.addingProduct(d0, SIMD8<Float>(repeating: s0)); acc1 = acc1.addingProduct(d1, SIMD8<Float>(repeating: s1))
      off0 += m0; off1 += m1
      b += 2
    }
    if b < nb {
      let (d0, s0, m0) = block(b)
      acc0 = acc0.addingProduct(d0, SIMD8<Float>(repeating: s0)); off0 += m0
    }
    return (acc0 + acc1).sum() - 8 * (off0 + off1)
  }

  /// Q4_1 row . Q8 activations: d * da * sum(nib * a) + m * da * sum(a).
  @inline(__always)
  static func q4_1(_ row: UnsafeRawPointer, _ nb: Int, _ sc: UnsafePointer<Float>, _ ms: UnsafePointer<Float>, _ sp: UnsafePointer<Int16>) -> Float {
    var acc0 = SIMD8<Float>(), acc1 = SIMD8<Float>()
    var off0: Float = 0, off1: Float = 0
    @inline(__always) func block(_ b: Int) -> (SIMD8<Float>, Float, Float) {
      let p = row + b * 20
      return (blockDot(splitNibbles(p + 4), loadSplit(sp, b)), loadF16(p) * sc[b], loadF16(p + 2) * ms[b])
    }
    var b = 0
    while b + 2 <= nb {
      let (d0, s0, m0) = block(b), (d1, s1, m1) = block(b + 1)
      acc0 = acc0.addingProduct(d0, SIMD8<Float>(repeating: s0)); acc1 = acc1.addingProduct(d1, SIMD8<Float>(repeating: s1))
      off0 += m0; off1 += m1
      b += 2
    }
    if b < nb {
      let (d0, s0, m0) = block(b)
      acc0 = acc0.addingProduct(d0, SIMD8<Float>(repeating: s0)); off0 += m0
    }
    return (acc0 + acc1).sum() + (off0 + off1)
  }

  /// Quantized row . f32 vector (dequantize each block, FMA).
  @inline(__always)
  static func f32(_ type: QuantType, _ row: UnsafeRawPointer, _ nb: Int, _ x: UnsafePointer<Float>) -> Float {
    var acc0 = SIMD16<Float>(), acc1 = SIMD16<Float>()
    var tmp = (SIMD16<Float>(), SIMD16<Float>())
    for b in 0..<nb {
      withUnsafeMutableBytes(of: &tmp) { t in
        QuantBlocks.dequantizeRow(type, row + b * type.blockBytes, t.baseAddress!.assumingMemoryBound(to: Float.self), blocks: 1)
      }
      let xp = UnsafeRawPointer(x + b * 32)
      acc0 = acc0.addingProduct(tmp.0, xp.loadUnaligned(as: SIMD16<Float>.self))
      acc1 = acc1.addingProduct(tmp.1, xp.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self))
    }
    return (acc0 + acc1).sum()
  }

  /// Scalar reference for the Q8-activation kernels: exact integer block
  /// sums, combined in double precision.
  public static func referenceQ8(_ type: QuantType, _ row: UnsafeRawPointer, cols: Int, _ x: Q8Activations) -> Double {
    var total = 0.0
    for b in 0..<cols / 32 {
      let p = row + b * type.blockBytes
      let d = Double(Half.f16ToFloat(p.loadUnaligned(as: UInt16.self)))
      let da = Double(x.scales[b])
      var isum = 0
      for i in 0..<32 {
        let a = Int(x.values[b * 32 + i])
        let w: Int
        switch type {
        case .q8_0: w = Int(Int8(bitPattern: p.load(fromByteOffset: 2 + i, as: UInt8.self)))
        case .q4_0, .q4_1:
          let byte = p.load(fromByteOffset: (type == .q4_1 ? 4 : 2) + (i % 16), as: UInt8.self)
          w = Int(i < 16 ? byte & 0x0F : byte >> 4) - (type == .q4_0 ? 8 : 0)
        }
        isum += w * a
      }
      total += d * da * Double(isum)
      if type == .q4_1 {
        let m = Double(Half.f16ToFloat(p.loadUnaligned(fromByteOffset: 2, as: UInt16.self)))
        total += m * da * Double(x.sums[b])
      }
    }
    return total
  }
}
