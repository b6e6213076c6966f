// The lexer: UTF-8 bytes in, tokens out. Newlines are statement separators
// except inside ( ) and [ ], where they are skipped; inside { } they count,
// and the parser skips them where a map literal allows.

/// Turns a range of a source into tokens.
public struct Lexer {
  let source: Source
  let bytes: [UInt8]
  var pos: Int
  let end: Int
  /// Open brackets: `(`/`[` hide newlines, `{` does not.
  var stack: [UInt8] = []

  public init(_ source: Source, from start: Int = 0, to end: Int? = nil) {
    self.source = source
    self.bytes = source.bytes
    self.pos = start
    self.end = end ?? source.bytes.count
  }

  /// All tokens, ending with `.eof`.
  public mutating func tokenize() throws -> [Token] {
    var tokens: [Token] = []
    while true {
      let t = try next()
      if t.kind == .newline, let last = tokens.last, last.kind == .newline { continue }
      if t.kind == .newline, tokens.isEmpty { continue }
      tokens.append(t)
      if t.kind == .eof { return tokens }
    }
  }

  func error(_ message: String, _ start: Int, _ stop: Int? = nil) -> RetortError {
    RetortError(.syntax, message, at: Span(source, start, stop ?? start + 1))
  }

  func peek(_ k: Int = 0) -> UInt8 { pos + k < end ? bytes[pos + k] : 0 }

  var hidesNewlines: Bool {
    if let top = stack.last { return top != UInt8(ascii: "{") }
    return false
  }

  mutating func next() throws -> Token {
    // Skip spaces, comments, and hidden newlines.
    while pos < end {
      let c = bytes[pos]
      if c == 32 || c == 9 || c == 13 { pos += 1; continue }
      if c == UInt8(ascii: "\\"), peek(1) == 10 { pos += 2; continue }  // explicit line join
      if c == UInt8(ascii: "#") {
        while pos < end && bytes[pos] != 10 { pos += 1 }
        continue
      }
      if c == 10 && hidesNewlines { pos += 1; continue }
      break
    }
    guard pos < end else { return Token(kind: .eof, start: end, end: end) }
    let start = pos
    let c = bytes[pos]
    if c == 10 { pos += 1; return Token(kind: .newline, start: start, end: pos) }
    if isIdentStart(c) {
      if (c == UInt8(ascii: "f") || c == UInt8(ascii: "F")), peek(1) == 34 || peek(1) == 39 {
        pos += 1
        let s = try lexString(start: start, quoteAt: pos)
        var t = Token(kind: .fstring, start: start, end: s.end, text: s.text)
        t.contentStart = s.contentStart
        t.contentEnd = s.contentEnd
        return t
      }
      while pos < end && isIdentChar(bytes[pos]) { pos += 1 }
      let name = String(decoding: bytes[start..<pos], as: UTF8.self)
      if let kw = keywords[name] { return Token(kind: kw, start: start, end: pos) }
      return Token(kind: .identifier, start: start, end: pos, text: name)
    }
    if isDigit(c) || (c == UInt8(ascii: ".") && isDigit(peek(1))) { return try lexNumber() }
    if c == 34 || c == 39 { return try lexString(start: start, quoteAt: start) }
    return try lexPunctuation(start)
  }

