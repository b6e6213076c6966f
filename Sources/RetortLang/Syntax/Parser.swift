// The parser: tokens in, statements out. Recursive descent; statements end
// at a newline, `;` or a closing brace. Expression grammar (loosest first):
//
//   or -> and -> not -> comparison (chains; `in`, `not in`) -> + -
//      -> * / // % @ -> unary - + -> ** (right-assoc) -> postfix -> primary

/// Parses one source (a cell, a script, an f-string's inner expression).
public struct Parser {
  let source: Source
  var tokens: [Token]
  var pos = 0
  /// Nesting of expressions and blocks, bounded so deep input cannot
  /// overflow the stack.
  var depth = 0
  /// Loops around the current statement within its function (0 at the top of a
  /// function or cell, where `break` and `continue` have nothing to leave).
  var loopDepth = 0
  static let maxDepth = 200

  public init(_ source: Source) throws {
    self.source = source
    var lexer = Lexer(source)
    tokens = try lexer.tokenize()
  }

  init(_ source: Source, from: Int, to: Int) throws {
    self.source = source
    var lexer = Lexer(source, from: from, to: to)
    tokens = try lexer.tokenize()
  }

  /// Parses the whole source as a sequence of statements.
  public mutating func parseProgram() throws -> [Stmt] {
    var stmts: [Stmt] = []
    skipSeparators()
    while peek.kind != .eof {
      stmts.append(try statement())
      try endStatement()
      skipSeparators()
    }
    return stmts
  }

  // MARK: Token helpers

  var peek: Token { tokens[pos] }
  func peekKind(_ k: Int) -> TokenKind { pos + k < tokens.count ? tokens[pos + k].kind : .eof }

  mutating func advance() -> Token {
    let t = tokens[pos]
    if pos < tokens.count - 1 { pos += 1 }
    return t
  }

  mutating func match(_ kind: TokenKind) -> Bool {
    if peek.kind == kind { _ = advance(); return true }
    return false
  }

  func span(_ t: Token) -> Span { Span(source, t.start, t.end) }
  func span(from start: Int) -> Span {
    let end = pos > 0 ? tokens[pos - 1].end : start
    return Span(source, start, max(start, end))
  }

  func error(_ message: String, at t: Token? = nil) -> RetortError {
    let tok = t ?? peek
    return RetortError(.syntax, message, at: Span(source, tok.start, max(tok.end, tok.start + 1)))
  }

  mutating func expect(_ kind: TokenKind, _ what: String) throws -> Token {
    guard peek.kind == kind else { throw error("expected \(what), found \(describe(peek))") }
    return advance()
  }

  /// Like `expect`, for a closing bracket: the error also says where `opener` is,
  /// since the place the parser gave up may be far below it.
  mutating func expectClosing(_ kind: TokenKind, _ what: String, opener: Token) throws -> Token {
    guard peek.kind == kind else {
      let at = source.location(of: opener.start)
      throw error("expected \(what) opened at line \(at.line), column \(at.column), found \(describe(peek))")
    }
    return advance()
  }

  func describe(_ t: Token) -> String {
    switch t.kind {
    case .eof: return "end of input"
    case .newline: return "end of line"
    case .identifier: return "'\(t.text)'"
    case .int, .float: return "number"
    case .string, .fstring: return "string"
    default:
      return "'" + String(decoding: source.bytes[t.start..<t.end], as: UTF8.self) + "'"
    }
  }

  mutating func skipSeparators() {
    while peek.kind == .newline || peek.kind == .semicolon { _ = advance() }
  }

  mutating func skipNewlines() {
    while peek.kind == .newline { _ = advance() }
  }

  mutating func endStatement() throws {
    switch peek.kind {
    case .newline, .semicolon, .eof, .rbrace: return
    default: throw error("expected end of statement, found \(describe(peek))")
    }
  }

  mutating func enter() throws {
    depth += 1
    if depth > Parser.maxDepth { throw error("code is nested too deeply (more than \(Parser.maxDepth) levels)") }
  }

  // MARK: Statements

  mutating func statement() throws -> Stmt {
    try enter()
    defer { depth -= 1 }
    let t = peek
    switch t.kind {
    case .kwIf: return try ifStatement()
    case .kwFor: return try forStatement()
    case .kwWhile:
      _ = advance()
      let cond = try expression()
      let body = try loopBody()
      return .whileLoop(cond, body, span(from: t.start))
    case .kwTry: return try tryStatement()
    case .kwBreak, .kwContinue:
      guard loopDepth > 0 else { throw error("'\(t.kind == .kwBreak ? "break" : "continue")' outside a loop", at: t) }
      _ = advance()
      return t.kind == .kwBreak ? .breakLoop(span(t)) : .continueLoop(span(t))
    case .kwReturn:
      _ = advance()
      switch peek.kind {
      case .newline, .semicolon, .eof, .rbrace: return .returnValue(nil, span(t))
      default:
        let e = try expression()
        return .returnValue(e, span(from: t.start))
      }
    case .kwFn where peekKind(1) == .identifier:
      _ = advance()
      let name = advance().text
      return .function(try functionRest(name: name, start: t.start))
    default:
      return try simpleStatement()
    }
  }

