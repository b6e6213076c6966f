// The names a cell binds and reads, read off its tokens: what `:save` needs to warn that a saved
// cell reads a name only a left-out (failed) cell bound, so the script would stop there.
//
// A lexical reading, not the evaluator's: `x = ...`, `x += ...` outside brackets, `fn x`, and
// `for x in` bind; any other name not after a dot, and not a keyword argument's name (`f(x=1)`),
// is read. Names inside f-string fields are not seen.

/// Names a piece of code binds and reads.
public enum CellBindings {
  public struct Names: Equatable, Sendable {
    public var binds: Set<String> = []
    public var reads: Set<String> = []
  }

  /// The names `code` binds and reads; code that does not lex has none.
  public static func names(in code: String) -> Names {
    var lexer = Lexer(Source(name: "", text: code))
    var names = Names()
    guard let tokens = try? lexer.tokenize() else { return names }
    let assigns: Set<TokenKind> = [.assign, .plusAssign, .minusAssign, .starAssign, .slashAssign]
    var depth = 0
    for (i, t) in tokens.enumerated() {
      switch t.kind {
      case .lparen, .lbracket: depth += 1
      case .rparen, .rbracket: depth = max(0, depth - 1)
      case .identifier:
        let before = i > 0 ? tokens[i - 1].kind : .newline
        let after = i + 1 < tokens.count ? tokens[i + 1].kind : .eof
        if before == .dot { continue }
        if before == .kwFn || before == .kwFor || (depth == 0 && assigns.contains(after)) {
          names.binds.insert(t.text)
          // `x += 1` also reads x.
          if after != .assign && before != .kwFn && before != .kwFor { names.reads.insert(t.text) }
        } else if !(depth > 0 && after == .assign) {
          names.reads.insert(t.text)
        }
      default: break
      }
    }
    return names
  }
}
