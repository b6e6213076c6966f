// Pre-tokenizer splits for byte-level BPE, written as hand-made scanners
// equivalent to the regular expressions the reference tokenizers use:
//
// gpt2:   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
// smollm: every \p{N} character alone first, then the gpt2 expression on the rest
// llama3: (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}|
//         ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+

/// How text is split into pieces before BPE (`tokenizer.ggml.pre`).
public enum PreTokenizer: String, Sendable, CaseIterable {
  case gpt2, smollm, llama3

  /// The pre-tokenizer named in GGUF metadata (`default` means gpt2).
  public init(gguf name: String) throws {
    switch name {
    case "gpt2", "gpt-2", "default", "mpt", "olmo", "jais": self = .gpt2
    case "smollm", "codeshell", "exaone", "minerva": self = .smollm
    case "llama3", "llama-bpe", "llama-v3", "dbrx", "smaug-bpe": self = .llama3
    default:
      let known = "gpt2, smollm, llama3 (and their aliases)"
      throw ModelError("unsupported tokenizer.ggml.pre '\(name)'; supported: \(known)")
    }
  }

  /// Splits `text` into pieces, returned as ranges of its scalars.
  func split(_ s: [Unicode.Scalar]) -> [Range<Int>] {
    var out: [Range<Int>] = []
    switch self {
    case .gpt2: PreTokenizer.gpt2(s, 0..<s.count, into: &out)
    case .llama3: PreTokenizer.llama3(s, into: &out)
    case .smollm:
      var start = 0
      for i in 0..<s.count where CharClass.of(s[i]) == .number {
        if start < i { PreTokenizer.gpt2(s, start..<i, into: &out) }
        out.append(i..<(i + 1))
        start = i + 1
      }
      if start < s.count { PreTokenizer.gpt2(s, start..<s.count, into: &out) }
    }
    return out
  }

  /// Length of an English contraction (`'s`, `'ll`, ...) at `i`, or 0.
  private static func contraction(_ s: [Unicode.Scalar], _ i: Int, _ end: Int, caseless: Bool) -> Int {
    guard s[i] == "'", i + 1 < end else { return 0 }
    func low(_ k: Int) -> Unicode.Scalar? {
      guard k < end else { return nil }
      let c = s[k]
      if caseless, c.value >= 65, c.value <= 90 { return Unicode.Scalar(c.value + 32) }
      return c
    }
    let a = low(i + 1), b = low(i + 2)
    if a == "s" || a == "t" || a == "m" || a == "d" { return 2 }
    if (a == "r" && b == "e") || (a == "v" && b == "e") || (a == "l" && b == "l") { return 3 }
    return 0
  }

  /// End of the whitespace-led match at `i` for `\s+(?!\S)|\s+`.
  private static func spaces(_ s: [Unicode.Scalar], _ i: Int, _ end: Int) -> Int {
    var j = i
    while j < end, CharClass.of(s[j]) == .space { j += 1 }
    if j < end, j - i > 1 { return j - 1 }  // leave one space to lead the next piece
    return j
  }

  static func gpt2(_ s: [Unicode.Scalar], _ range: Range<Int>, into out: inout [Range<Int>]) {
    var i = range.lowerBound
    let end = range.upperBound
    while i < end {
      let start = i
      let n = contraction(s, i, end, caseless: false)
      if n > 0 {
        i += n
      } else {
        let lead = s[i] == " " && i + 1 < end ? 1 : 0
        let cls = CharClass.of(s[i + lead])
        if s[i] == " " && lead == 0 {
          i = spaces(s, i, end)
        } else if cls == .letter || cls == .number {
          i += lead
          while i < end, CharClass.of(s[i]) == cls { i += 1 }
        } else if cls == .other {
          i += lead
          while i < end, CharClass.of(s[i]) == .other { i += 1 }
        } else {
          i = spaces(s, i, end)
        }
      }
      out.append(start..<i)
    }
  }

  static func llama3(_ s: [Unicode.Scalar], into out: inout [Range<Int>]) {
    var i = 0
    let end = s.count
    @inline(__always) func isNewline(_ c: Unicode.Scalar) -> Bool { c == "\r" || c == "\n" }
    while i < end {
      let start = i
      let c = s[i]
      let cls = CharClass.of(c)
      let next: CharClass? = i + 1 < end ? CharClass.of(s[i + 1]) : nil
      let n = contraction(s, i, end, caseless: true)
      if n > 0 {
        i += n
      } else if cls == .letter || (cls != .number && !isNewline(c) && next == .letter) {
        i += 1
        while i < end, CharClass.of(s[i]) == .letter { i += 1 }
      } else if cls == .number {
        while i < end, i - start < 3, CharClass.of(s[i]) == .number { i += 1 }
      } else if cls == .other || (c == " " && next == .other) {
        if c == " " { i += 1 }
        while i < end, CharClass.of(s[i]) == .other { i += 1 }
        while i < end, isNewline(s[i]) { i += 1 }
      } else {
        // Whitespace: \s*[\r\n]+ ends after the run's last newline, if any.
        var j = i
        var lastNewline = -1
        while j < end, CharClass.of(s[j]) == .space {
          if isNewline(s[j]) { lastNewline = j }
          j += 1
        }
        i = lastNewline >= 0 ? lastNewline + 1 : spaces(s, i, end)
      }
      out.append(start..<i)
    }
  }
}

/// The character classes the pre-tokenizer expressions distinguish.
enum CharClass: UInt8 {
  case letter, number, space, other

  private static let ascii: [CharClass] = (0..<128).map { classify(Unicode.Scalar(UInt8($0))) }

  @inline(__always) static func of(_ c: Unicode.Scalar) -> CharClass {
    c.value < 128 ? ascii[Int(c.value)] : classify(c)
  }

  static func classify(_ c: Unicode.Scalar) -> CharClass {
    let p = c.properties
    if p.isWhitespace { return .space }
    switch p.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
      return .letter
    case .decimalNumber, .letterNumber, .otherNumber:
      return .number
    default:
      return .other
    }
  }
}
