// Finds the first byte where UTF-8 decoding fails, for error positions.

/// UTF-8 validation helpers.
enum UTF8Check {
  /// Index of the first byte of the first invalid sequence in `bytes`, or
  /// `bytes.count` when all of it is valid.
  static func firstInvalid(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
    var i = 0
    let n = bytes.count
    while i < n {
      let c = bytes[i]
      if c < 0x80 { i += 1; continue }
      var need = 0
      var minScalar: UInt32 = 0
      var v: UInt32 = 0
      switch c {
      case 0xC2...0xDF: need = 1; v = UInt32(c & 0x1F); minScalar = 0x80
      case 0xE0...0xEF: need = 2; v = UInt32(c & 0x0F); minScalar = 0x800
      case 0xF0...0xF4: need = 3; v = UInt32(c & 0x07); minScalar = 0x10000
      default: return i
      }
      if i + need >= n { return i }
      for k in 1...need {
        let b = bytes[i + k]
        if b & 0xC0 != 0x80 { return i }
        v = v << 6 | UInt32(b & 0x3F)
      }
      if v < minScalar || v > 0x10FFFF || (v >= 0xD800 && v < 0xE000) { return i }
      i += need + 1
    }
    return n
  }

  /// "0xFF"-style text for a byte.
  static func hex(_ b: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return "0x" + String(digits[Int(b >> 4)]) + String(digits[Int(b & 15)])
  }

  /// True when all of `bytes` is valid UTF-8.
  static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    firstInvalid(bytes) == bytes.count
  }
}