  mutating func simpleStatement() throws -> Stmt {
    let start = peek.start
    let first = try expression()
    if peek.kind == .comma {
      var items = [first]
      while match(.comma) { items.append(try expression()) }
      guard peek.kind == .assign else { throw error("expected '=' after a list of assignment targets") }
      _ = advance()
      let target = Target.tuple(try items.map(toTarget), span(from: start))
      // `a, b = 1, 2` (or `a, b = b, a`): several values make a list to unpack.
      let valueStart = peek.start
      var values = [try expression()]
      while match(.comma) { values.append(try expression()) }
      let value = values.count == 1 ? values[0] : .list(values, span(from: valueStart))
      return .assign(target, value, span(from: start))
    }
    let op: BinaryOp?
    switch peek.kind {
    case .assign: op = nil
    case .plusAssign: op = .add
    case .minusAssign: op = .sub
    case .starAssign: op = .mul
    case .slashAssign: op = .div
    default: return .expr(first)
    }
    let opTok = advance()
    var target = try toTarget(first)
    if op != nil, case .tuple = target { throw error("cannot use an augmented assignment on several targets", at: opTok) }
    if peek.kind == .comma { throw error("expected one value after '='", at: peek) }
    let value = try expression()
    if case .tuple(let ts, let s) = target { target = .tuple(ts, s) }
    if let op = op { return .augAssign(target, op, value, span(from: start)) }
    return .assign(target, value, span(from: start))
  }

  func toTarget(_ e: Expr) throws -> Target {
    switch e {
    case .name(let n, let s): return .name(n, s)
    case .index(let base, let items, let s): return .index(base, items, s)
    case .attribute(let base, let n, let s): return .attribute(base, n, s)
    case .list(let items, let s): return .tuple(try items.map(toTarget), s)
    default:
      throw RetortError(.syntax, "cannot assign to this expression", at: e.span)
    }
  }

  mutating func ifStatement() throws -> Stmt {
    let start = peek.start
    var branches: [(Expr, [Stmt])] = []
    var elseBody: [Stmt]? = nil
    _ = advance()  // if
    branches.append((try expression(), try block()))
    while true {
      // `else` may start the next line in a script.
      var look = pos
      while tokens[look].kind == .newline && look < tokens.count - 1 { look += 1 }
      guard tokens[look].kind == .kwElse else { break }
      pos = look
      _ = advance()
      if match(.kwIf) {
        branches.append((try expression(), try block()))
      } else {
        elseBody = try block()
        break
      }
    }
    return .ifElse(branches, elseBody, span(from: start))
  }

  mutating func forStatement() throws -> Stmt {
    let start = advance().start
    var targets: [Target] = []
    repeat {
      let t = try expect(.identifier, "a loop variable name")
      targets.append(.name(t.text, span(t)))
    } while match(.comma)
    _ = try expect(.kwIn, "'in'")
    let iterable = try expression()
    let body = try loopBody()
    let target = targets.count == 1 ? targets[0] : .tuple(targets, span(from: start))
    return .forIn(target, iterable, body, span(from: start))
  }

  /// `{ statements }`.
  mutating func block() throws -> [Stmt] {
    guard peek.kind == .lbrace else { throw error("expected '{' to start a block, found \(describe(peek))") }
    let open = advance()
    var body: [Stmt] = []
    skipSeparators()
    while peek.kind != .rbrace {
      if peek.kind == .eof { _ = try expectClosing(.rbrace, "'}' to close the block", opener: open) }
      body.append(try statement())
      try endStatement()
      skipSeparators()
    }
    _ = advance()
    return body
  }

  /// Parameters and body of `fn name(...) { }` or `fn(...) { }`.
  mutating func functionRest(name: String?, start: Int) throws -> FunctionDecl {
    _ = try expect(.lparen, "'(' after fn")
    var params: [(name: String, defaultValue: Expr?, span: Span)] = []
    var sawDefault = false
    while peek.kind != .rparen {
      let p = try expect(.identifier, "a parameter name")
      if params.contains(where: { $0.name == p.text }) { throw error("duplicate parameter '\(p.text)'", at: p) }
      var def: Expr? = nil
      if match(.assign) {
        def = try expression()
        sawDefault = true
      } else if sawDefault {
        throw error("parameter '\(p.text)' without a default follows one with a default", at: p)
      }
      params.append((p.text, def, span(p)))
      if !match(.comma) { break }
    }
    _ = try expect(.rparen, "')' to close the parameters")
    // A function body is not inside the loops around the definition.
    let outer = loopDepth
    loopDepth = 0
    defer { loopDepth = outer }
    let body = try block()
    return FunctionDecl(name: name, params: params, body: body, span: span(from: start))
  }

  /// `try { ... } catch e { ... }` (`catch` may start the next line; the name is optional).
  mutating func tryStatement() throws -> Stmt {
    let start = peek.start
    _ = advance()  // try
    let body = try block()
    var look = pos
    while tokens[look].kind == .newline && look < tokens.count - 1 { look += 1 }
    guard tokens[look].kind == .kwCatch else {
      throw error("expected 'catch' after the try block (try { ... } catch e { ... }), found \(describe(tokens[look]))", at: tokens[look])
    }
    pos = look
    _ = advance()  // catch
    var name: (String, Span)? = nil
    if peek.kind == .identifier {
      let t = advance()
      name = (t.text, span(t))
    }
    let handler = try block()
    return .tryCatch(body, name, handler, span(from: start))
  }

  /// The block of a `while` or `for` loop.
  mutating func loopBody() throws -> [Stmt] {
    loopDepth += 1
    defer { loopDepth -= 1 }
    return try block()
  }
}
