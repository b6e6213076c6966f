// Text meant to be looked at (a loss chart, a token table): the REPL shows it
// as it is, not as a quoted one-line string. `str(x)` and `print(x)` give the
// same text, and `x.text` the string itself.

import RetortLang

/// Multi-line text displayed as it is.
final class TextBlockValue: HostObject {
  static let type = TypeInfo("Text", doc: "Text shown as it is (a chart or a table); x.text or str(x) is the string.") { t in
    t.property("text", "The text as a string.") { (b: TextBlockValue) in .string(b.text) }
    t.property("lines", "The text's lines.") { (b: TextBlockValue) in
      .list(b.text.split(separator: "\n", omittingEmptySubsequences: false).map { .string(String($0)) })
    }
  }

  let text: String
  init(_ text: String) { self.text = text }

  var typeInfo: TypeInfo { Self.type }
  func render(_ context: RenderContext) throws -> String { text }
  var brief: String {
    let n = text.split(separator: "\n", omittingEmptySubsequences: false).count
    return "<Text, \(n) line\(n == 1 ? "" : "s")>"
  }
}
