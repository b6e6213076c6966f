// Half-precision storage: IEEE binary16 (f16) and bfloat16 (bf16), with
// conversion to and from f32. Conversions are bit manipulations (no
// dependency on the platform's Float16), round-to-nearest-even on the way down.

/// A half-precision storage format.
public enum HalfFormat: String, Sendable {
  /// IEEE 754 binary16.
  case f16
  /// bfloat16 (the top 16 bits of an f32).
  case bf16
}

/// Scalar conversions between f32 and the 16-bit formats.
public enum Half {
  /// f16 bits to f32 (exact; handles subnormals, inf and NaN).
  @inlinable
  public static func f16ToFloat(_ h: UInt16) -> Float {
    let sign = UInt32(h & 0x8000) << 16
    let exp = UInt32(h >> 10) & 0x1F
    let man = UInt32(h & 0x3FF)
    if exp == 0 {
      if man == 0 { return Float(bitPattern: sign) }
      // Subnormal: value = man * 2^-24.
      let v = Float(man) * (1.0 / 16_777_216.0)
      return sign != 0 ? -v : v
    }
    if exp == 31 { return Float(bitPattern: sign | 0x7F80_0000 | (man << 13)) }
    return Float(bitPattern: sign | ((exp + 112) << 23) | (man << 13))
  }

  /// f32 to f16 bits, rounding to nearest even; overflow gives infinity.
  @inlinable
  public static func floatToF16(_ f: Float) -> UInt16 {
    let x = f.bitPattern
    let sign = UInt16((x >> 16) & 0x8000)
    let exp = Int((x >> 23) & 0xFF)
    let man = x & 0x7F_FFFF
    if exp == 0xFF { return sign | 0x7C00 | (man != 0 ? 0x200 : 0) }
    let e = exp - 127 + 15
    if e >= 31 { return sign | 0x7C00 }
    if e <= 0 {
      if e < -10 { return sign }
      let m = man | 0x80_0000
      let shift = UInt32(14 - e)
      var r = m >> shift
      let rem = m & ((1 << shift) - 1), half = UInt32(1) << (shift - 1)
      if rem > half || (rem == half && (r & 1) == 1) { r += 1 }
      return sign | UInt16(r)
    }
    var r = (UInt32(e) << 10) | (man >> 13)
    let rem = man & 0x1FFF
    if rem > 0x1000 || (rem == 0x1000 && (r & 1) == 1) { r += 1 }
    return sign | UInt16(r)
  }

  /// bf16 bits to f32 (exact).
  @inlinable
  public static func bf16ToFloat(_ h: UInt16) -> Float { Float(bitPattern: UInt32(h) << 16) }

  /// f32 to bf16 bits, rounding to nearest even (NaN stays NaN).
  @inlinable
  public static func floatToBF16(_ f: Float) -> UInt16 {
    let x = f.bitPattern
    if f.isNaN { return UInt16(x >> 16) | 0x40 }
    let rounded = x &+ 0x7FFF &+ ((x >> 16) & 1)
    return UInt16(rounded >> 16)
  }

  /// Converts `count` 16-bit values at `src` to floats at `dst`.
  public static func decode(_ format: HalfFormat, _ src: UnsafePointer<UInt16>, _ dst: UnsafeMutablePointer<Float>, count: Int) {
    switch format {
    case .f16:
      #if arch(x86_64) && os(macOS)
      for i in 0..<count { dst[i] = f16ToFloat(src[i]) }
      #else
      // The hardware conversion (F16C vcvtph2ps on x86-64); equal to f16ToFloat.
      for i in 0..<count { dst[i] = Float(Float16(bitPattern: src[i])) }
      #endif
    case .bf16:
      // bf16 -> f32 is a shift; done 8 at a time.
      var i = 0
      while i + 8 <= count {
        let v = UnsafeRawPointer(src + i).loadUnaligned(as: SIMD8<UInt16>.self)
        let w = SIMD8<UInt32>(truncatingIfNeeded: v) &<< 16
        UnsafeMutableRawPointer(dst + i).storeBytes(of: w, as: SIMD8<UInt32>.self)
        i += 8
      }
      while i < count { dst[i] = bf16ToFloat(src[i]); i += 1 }
    }
  }

  /// Converts `count` floats at `src` to 16-bit values at `dst`.
  public static func encode(_ format: HalfFormat, _ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<UInt16>, count: Int) {
    switch format {
    case .f16:
      #if arch(x86_64) && os(macOS)
      for i in 0..<count { dst[i] = floatToF16(src[i]) }
      #else
      for i in 0..<count { dst[i] = Float16(src[i]).bitPattern }
      #endif
    case .bf16: for i in 0..<count { dst[i] = floatToBF16(src[i]) }
    }
  }
}

/// A tensor stored in 16 bits per element (half the memory of f32).
public struct HalfTensor: Sendable {
  /// Storage format.
  public let format: HalfFormat
  /// Shape of the tensor.
  public let shape: [Int]
  /// Raw 16-bit values in row-major order.
  public let bits: [UInt16]

  /// Rounds an f32 tensor to 16 bits.
  public init(_ t: Tensor, format: HalfFormat) {
    self.format = format
    shape = t.shape
    let c = t.contiguous()
    bits = [UInt16](unsafeUninitializedCapacity: c.count) { buf, n in
      if c.count > 0 { Half.encode(format, c.pointer, buf.baseAddress!, count: c.count) }
      n = c.count
    }
  }

  /// Wraps raw 16-bit values (e.g. read from a file).
  /// - Throws: if the count does not match the shape.
  public init(bits: [UInt16], shape: [Int], format: HalfFormat) throws {
    let n = try Tensor.checkedCount(shape, what: "half tensor")
    guard n == bits.count else {
      throw ComputeError("half tensor: \(bits.count) values do not fill shape \(shapeString(shape))")
    }
    self.bits = bits; self.shape = shape; self.format = format
  }

  /// Widens to an f32 tensor.
  public func toTensor() throws -> Tensor {
    let t = try Tensor(uninitialized: shape, what: "half tensor")
    bits.withUnsafeBufferPointer { b in
      if t.count > 0 { Half.decode(format, b.baseAddress!, t.mutablePointer, count: t.count) }
    }
    return t
  }
}
