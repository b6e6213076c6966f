// Quantization and dequantization of single blocks: a plain scalar
// reference for each type (the definition tests compare against) and the
// SIMD row dequantizer used by kernels. Quantizers follow ggml's reference
// rounding so files we write match what llama.cpp would write.

/// Block-level quantization routines.
public enum QuantBlocks {
  /// Dequantizes one block at `src` into 32 floats (scalar reference).
  public static func dequantizeBlockReference(_ type: QuantType, _ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>) {
    switch type {
    case .q8_0:
      let d = Half.f16ToFloat(src.loadUnaligned(as: UInt16.self))
      for i in 0..<32 { dst[i] = d * Float(Int8(bitPattern: src.load(fromByteOffset: 2 + i, as: UInt8.self))) }
    case .q4_0:
      let d = Half.f16ToFloat(src.loadUnaligned(as: UInt16.self))
      for j in 0..<16 {
        let b = src.load(fromByteOffset: 2 + j, as: UInt8.self)
        dst[j] = d * Float(Int(b & 0x0F) - 8)
        dst[j + 16] = d * Float(Int(b >> 4) - 8)
      }
    case .q4_1:
      let d = Half.f16ToFloat(src.loadUnaligned(as: UInt16.self))
      let m = Half.f16ToFloat(src.loadUnaligned(fromByteOffset: 2, as: UInt16.self))
      for j in 0..<16 {
        let b = src.load(fromByteOffset: 4 + j, as: UInt8.self)
        dst[j] = d * Float(b & 0x0F) + m
        dst[j + 16] = d * Float(b >> 4) + m
      }
    }
  }

  /// Quantizes 32 floats at `src` into one block at `dst` (ggml's rounding).
  public static func quantizeBlock(_ type: QuantType, _ src: UnsafePointer<Float>, _ dst: UnsafeMutableRawPointer) {
    switch type {
    case .q8_0:
      var amax: Float = 0
      for i in 0..<32 { amax = max(amax, abs(src[i])) }
      let d = amax / 127
      let id: Float = d != 0 ? 1 / d : 0
      storeF16(d, dst)
      for i in 0..<32 {
        let q = Int8(clamping: Int((src[i] * id).rounded(.toNearestOrAwayFromZero)))
        dst.storeBytes(of: UInt8(bitPattern: q), toByteOffset: 2 + i, as: UInt8.self)
      }
    case .q4_0:
      // The value with the largest magnitude maps to -8.
      var amax: Float = 0, vmax: Float = 0
      for i in 0..<32 where abs(src[i]) > amax { amax = abs(src[i]); vmax = src[i] }
      let d = vmax / -8
      let id: Float = d != 0 ? 1 / d : 0
      storeF16(d, dst)
      for j in 0..<16 {
        let a = min(15, Int(Int8(clamping: Int(src[j] * id + 8.5))))
        let b = min(15, Int(Int8(clamping: Int(src[j + 16] * id + 8.5))))
        dst.storeBytes(of: UInt8(max(0, a)) | (UInt8(max(0, b)) << 4), toByteOffset: 2 + j, as: UInt8.self)
      }
    case .q4_1:
      var lo = Float.infinity, hi = -Float.infinity
      for i in 0..<32 { lo = min(lo, src[i]); hi = max(hi, src[i]) }
      let d = (hi - lo) / 15
      let id: Float = d != 0 ? 1 / d : 0
      storeF16(d, dst)
      storeF16(lo, dst + 2)
      for j in 0..<16 {
        let a = min(15, Int(Int8(clamping: Int((src[j] - lo) * id + 0.5))))
        let b = min(15, Int(Int8(clamping: Int((src[j + 16] - lo) * id + 0.5))))
        dst.storeBytes(of: UInt8(max(0, a)) | (UInt8(max(0, b)) << 4), toByteOffset: 4 + j, as: UInt8.self)
      }
    }
  }

  /// Dequantizes `blocks` consecutive blocks at `src` into `dst` (SIMD, 8
  /// lanes: the widths whose integer conversions compile to single
  /// instructions). Separate multiply and add, so results equal the
  /// scalar reference exactly.
  public static func dequantizeRow(_ type: QuantType, _ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, blocks: Int) {
    let bb = type.blockBytes
    for b in 0..<blocks {
      let p = src + b * bb
      let o = UnsafeMutableRawPointer(dst + b * 32)
      switch type {
      case .q8_0:
        let d = SIMD8<Float>(repeating: loadF16(p))
        for k in 0..<4 {
          let q = SIMD8<Int32>(truncatingIfNeeded: p.loadUnaligned(fromByteOffset: 2 + 8 * k, as: SIMD8<Int8>.self))
          o.storeBytes(of: d * SIMD8<Float>(q), toByteOffset: 32 * k, as: SIMD8<Float>.self)
        }
      case .q4_0, .q4_1:
        let isQ41 = type == .q4_1
        let d = SIMD8<Float>(repeating: loadF16(p))
        let m = SIMD8<Float>(repeating: isQ41 ? loadF16(p + 2) : 0)
        let bias = SIMD8<Int32>(repeating: isQ41 ? 0 : 8)
        let qoff = isQ41 ? 4 : 2
        for k in 0..<2 {
          let q = p.loadUnaligned(fromByteOffset: qoff + 8 * k, as: SIMD8<UInt8>.self)
          let lo = SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: q & 0x0F) &- bias)
          let hi = SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: q &>> 4) &- bias)
          if isQ41 {
            o.storeBytes(of: d * lo + m, toByteOffset: 32 * k, as: SIMD8<Float>.self)
            o.storeBytes(of: d * hi + m, toByteOffset: 64 + 32 * k, as: SIMD8<Float>.self)
          } else {
            o.storeBytes(of: d * lo, toByteOffset: 32 * k, as: SIMD8<Float>.self)
            o.storeBytes(of: d * hi, toByteOffset: 64 + 32 * k, as: SIMD8<Float>.self)
          }
        }
      }
    }
  }
}
