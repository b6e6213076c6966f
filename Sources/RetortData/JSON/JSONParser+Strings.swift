// String parsing for `JSONParser`: keys (cached, since every line of a
// data file repeats them), strings with a 16-byte SIMD skip over plain text,
// escapes including surrogate pairs, and UTF-8 validation with the offset
// of the first bad byte.

extension JSONParser {
  /// A key: short keys without escapes are cached by their bytes.
  mutating func parseKey() throws(JSONSyntaxError) -> String {
    let start = pos + 1
    var i = start
    var h = 0
    while i < end && i - start < 24 {
      let c = bytes[i]
      if c == UInt8(ascii: "\"") {
        // Hash of length and bytes; verified against the cached string below.
        if let s = keyCache[h &* 31 &+ (i - start)], s.utf8.elementsEqual(UnsafeBufferPointer(rebasing: bytes[start..<i])) {
          pos = i + 1
          return s
        }
        let s = try parseString()
        keyCache[h &* 31 &+ (i - start)] = s
        return s
      }
      if c == UInt8(ascii: "\\") || c < 0x20 { break }
      h = (h &* 131) &+ Int(c)
      i += 1
    }
    return try parseString()
  }

  /// A string starting at the opening quote.
  mutating func parseString() throws(JSONSyntaxError) -> String {
    let open = pos
    pos += 1
    let start = pos
    // Fast path: no escapes. Skip 16 bytes at a time while none of them is
    // a quote, a backslash or a control character.
    if let base = bytes.baseAddress {
      let raw = UnsafeRawPointer(base)
      let quote = SIMD16<UInt8>(repeating: 0x22), slash = SIMD16<UInt8>(repeating: 0x5C)
      let space = SIMD16<UInt8>(repeating: 0x20)
      while pos + 16 <= end {
        let v = raw.loadUnaligned(fromByteOffset: pos, as: SIMD16<UInt8>.self)
        let special = (v .== quote) .| (v .== slash) .| (v .< space)
        if any(special) { break }
        pos += 16
      }
    }
    while pos < end {
      let c = bytes[pos]
      if c == UInt8(ascii: "\"") {
        let s = try makeString(start, pos)
        pos += 1
        return s
      }
      if c == UInt8(ascii: "\\") { break }
      if c < 0x20 { throw controlCharacter(c) }
      pos += 1
    }
    if pos >= end { throw fail("unterminated string", at: open) }
    // Slow path: copy, decoding escapes.
    scratch.removeAll(keepingCapacity: true)
    scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<pos]))
    while pos < end {
      let c = bytes[pos]
      if c == UInt8(ascii: "\"") {
        pos += 1
        return try validated(scratch, at: start)
      }
      if c < 0x20 { throw controlCharacter(c) }
      if c != UInt8(ascii: "\\") { scratch.append(c); pos += 1; continue }
      pos += 1
      guard pos < end else { break }
      let e = bytes[pos]
      pos += 1
      switch e {
      case UInt8(ascii: "\""): scratch.append(0x22)
      case UInt8(ascii: "\\"): scratch.append(0x5C)
      case UInt8(ascii: "/"): scratch.append(0x2F)
      case UInt8(ascii: "b"): scratch.append(0x08)
      case UInt8(ascii: "f"): scratch.append(0x0C)
      case UInt8(ascii: "n"): scratch.append(0x0A)
      case UInt8(ascii: "r"): scratch.append(0x0D)
      case UInt8(ascii: "t"): scratch.append(0x09)
      case UInt8(ascii: "u"): try unicodeEscape()
      default:
        throw fail("invalid escape '\\\(Character(Unicode.Scalar(e)))' in string", at: pos - 2)
      }
    }
    throw fail("unterminated string", at: open)
  }

  private func controlCharacter(_ c: UInt8) -> JSONSyntaxError {
    fail(c == 0x0A ? "unterminated string (newline inside a string)"
         : "unescaped control character " + UTF8Check.hex(c) + " in string")
  }

  private mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
    guard pos + 4 <= end else { throw fail("expected 4 hex digits after \\u") }
    var v: UInt32 = 0
    for _ in 0..<4 {
      let c = bytes[pos]
      let d: UInt32
      switch c {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - 48)
      case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - 87)
      case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - 55)
      default: throw fail("expected 4 hex digits after \\u")
      }
      v = v << 4 | d
      pos += 1
    }
    return v
  }

  private mutating func unicodeEscape() throws(JSONSyntaxError) {
    var v = try hex4()
    if v >= 0xD800 && v < 0xDC00 {
      // A high surrogate must be followed by \uDC00-\uDFFF; a lone one
      // becomes U+FFFD, as Python's json does not reject it either.
      if pos + 6 <= end && bytes[pos] == UInt8(ascii: "\\") && bytes[pos + 1] == UInt8(ascii: "u") {
        let save = pos
        pos += 2
        let lo = try hex4()
        if lo >= 0xDC00 && lo < 0xE000 {
          v = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00)
        } else {
          pos = save
          v = 0xFFFD
        }
      } else {
        v = 0xFFFD
      }
    } else if v >= 0xDC00 && v < 0xE000 {
      v = 0xFFFD
    }
    let scalar = Unicode.Scalar(v) ?? "\u{FFFD}"
    scratch.append(contentsOf: String(Character(scalar)).utf8)
  }

  private func makeString(_ a: Int, _ b: Int) throws(JSONSyntaxError) -> String {
    let slice = UnsafeBufferPointer(rebasing: bytes[a..<b])
    if let s = String(validating: slice, as: UTF8.self) { return s }
    let bad = UTF8Check.firstInvalid(slice)
    throw fail("invalid UTF-8 (byte \(UTF8Check.hex(slice[min(bad, slice.count - 1)])))", at: a + bad)
  }

  private func validated(_ buf: [UInt8], at start: Int) throws(JSONSyntaxError) -> String {
    if let s = String(validating: buf, as: UTF8.self) { return s }
    // Escapes only produce valid UTF-8, so the raw bytes hold the bad one.
    let raw = UnsafeBufferPointer(rebasing: bytes[start..<pos])
    let bad = UTF8Check.firstInvalid(raw)
    throw fail("invalid UTF-8 (byte \(UTF8Check.hex(raw[min(bad, raw.count - 1)])))", at: start + bad)
  }
}
