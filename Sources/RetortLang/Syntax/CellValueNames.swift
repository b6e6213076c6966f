// The REPL's names for displayed values, `_` (the last one) and `_N` (the one
// cell N displayed), as code reads them: `:save` warns about them, since a
// script run with `retort run` has no cell numbers.

/// Finds the `_` and `_N` names a piece of code reads.
public enum CellValueNames {
  /// What `uses(in:)` found.
  public struct Uses: Equatable, Sendable {
    /// The `_N` names read, in order of first use, each once.
    public var numbered: [String] = []
    /// Whether `_` is read.
    public var last = false

    public init(numbered: [String] = [], last: Bool = false) {
      self.numbered = numbered
      self.last = last
    }
  }

  /// The `_` and `_N` names `code` reads, inside f-strings too; names it binds
  /// (`for _ in`, `_ = x`) and attributes (`x._1`) are not reads, nor is `_`
  /// after the code has bound it. Code that does not lex reads nothing.
  public static func uses(in code: String) -> Uses {
    let source = Source(name: "", text: code)
    var lexer = Lexer(source)
    var uses = Uses()
    guard let tokens = try? lexer.tokenize() else { return uses }
    // Once the code binds `_` itself, later reads of `_` read that binding.
    var boundLast = false
    for (i, t) in tokens.enumerated() {
      let readLast = uses.last
      if t.kind == .fstring {
        scanFString(source.bytes, from: t.contentStart, to: t.contentEnd, into: &uses)
      } else if t.kind == .identifier {
        let before = i > 0 ? tokens[i - 1].kind : .newline
        let after = i + 1 < tokens.count ? tokens[i + 1].kind : .eof
        if before == .dot { continue }
        if before == .kwFor || after == .kwIn || after == .assign {
          if t.text == "_" { boundLast = true }
          continue
        }
        record(t.text, into: &uses)
      }
      if boundLast { uses.last = readLast }
    }
    return uses
  }

  private static func record(_ name: String, into uses: inout Uses) {
    if name == "_" {
      uses.last = true
    } else if name.count > 1, name.hasPrefix("_"), name.dropFirst().allSatisfy(\.isASCIIDigit),
              !uses.numbered.contains(name) {
      uses.numbered.append(name)
    }
  }

  /// The names in an f-string's `{...}` fields (and in their format specs' fields):
  /// each field's expression is read as code, by `uses(in:)`.
  private static func scanFString(_ bytes: [UInt8], from start: Int, to end: Int, into uses: inout Uses) {
    var i = start
    while i < end {
      let c = bytes[i]
      if (c == UInt8(ascii: "{") || c == UInt8(ascii: "}")) && i + 1 < end && bytes[i + 1] == c { i += 2; continue }
      guard c == UInt8(ascii: "{") else { i += 1; continue }
      // The field's end, conversion and format spec, as the parser finds them.
      let field = FStringField(bytes, from: i + 1, to: end)
      let found = self.uses(in: String(decoding: bytes[(i + 1)..<(field.bang ?? field.colon ?? field.close)], as: UTF8.self))
      if found.last { uses.last = true }
      for name in found.numbered where !uses.numbered.contains(name) { uses.numbered.append(name) }
      if let colon = field.colon { scanFString(bytes, from: colon + 1, to: field.close, into: &uses) }
      i = field.close + 1
    }
  }
}

private extension Character {
  var isASCIIDigit: Bool { isASCII && isNumber }
}
