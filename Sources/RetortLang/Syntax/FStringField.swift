// Where an f-string's `{...}` field ends, and where its format spec (`:`)
// and conversion (`!r`, `!s`) start: the parser and CellValueNames read
// fields the same way.

/// The layout of one replacement field of an f-string.
struct FStringField {
  /// The offset of the closing `}` (or `end` when the field is not closed).
  var close: Int
  /// The top-level `:` that starts the format spec, if any.
  var colon: Int?
  /// The top-level `!` of a conversion (`!r` or `!s` then `:` or `}`), if any.
  var bang: Int?

  /// Scans the field whose text starts at `start` (just after its `{`), up to `end`.
  /// Brackets nest, quoted text is skipped, and the first top-level `:` starts the spec.
  init(_ bytes: [UInt8], from start: Int, to end: Int) {
    var j = start, nest = 0, quote: UInt8 = 0
    var colon: Int? = nil, bang: Int? = nil
    while j < end {
      let d = bytes[j]
      if quote != 0 {
        if d == quote { quote = 0 }
      } else if d == 34 || d == 39 {
        quote = d
      } else if d == UInt8(ascii: "(") || d == UInt8(ascii: "[") || d == UInt8(ascii: "{") {
        nest += 1
      } else if d == UInt8(ascii: ")") || d == UInt8(ascii: "]") {
        nest -= 1
      } else if d == UInt8(ascii: "}") {
        if nest == 0 { break }
        nest -= 1
      } else if d == UInt8(ascii: ":") && nest == 0 && colon == nil {
        colon = j
      } else if d == UInt8(ascii: "!") && nest == 0 && colon == nil && bang == nil && j + 2 < end
                  && [UInt8(ascii: ":"), UInt8(ascii: "}")].contains(bytes[j + 2]) && bytes[j + 1] != UInt8(ascii: "=") {
        bang = j
      }
      j += 1
    }
    self.close = j
    self.colon = colon
    self.bang = bang
  }
}
