// A JSON parser over UTF-8 bytes (RFC 8259), written for speed on data
// files: it reads straight from a memory-mapped buffer, makes each string
// with one validating copy, and reports errors as a byte offset that the
// caller turns into file:line:column (see `SourcePosition`).

/// A syntax error at a byte offset in the parsed buffer.
public struct JSONSyntaxError: Error, Sendable {
  /// Byte offset of the offending byte from the start of the buffer.
  public let offset: Int
  /// What was expected or what is wrong, e.g. "expected ',' or '}'".
  public let message: String
}

/// Parses JSON values from a byte buffer, one value at a time.
struct JSONParser {
  let bytes: UnsafeBufferPointer<UInt8>
  var pos: Int
  var end: Int
  private var depth = 0
  private var scratch: [UInt8] = []
  /// Interned object keys: files repeat the same few keys on every line.
  private var keyCache: [Int: String] = [:]

  static let maxDepth = 512

  init(bytes: UnsafeBufferPointer<UInt8>, start: Int = 0, end: Int? = nil) {
    self.bytes = bytes
    self.pos = start
    self.end = end ?? bytes.count
  }

  /// Moves the parser to a new range of the same buffer, keeping its caches.
  mutating func reset(start: Int, end: Int) {
    pos = start
    self.end = end
    depth = 0
  }

  @inline(__always) private func fail(_ message: String, at offset: Int? = nil) -> JSONSyntaxError {
    JSONSyntaxError(offset: offset ?? pos, message: message)
  }

  @inline(__always) mutating func skipWhitespace() {
    while pos < end {
      let c = bytes[pos]
      if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { pos += 1 } else { break }
    }
  }

  /// Describes the byte at `pos` for "expected X, found Y" messages.
  private func found() -> String {
    if pos >= end { return "end of line" }
    let c = bytes[pos]
    if c >= 0x20 && c < 0x7F { return "'\(Character(Unicode.Scalar(c)))'" }
    return "byte " + UTF8Check.hex(c)
  }

  /// Parses one value starting at the first non-space byte.
  mutating func parseValue() throws(JSONSyntaxError) -> JSONValue {
    skipWhitespace()
    guard pos < end else { throw fail("expected a JSON value, found end of line") }
    switch bytes[pos] {
    case UInt8(ascii: "{"): return .object(try parseObject())
    case UInt8(ascii: "["): return try parseArray()
    case UInt8(ascii: "\""): return .string(try parseString())
    case UInt8(ascii: "t"): try literal("true"); return .bool(true)
    case UInt8(ascii: "f"): try literal("false"); return .bool(false)
    case UInt8(ascii: "n"): try literal("null"); return .null
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
    default: throw fail("expected a JSON value, found \(found())")
    }
  }

  private mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
    let start = pos
    let n = word.utf8CodeUnitCount
    let w = word.utf8Start
    for i in 0..<n {
      guard pos < end, bytes[pos] == w[i] else {
        var stop = start
        while stop < end && stop - start < 20, case let c = bytes[stop], (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) {
          stop += 1
        }
        let word = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<max(stop, start + 1)]), as: UTF8.self)
        throw fail("expected a JSON value, found '\(word)'", at: start)
      }
      pos += 1
    }
  }

  mutating func parseObject() throws(JSONSyntaxError) -> JSONObject {
    depth += 1
    if depth > JSONParser.maxDepth { throw fail("nesting deeper than \(JSONParser.maxDepth) levels") }
    defer { depth -= 1 }
    pos += 1  // {
    var object = JSONObject()
    skipWhitespace()
    if pos < end && bytes[pos] == UInt8(ascii: "}") { pos += 1; return object }
    while true {
      skipWhitespace()
      guard pos < end, bytes[pos] == UInt8(ascii: "\"") else {
        throw fail("expected a string key, found \(found())")
      }
      let key = try parseKey()
      skipWhitespace()
      guard pos < end, bytes[pos] == UInt8(ascii: ":") else { throw fail("expected ':' after key, found \(found())") }
      pos += 1
      let value = try parseValue()
      if object.index(of: key) != nil { object[key] = value } else { object.appendUnchecked(key, value) }
      skipWhitespace()
      guard pos < end else { throw fail("expected ',' or '}'") }
      let c = bytes[pos]
      pos += 1
      if c == UInt8(ascii: ",") { continue }
      if c == UInt8(ascii: "}") { return object }
      pos -= 1
      throw fail("expected ',' or '}'")
    }
  }

  private mutating func parseArray() throws(JSONSyntaxError) -> JSONValue {
    depth += 1
    if depth > JSONParser.maxDepth { throw fail("nesting deeper than \(JSONParser.maxDepth) levels") }
    defer { depth -= 1 }
    pos += 1  // [
    var items: [JSONValue] = []
    skipWhitespace()
    if pos < end && bytes[pos] == UInt8(ascii: "]") { pos += 1; return .array(items) }
    while true {
      items.append(try parseValue())
      skipWhitespace()
      guard pos < end else { throw fail("expected ',' or ']'") }
      let c = bytes[pos]
      pos += 1
      if c == UInt8(ascii: ",") { continue }
      if c == UInt8(ascii: "]") { return .array(items) }
      pos -= 1
      throw fail("expected ',' or ']'")
    }
  }

  /// A key: short keys without escapes are cached by their bytes.
  private mutating func parseKey() throws(JSONSyntaxError) -> String {
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
    for b in UTF8.encode(scalar)! { scratch.append(b) }
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

  private mutating func parseNumber() throws(JSONSyntaxError) -> JSONValue {
    let start = pos
    var isInteger = true
    if bytes[pos] == UInt8(ascii: "-") { pos += 1 }
    guard pos < end, isDigit(bytes[pos]) else { throw fail("expected a digit in number, found \(found())") }
    if bytes[pos] == UInt8(ascii: "0") {
      pos += 1
      if pos < end && isDigit(bytes[pos]) { throw fail("leading zeros are not allowed in numbers") }
    } else {
      while pos < end && isDigit(bytes[pos]) { pos += 1 }
    }
    if pos < end && bytes[pos] == UInt8(ascii: ".") {
      isInteger = false
      pos += 1
      guard pos < end, isDigit(bytes[pos]) else { throw fail("expected a digit after '.', found \(found())") }
      while pos < end && isDigit(bytes[pos]) { pos += 1 }
    }
    if pos < end && (bytes[pos] == UInt8(ascii: "e") || bytes[pos] == UInt8(ascii: "E")) {
      isInteger = false
      pos += 1
      if pos < end && (bytes[pos] == UInt8(ascii: "+") || bytes[pos] == UInt8(ascii: "-")) { pos += 1 }
      guard pos < end, isDigit(bytes[pos]) else { throw fail("expected a digit in exponent, found \(found())") }
      while pos < end && isDigit(bytes[pos]) { pos += 1 }
    }
    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<pos]), as: UTF8.self)
    if isInteger, let i = Int(text) { return .int(i) }
    return .double(Double(text) ?? .nan)
  }

  @inline(__always) private func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
}
