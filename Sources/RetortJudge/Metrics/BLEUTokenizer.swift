// BLEUTokenizer: sacreBLEU's '13a', 'zh' and 'none' tokenizers, reproduced exactly.
//
// BLEU has its own tokenizers (not the shared RetortData tokenizer) because its numbers must equal
// sacreBLEU's. Everything works on Unicode scalars, as Python strings do.
//
// '13a' (mteval-v13a): remove `<skipped>`, join `-\n` line breaks, turn `\n` into spaces, unescape
//   `&quot; &amp; &lt; &gt;` (in that order, only if the line contains `&`), pad with one space, then
//   the shared post-tokenizer below.
// 'zh': strip Python whitespace, surround every "Chinese" scalar with spaces, then the post-tokenizer.
//   sacreBLEU's range table writes two astral ranges as `'\u20000'` and `'\u2f800'`, which Python
//   reads as two-character strings; compared against one character they behave as the ranges
//   U+2001...U+2A6D and U+2F81...U+2FA1 (so curly quotes, dashes and ellipses count as Chinese).
//   That quirk is reproduced, because it changes scores on real Chinese text.
// Post-tokenizer: (1) pad `{|}~ [\]^_` space!"#$%& ()*+ :;<=>?@ /` with spaces; (2) split `.`/`,`
//   not preceded by an ASCII digit; (3) split `.`/`,` not followed by an ASCII digit; (4) split `-`
//   preceded by a digit; each rule is one left-to-right non-overlapping pass, as `re.sub` does; then
//   split on Python whitespace.

/// The tokenizers sacreBLEU offers that Retort reproduces.
public enum BLEUTokenizer: String, Sendable, Codable, CaseIterable {
  /// mteval-v13a, sacreBLEU's default.
  case v13a = "13a"
  /// Chinese: every CJK character a token, the rest as 13a.
  case zh
  /// Split on whitespace only.
  case none

  /// Tokenizes one segment (after sacreBLEU's `rstrip`) into tokens.
  public func tokens(_ line: String) -> [String] {
    var s = Array(line.unicodeScalars)
    while let last = s.last, PythonText.isSpace(last) { s.removeLast() }
    switch self {
    case .none:
      return PythonText.split(s)
    case .v13a:
      s = PythonText.replace(s, "<skipped>", "")
      s = PythonText.replace(s, "-\n", "")
      s = PythonText.replace(s, "\n", " ")
      if s.contains("&") {
        s = PythonText.replace(s, "&quot;", "\"")
        s = PythonText.replace(s, "&amp;", "&")
        s = PythonText.replace(s, "&lt;", "<")
        s = PythonText.replace(s, "&gt;", ">")
      }
      return Self.postTokenize([" "] + s + [" "])
    case .zh:
      let stripped = PythonText.strip(s)
      var out: [Unicode.Scalar] = []
      out.reserveCapacity(stripped.count * 2)
      for c in stripped {
        if Self.isChinese(c) { out.append(" "); out.append(c); out.append(" ") } else { out.append(c) }
      }
      return Self.postTokenize(out)
    }
  }

  /// sacreBLEU's `_UCODE_RANGES`, with the two astral entries as Python actually compares them.
  static let chineseRanges: [ClosedRange<UInt32>] = [
    0x3400...0x4DB5, 0x4E00...0x9FA5, 0x9FA6...0x9FBB, 0xF900...0xFA2D, 0xFA30...0xFA6A,
    0xFA70...0xFAD9, 0x2001...0x2A6D, 0x2F81...0x2FA1, 0xFF00...0xFFEF, 0x2E80...0x2EFF,
    0x3000...0x303F, 0x31C0...0x31EF, 0x2F00...0x2FDF, 0x2FF0...0x2FFF, 0x3100...0x312F,
    0x31A0...0x31BF, 0xFE10...0xFE1F, 0xFE30...0xFE4F, 0x2600...0x26FF, 0x2700...0x27BF,
    0x3200...0x32FF, 0x3300...0x33FF,
  ]

  static func isChinese(_ c: Unicode.Scalar) -> Bool {
    chineseRanges.contains { $0.contains(c.value) }
  }

  static func isDigit(_ c: Unicode.Scalar) -> Bool { c.value >= 0x30 && c.value <= 0x39 }

  static func isPadded(_ c: Unicode.Scalar) -> Bool {
    switch c.value {
    case 0x7B...0x7E, 0x5B...0x60, 0x20...0x26, 0x28...0x2B, 0x3A...0x40, 0x2F: return true
    default: return false
    }
  }

  /// sacreBLEU's `TokenizerRegexp`: four `re.sub` passes, then whitespace split.
  static func postTokenize(_ input: [Unicode.Scalar]) -> [String] {
    var s: [Unicode.Scalar] = []
    s.reserveCapacity(input.count * 2)
    for c in input {
      if isPadded(c) { s.append(" "); s.append(c); s.append(" ") } else { s.append(c) }
    }
    let isDotComma: (Unicode.Scalar) -> Bool = { $0 == "." || $0 == "," }
    s = pairPass(s, matches: { a, b in !isDigit(a) && isDotComma(b) }, emit: { a, b in [a, " ", b, " "] })
    s = pairPass(s, matches: { a, b in isDotComma(a) && !isDigit(b) }, emit: { a, b in [" ", a, " ", b] })
    s = pairPass(s, matches: { a, b in isDigit(a) && b == "-" }, emit: { a, b in [a, " ", b, " "] })
    return PythonText.split(s)
  }

  /// One `re.sub` pass of a two-character pattern: scan left to right, replace non-overlapping matches.
  static func pairPass(
    _ s: [Unicode.Scalar], matches: (Unicode.Scalar, Unicode.Scalar) -> Bool,
    emit: (Unicode.Scalar, Unicode.Scalar) -> [Unicode.Scalar]
  ) -> [Unicode.Scalar] {
    var out: [Unicode.Scalar] = []
    out.reserveCapacity(s.count + s.count / 4)
    var i = 0
    while i < s.count {
      if i + 1 < s.count, matches(s[i], s[i + 1]) {
        out.append(contentsOf: emit(s[i], s[i + 1]))
        i += 2
      } else {
        out.append(s[i])
        i += 1
      }
    }
    return out
  }
}
