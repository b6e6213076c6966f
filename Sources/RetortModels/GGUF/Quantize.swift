// Plain scalar encoders and decoders for the supported tensor types. These
// are the reference the fast kernels are tested against, and what the GGUF
// writer uses.

/// Encoding and decoding of F32, F16, BF16, Q8_0, Q4_0 and Q4_1 data.
public enum Quantize {
  /// Encodes `values` (a multiple of the block size) as `type`.
  public static func encode(_ values: [Float], as type: GGMLType) throws -> [UInt8] {
    guard type.isSupported else { throw ModelError("cannot encode tensors as \(type.name)") }
    guard values.count % type.blockSize == 0 else {
      throw ModelError("\(values.count) values are not a whole number of \(type.name) blocks of \(type.blockSize)")
    }
    var out: [UInt8] = []
    out.reserveCapacity(type.byteCount(elements: values.count))
    func u16(_ v: UInt16) { out.append(UInt8(v & 0xff)); out.append(UInt8(v >> 8)) }
    func f16(_ v: Float) { u16(Float16(v).bitPattern) }
    switch type {
    case .f32:
      for v in values { let b = v.bitPattern; for s in stride(from: 0, to: 32, by: 8) { out.append(UInt8((b >> UInt32(s)) & 0xff)) } }
    case .f16:
      for v in values { f16(v) }
    case .bf16:
      for v in values {
        let b = v.bitPattern
        u16(UInt16((b + 0x7fff + ((b >> 16) & 1)) >> 16))  // round to nearest even
      }
    case .q8_0:
      for blk in stride(from: 0, to: values.count, by: 32) {
        let xs = values[blk..<blk + 32]
        let amax = xs.map(abs).max() ?? 0
        let d = amax / 127
        let id: Float = d == 0 ? 0 : 1 / d
        f16(d)
        for x in xs { out.append(UInt8(bitPattern: Int8((x * id).rounded()))) }
      }
    case .q4_0:
      for blk in stride(from: 0, to: values.count, by: 32) {
        let xs = Array(values[blk..<blk + 32])
        var maxv: Float = 0
        for x in xs where abs(x) > abs(maxv) { maxv = x }
        let d = maxv / -8
        let id: Float = d == 0 ? 0 : 1 / d
        f16(d)
        for j in 0..<16 {
          let a = UInt8(min(15, max(0, Int((xs[j] * id + 8.5).rounded(.down)))))
          let b = UInt8(min(15, max(0, Int((xs[j + 16] * id + 8.5).rounded(.down)))))
          out.append(a | (b << 4))
        }
      }
    case .q4_1:
      for blk in stride(from: 0, to: values.count, by: 32) {
        let xs = Array(values[blk..<blk + 32])
        let lo = xs.min() ?? 0, hi = xs.max() ?? 0
        let d = (hi - lo) / 15
        let id: Float = d == 0 ? 0 : 1 / d
        f16(d)
        f16(lo)
        for j in 0..<16 {
          let a = UInt8(min(15, max(0, Int(((xs[j] - lo) * id + 0.5).rounded(.down)))))
          let b = UInt8(min(15, max(0, Int(((xs[j + 16] - lo) * id + 0.5).rounded(.down)))))
          out.append(a | (b << 4))
        }
      }
    default:
      throw ModelError("cannot encode tensors as \(type.name)")
    }
    return out
  }

  /// Decodes `count` elements of `type` from `data` into `out` (scalar reference).
  public static func decode(_ data: UnsafeRawBufferPointer, type: GGMLType, count: Int, into out: UnsafeMutablePointer<Float>) {
    @inline(__always) func h(_ o: Int) -> Float {
      Float(Float16(bitPattern: UInt16(data[o]) | UInt16(data[o + 1]) << 8))
    }
    switch type {
    case .f32:
      for i in 0..<count { out[i] = data.loadUnaligned(fromByteOffset: 4 * i, as: Float.self) }
    case .f16:
      for i in 0..<count { out[i] = h(2 * i) }
    case .bf16:
      for i in 0..<count { out[i] = Float(bitPattern: (UInt32(data[2 * i]) | UInt32(data[2 * i + 1]) << 8) << 16) }
    case .q8_0:
      for b in 0..<count / 32 {
        let o = b * 34, d = h(o)
        for j in 0..<32 { out[b * 32 + j] = d * Float(Int8(bitPattern: data[o + 2 + j])) }
      }
    case .q4_0:
      for b in 0..<count / 32 {
        let o = b * 18, d = h(o)
        for j in 0..<16 {
          let q = data[o + 2 + j]
          out[b * 32 + j] = d * Float(Int(q & 0xf) - 8)
          out[b * 32 + j + 16] = d * Float(Int(q >> 4) - 8)
        }
      }
    case .q4_1:
      for b in 0..<count / 32 {
        let o = b * 20, d = h(o), m = h(o + 2)
        for j in 0..<16 {
          let q = data[o + 4 + j]
          out[b * 32 + j] = d * Float(q & 0xf) + m
          out[b * 32 + j + 16] = d * Float(q >> 4) + m
        }
      }
    default:
      for i in 0..<count { out[i] = .nan }
    }
  }

  /// Decodes a whole buffer of `type` into a new array.
  public static func decode(_ data: UnsafeRawBufferPointer, type: GGMLType, count: Int) -> [Float] {
    [Float](unsafeUninitializedCapacity: count) { buf, n in
      if let p = buf.baseAddress { decode(data, type: type, count: count, into: p) }
      n = count
    }
  }
}