  mutating func lexPunctuation(_ start: Int) throws -> Token {
    let c = bytes[pos]
    let n = peek(1)
    func tok(_ k: TokenKind, _ len: Int) -> Token {
      pos += len
      return Token(kind: k, start: start, end: pos)
    }
    switch c {
    case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"):
      stack.append(c)
      return tok(c == UInt8(ascii: "(") ? .lparen : c == UInt8(ascii: "[") ? .lbracket : .lbrace, 1)
    case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"):
      if !stack.isEmpty { stack.removeLast() }
      return tok(c == UInt8(ascii: ")") ? .rparen : c == UInt8(ascii: "]") ? .rbracket : .rbrace, 1)
    case UInt8(ascii: ","): return tok(.comma, 1)
    case UInt8(ascii: "."): return tok(.dot, 1)
    case UInt8(ascii: ":"): return tok(.colon, 1)
    case UInt8(ascii: ";"): return tok(.semicolon, 1)
    case UInt8(ascii: "@"): return tok(.at, 1)
    case UInt8(ascii: "%"): return tok(.percent, 1)
    case UInt8(ascii: "+"): return n == UInt8(ascii: "=") ? tok(.plusAssign, 2) : tok(.plus, 1)
    case UInt8(ascii: "-"):
      if n == UInt8(ascii: "=") { return tok(.minusAssign, 2) }
      if n == UInt8(ascii: ">") { return tok(.arrow, 2) }
      return tok(.minus, 1)
    case UInt8(ascii: "*"):
      if n == UInt8(ascii: "*") { return tok(.starStar, 2) }
      return n == UInt8(ascii: "=") ? tok(.starAssign, 2) : tok(.star, 1)
    case UInt8(ascii: "/"):
      if n == UInt8(ascii: "/") { return tok(.slashSlash, 2) }
      return n == UInt8(ascii: "=") ? tok(.slashAssign, 2) : tok(.slash, 1)
    case UInt8(ascii: "="): return n == UInt8(ascii: "=") ? tok(.equal, 2) : tok(.assign, 1)
    case UInt8(ascii: "!"):
      if n == UInt8(ascii: "=") { return tok(.notEqual, 2) }
    case UInt8(ascii: "<"): return n == UInt8(ascii: "=") ? tok(.lessEqual, 2) : tok(.less, 1)
    case UInt8(ascii: ">"): return n == UInt8(ascii: "=") ? tok(.greaterEqual, 2) : tok(.greater, 1)
    default: break
    }
    // Report the whole (possibly multi-byte) character.
    var stop = pos + 1
    while stop < end && bytes[stop] & 0xC0 == 0x80 { stop += 1 }
    let ch = String(decoding: bytes[pos..<stop], as: UTF8.self)
    // Control characters (a NUL, an escape) are named by code, not written raw into the message.
    let shown = ch.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F && !(0x80..<0xA0).contains($0.value) }
      ? ch : ch.unicodeScalars.map { "\\u{\(String($0.value, radix: 16))}" }.joined()
    throw error("unexpected character '\(shown)'", pos, stop)
  }

  mutating func lexNumber() throws -> Token {
    let start = pos
    if bytes[pos] == UInt8(ascii: "0"), peek(1) == UInt8(ascii: "x") || peek(1) == UInt8(ascii: "X") {
      pos += 2
      var value = 0
      var any = false
      while pos < end, let d = hexValue(bytes[pos]) ?? (bytes[pos] == UInt8(ascii: "_") ? -1 : nil) {
        pos += 1
        if d < 0 { continue }
        any = true
        let (m, o1) = value.multipliedReportingOverflow(by: 16)
        let (s, o2) = m.addingReportingOverflow(d)
        if o1 || o2 { throw error("integer literal is too large (the limit is \(Int.max))", start, pos) }
        value = s
      }
      if !any { throw error("expected hexadecimal digits after '0x'", start, pos) }
      return Token(kind: .int, start: start, end: pos, intValue: value)
    }
    var isFloat = false
    while pos < end && (isDigit(bytes[pos]) || bytes[pos] == UInt8(ascii: "_")) { pos += 1 }
    if pos < end && bytes[pos] == UInt8(ascii: "."), isDigit(peek(1)) || !isIdentStart(peek(1)) && peek(1) != UInt8(ascii: ".") {
      isFloat = true
      pos += 1
      while pos < end && (isDigit(bytes[pos]) || bytes[pos] == UInt8(ascii: "_")) { pos += 1 }
    }
    if pos < end && (bytes[pos] == UInt8(ascii: "e") || bytes[pos] == UInt8(ascii: "E")) {
      var p = pos + 1
      if p < end && (bytes[p] == UInt8(ascii: "+") || bytes[p] == UInt8(ascii: "-")) { p += 1 }
      if p < end && isDigit(bytes[p]) {
        isFloat = true
        pos = p
        while pos < end && isDigit(bytes[pos]) { pos += 1 }
      } else {
        throw error("malformed number: expected digits after the exponent", start, p)
      }
    }
    if pos < end && isIdentStart(bytes[pos]) {
      throw error("malformed number: unexpected '\(Character(UnicodeScalar(bytes[pos])))' after digits", start, pos + 1)
    }
    let text = String(decoding: bytes[start..<pos].filter { $0 != UInt8(ascii: "_") }, as: UTF8.self)
    if isFloat {
      guard let v = Double(text) else { throw error("malformed number '\(text)'", start, pos) }
      return Token(kind: .float, start: start, end: pos, floatValue: v)
    }
    guard let v = Int(text) else {
      throw error("integer literal is too large (the limit is \(Int.max)); write it as a float, e.g. \(text).0", start, pos)
    }
    return Token(kind: .int, start: start, end: pos, intValue: v)
  }

  /// A string in single, double, or tripled quotes. Raw newlines are allowed.
  /// `text` holds the decoded contents; `contentStart..<contentEnd` the raw
  /// bytes inside the quotes (f-strings are parsed from them).
  mutating func lexString(start: Int, quoteAt q: Int) throws -> Token {
    let quote = bytes[q]
    let triple = q + 2 < end && bytes[q + 1] == quote && bytes[q + 2] == quote
    pos = q + (triple ? 3 : 1)
    let contentStart = pos
    var contentEnd = pos
    while true {
      guard pos < end else {
        let closing = String(repeating: quote == 34 ? "\"" : "'", count: triple ? 3 : 1)
        throw error("unterminated string: expected a closing \(closing)", start, pos)
      }
      let c = bytes[pos]
      if c == quote {
        if !triple { contentEnd = pos; pos += 1; break }
        if peek(1) == quote && peek(2) == quote { contentEnd = pos; pos += 3; break }
      }
      pos += c == UInt8(ascii: "\\") ? 2 : 1
    }
    let text = try Lexer.decodeEscapes(source, from: contentStart, to: contentEnd)
    var t = Token(kind: .string, start: start, end: pos, text: text)
    t.contentStart = contentStart
    t.contentEnd = contentEnd
    return t
  }

  /// Decodes backslash escapes in `source.bytes[from..<to]`.
  static func decodeEscapes(_ source: Source, from: Int, to: Int) throws -> String {
    let bytes = source.bytes
    var out: [UInt8] = []
    out.reserveCapacity(to - from)
    var pos = from
    func fail(_ message: String, _ a: Int, _ b: Int) -> RetortError {
      RetortError(.syntax, message, at: Span(source, a, b))
    }
    while pos < to {
      let c = bytes[pos]
      guard c == UInt8(ascii: "\\"), pos + 1 < to else {
        out.append(c)
        pos += 1
        continue
      }
      let e = bytes[pos + 1]
      let escStart = pos
      pos += 2
      switch e {
      case UInt8(ascii: "n"): out.append(10)
      case UInt8(ascii: "t"): out.append(9)
      case UInt8(ascii: "r"): out.append(13)
      case UInt8(ascii: "0"): out.append(0)
      case UInt8(ascii: "\\"), 34, 39: out.append(e)
      case 10: break  // line continuation inside a string
      case UInt8(ascii: "x"):
        guard pos + 1 < to, let h = hexValue(bytes[pos]), let l = hexValue(bytes[pos + 1]) else {
          throw fail("bad escape: \\x needs two hex digits", escStart, pos)
        }
        appendScalar(UInt32(h * 16 + l), to: &out)
        pos += 2
      case UInt8(ascii: "u"):
        var v: UInt32 = 0
        if pos < to && bytes[pos] == UInt8(ascii: "{") {
          pos += 1
          var n = 0
          while pos < to, n < 8, let h = hexValue(bytes[pos]) { v = v * 16 + UInt32(h); pos += 1; n += 1 }
          guard n > 0, pos < to, bytes[pos] == UInt8(ascii: "}") else {
            throw fail("bad escape: expected \\u{hex digits}", escStart, pos)
          }
          pos += 1
        } else {
          for _ in 0..<4 {
            guard pos < to, let h = hexValue(bytes[pos]) else {
              throw fail("bad escape: \\u needs four hex digits", escStart, pos)
            }
            v = v * 16 + UInt32(h)
            pos += 1
          }
        }
        guard UnicodeScalar(v) != nil else {
          throw fail("bad escape: U+\(String(v, radix: 16, uppercase: true)) is not a Unicode scalar", escStart, pos)
        }
        appendScalar(v, to: &out)
      default:
        out.append(UInt8(ascii: "\\"))
        out.append(e)
      }
    }
    return String(decoding: out, as: UTF8.self)
  }
}

