// Dot products of one quantized weight row with an activation vector: with
// the activations quantized to 8 bits (integer SIMD, llama.cpp's approach)
// or with f32 activations (dequantize-and-FMA). Each has a scalar reference.
//
// Integer kernel per block: widen to 16 bits, multiply, fold the 32 products
// into 16 (each pair fits in Int16: |w| <= 128, |a| <= 127 for Q8_0, and
// w <= 15 for 4-bit weights), widen to 8 Int32 lanes, then one FMA with the
// block's combined scale into an 8-lane float accumulator.

@inline(__always)
func foldProducts(_ w: SIMD32<Int16>, _ a: SIMD32<Int16>) -> SIMD8<Float> {
  let p = w &* a
  let h = p.lowHalf &+ p.highHalf
  let s = SIMD8<Int32>(truncatingIfNeeded: h.lowHalf) &+ SIMD8<Int32>(truncatingIfNeeded: h.highHalf)
  return SIMD8<Float>(s)
}

/// Row-by-vector dot kernels for quantized weights.
public enum QuantDot {
  /// Q8_0 row . Q8 activations.
  @inline(__always)
  static func q8_0(_ row: UnsafeRawPointer, _ nb: Int, _ sc: UnsafePointer<Float>, _ qa: UnsafePointer<Int8>) -> Float {
    var acc = SIMD8<Float>()
    for b in 0..<nb {
      let p = row + b * 34
      let w = SIMD32<Int16>(truncatingIfNeeded: p.loadUnaligned(fromByteOffset: 2, as: SIMD32<Int8>.self))
      let a = SIMD32<Int16>(truncatingIfNeeded: UnsafeRawPointer(qa + b * 32).loadUnaligned(as: SIMD32<Int8>.self))
      acc = acc.addingProduct(foldProducts(w, a), SIMD8<Float>(repeating: loadF16(p) * sc[b]))
    }
    return acc.sum()
  }

  /// Q4_0 row . Q8 activations: d * da * (sum(nib * a) - 8 * sum(a)).
  @inline(__always)
  static func q4_0(_ row: UnsafeRawPointer, _ nb: Int, _ sc: UnsafePointer<Float>, _ su: UnsafePointer<Int32>, _ qa: UnsafePointer<Int8>) -> Float {
    var acc = SIMD8<Float>()
    var off: Float = 0
    for b in 0..<nb {
      let p = row + b * 18
      let q = p.loadUnaligned(fromByteOffset: 2, as: SIMD16<UInt8>.self)
      let w = SIMD32<Int16>(truncatingIfNeeded: SIMD32<UInt8>(lowHalf: q & 0x0F, highHalf: q &>> 4))
      let a = SIMD32<Int16>(truncatingIfNeeded: UnsafeRawPointer(qa + b * 32).loadUnaligned(as: SIMD32<Int8>.self))
      let s = loadF16(p) * sc[b]
      acc = acc.addingProduct(foldProducts(w, a), SIMD8<Float>(repeating: s))
      off += s * Float(su[b])
    }
    return acc.sum() - 8 * off
  }

  /// Q4_1 row . Q8 activations: d * da * sum(nib * a) + m * da * sum(a).
  @inline(__always)
  static func q4_1(_ row: UnsafeRawPointer, _ nb: Int, _ sc: UnsafePointer<Float>, _ su: UnsafePointer<Int32>, _ qa: UnsafePointer<Int8>) -> Float {
    var acc = SIMD8<Float>()
    var off: Float = 0
    for b in 0..<nb {
      let p = row + b * 20
      let q = p.loadUnaligned(fromByteOffset: 4, as: SIMD16<UInt8>.self)
      let w = SIMD32<Int16>(truncatingIfNeeded: SIMD32<UInt8>(lowHalf: q & 0x0F, highHalf: q &>> 4))
      let a = SIMD32<Int16>(truncatingIfNeeded: UnsafeRawPointer(qa + b * 32).loadUnaligned(as: SIMD32<Int8>.self))
      let da = sc[b]
      acc = acc.addingProduct(foldProducts(w, a), SIMD8<Float>(repeating: loadF16(p) * da))
      off += loadF16(p + 2) * da * Float(su[b])
    }
    return acc.sum() + off
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
