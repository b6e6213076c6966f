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
  var scratch: [UInt8] = []
  /// Interned object keys: files repeat the same few keys on every line.
  var keyCache: [Int: String] = [:]
  /// Keys of the last top-level object, reused while records repeat them.
  private var lastKeys: [String] = []
  /// Integers too large for 64 bits, read as doubles (digits lost), and where the last one starts.
  var inexactIntegers = 0
  var lastInexactOffset = 0

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

  @inline(__always) func fail(_ message: String, at offset: Int? = nil) -> JSONSyntaxError {
    JSONSyntaxError(offset: offset ?? pos, message: message)
  }

  @inline(__always) mutating func skipWhitespace() {
    while pos < end {
      let c = bytes[pos]
      if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { pos += 1 } else { break }
    }
  }

  /// Describes the byte at `pos` for "expected X, found Y" messages.
  func found() -> String {
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

  /// An object. Records in a file nearly always repeat the previous
  /// record's keys in the same order; while they do, the previous key list
  /// is reused (no key array is built and no duplicate search is needed).
  mutating func parseObject() throws(JSONSyntaxError) -> JSONObject {
    depth += 1
    if depth > JSONParser.maxDepth { throw fail("nesting deeper than \(JSONParser.maxDepth) levels") }
    defer { depth -= 1 }
    pos += 1  // {
    let template = depth == 1 ? lastKeys : []
    var matched = 0  // keys so far equal to template's prefix (while `object` is unused)
    var object = JSONObject()
    var values: [JSONValue] = []
    values.reserveCapacity(template.count)
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
      if matched >= 0 && matched < template.count && template[matched] == key {
        values.append(value)
        matched += 1
      } else {
        if matched >= 0 {
          // Leave the fast path: materialise the keys matched so far.
          for i in 0..<matched { object.appendUnchecked(template[i], values[i]) }
          matched = -1
        }
        if object.index(of: key) != nil { object[key] = value } else { object.appendUnchecked(key, value) }
      }
      skipWhitespace()
      guard pos < end else { throw fail("expected ',' or '}'") }
      let c = bytes[pos]
      pos += 1
      if c == UInt8(ascii: ",") { continue }
      if c == UInt8(ascii: "}") {
        if matched >= 0 {
          if matched == template.count { return JSONObject(uncheckedKeys: template, values: values) }
          for i in 0..<matched { object.appendUnchecked(template[i], values[i]) }
        }
        if depth == 1 { lastKeys = object.keys }
        return object
      }
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
    if isInteger {
      if let i = Int(text) { return .int(i) }
      inexactIntegers += 1
      lastInexactOffset = start
    }
    return .double(Double(text) ?? .nan)
  }

  @inline(__always) private func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
}

extension JSONValue {
  /// The deepest nesting a JSON file (or a value stored in a record) may have.
  public static var maxDepth: Int { JSONParser.maxDepth }
}