func appendScalar(_ v: UInt32, to out: inout [UInt8]) {
  guard let s = UnicodeScalar(v) else { return }
  out.append(contentsOf: Array(String(Character(s)).utf8))
}

@inline(__always) func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
@inline(__always) func isIdentStart(_ c: UInt8) -> Bool {
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c == 95
}
@inline(__always) func isIdentChar(_ c: UInt8) -> Bool { isIdentStart(c) || isDigit(c) }
func hexValue(_ c: UInt8) -> Int? {
  switch c {
  case 48...57: return Int(c) - 48
  case 97...102: return Int(c) - 87
  case 65...70: return Int(c) - 55
  default: return nil
  }
}

extension Lexer {
  /// Whether `text` stops inside an open bracket, brace or string, so a
  /// REPL should read another line before running it.
  public static func needsMoreInput(_ text: String) -> Bool {
    let src = Source(name: "", text: text)
    var lexer = Lexer(src)
    // A `try { ... }` block that ends the text still needs its `catch`, which
    // may start the next line.
    var afterTry: [Bool] = []
    var previous: TokenKind = .newline
    var endsWithTryBlock = false
    do {
      while true {
        let t = try lexer.next()
        if t.kind == .eof { break }
        if t.kind == .newline { continue }
        endsWithTryBlock = false
        if t.kind == .lbrace { afterTry.append(previous == .kwTry) }
        if t.kind == .rbrace { endsWithTryBlock = afterTry.popLast() ?? false }
        previous = t.kind
      }
    } catch let e as RetortError {
      return e.message.hasPrefix("unterminated string")
    } catch {
      return false
    }
    // (A backslash at the end of a line joins nothing: outside strings the language has no line
    // continuation, and a comment that ends in one, "# C:\", ends there.)
    return !lexer.stack.isEmpty || endsWithTryBlock
  }
}
