// Expressions, from the loosest operator (`or`) to primaries.

extension Parser {
  public mutating func expression() throws -> Expr {
    try enter()
    defer { depth -= 1 }
    return try orExpr()
  }

  mutating func orExpr() throws -> Expr {
    var left = try andExpr()
    while peek.kind == .kwOr {
      _ = advance()
      let right = try andExpr()
      left = .or(left, right, left.span.to(right.span))
    }
    return left
  }

  mutating func andExpr() throws -> Expr {
    var left = try notExpr()
    while peek.kind == .kwAnd {
      _ = advance()
      let right = try notExpr()
      left = .and(left, right, left.span.to(right.span))
    }
    return left
  }

  mutating func notExpr() throws -> Expr {
    if peek.kind == .kwNot {
      let t = advance()
      try enter()
      defer { depth -= 1 }
      let operand = try notExpr()
      return .unary(.not, operand, span(t).to(operand.span))
    }
    return try comparison()
  }

  mutating func comparison() throws -> Expr {
    let first = try arith()
    var ops: [CompareOp] = []
    var operands = [first]
    while true {
      let op: CompareOp
      switch peek.kind {
      case .equal: op = .eq
      case .notEqual: op = .ne
      case .less: op = .lt
      case .lessEqual: op = .le
      case .greater: op = .gt
      case .greaterEqual: op = .ge
      case .kwIn: op = .isIn
      case .kwNot where peekKind(1) == .kwIn:
        _ = advance()
        op = .notIn
      default:
        if ops.isEmpty { return first }
        return .compare(ops, operands, first.span.to(operands.last!.span))
      }
      _ = advance()
      ops.append(op)
      operands.append(try arith())
    }
  }

  mutating func arith() throws -> Expr {
    var left = try term()
    while true {
      let op: BinaryOp
      switch peek.kind {
      case .plus: op = .add
      case .minus: op = .sub
      default: return left
      }
      _ = advance()
      let right = try term()
      left = .binary(op, left, right, left.span.to(right.span))
    }
  }

  mutating func term() throws -> Expr {
    var left = try unary()
    while true {
      let op: BinaryOp
      switch peek.kind {
      case .star: op = .mul
      case .slash: op = .div
      case .slashSlash: op = .floorDiv
      case .percent: op = .mod
      case .at: op = .matmul
      default: return left
      }
      _ = advance()
      let right = try unary()
      left = .binary(op, left, right, left.span.to(right.span))
    }
  }

  mutating func unary() throws -> Expr {
    if peek.kind == .minus || peek.kind == .plus {
      let t = advance()
      try enter()
      defer { depth -= 1 }
      let operand = try unary()
      if t.kind == .minus {
        // Fold negative literals so `-9223372036854775808`-style edge cases and
        // display stay simple.
        if case .literal(.float(let f), let s) = operand { return .literal(.float(-f), span(t).to(s)) }
        if case .literal(.int(let i), let s) = operand, i != Int.min { return .literal(.int(-i), span(t).to(s)) }
      }
      return .unary(t.kind == .minus ? .neg : .pos, operand, span(t).to(operand.span))
    }
    return try power()
  }

  mutating func power() throws -> Expr {
    let base = try postfix()
    if peek.kind == .starStar {
      _ = advance()
      try enter()
      defer { depth -= 1 }
      let exponent = try unary()
      return .binary(.pow, base, exponent, base.span.to(exponent.span))
    }
    return base
  }

  mutating func postfix() throws -> Expr {
    var e = try primary()
    var links = 0
    while true {
      links += 1
      if links > Parser.maxDepth { throw error("expression is too long a chain of calls and subscripts") }
      switch peek.kind {
      case .lparen:
        let open = advance()
        let args = try arguments()
        let close = try expectClosing(.rparen, "')' to close the call", opener: open)
        e = .call(e, args, e.span.to(span(close)))
      case .lbracket:
        let open = advance()
        let items = try indexItems()
        let close = try expectClosing(.rbracket, "']' to close the subscript", opener: open)
        e = .index(e, items, e.span.to(span(close)))
      case .dot:
        _ = advance()
        let name = try expect(.identifier, "an attribute name after '.'")
        e = .attribute(e, name.text, e.span.to(span(name)))
      default:
        return e
      }
    }
  }

  mutating func arguments() throws -> [CallArgument] {
    var args: [CallArgument] = []
    var sawKeyword = false
    while peek.kind != .rparen {
      let start = peek.start
      if peek.kind == .identifier && peekKind(1) == .assign {
        let name = advance()
        _ = advance()
        let v = try expression()
        if args.contains(where: { $0.name == name.text }) {
          throw error("keyword argument '\(name.text)' repeated", at: name)
        }
        args.append(CallArgument(name: name.text, value: v, span: span(from: start)))
        sawKeyword = true
      } else {
        let v = try expression()
        if sawKeyword { throw RetortError(.syntax, "positional argument follows keyword argument", at: v.span) }
        args.append(CallArgument(name: nil, value: v, span: v.span))
      }
      if !match(.comma) { break }
    }
    return args
  }

  mutating func indexItems() throws -> [IndexItem] {
    var items: [IndexItem] = []
    repeat {
      if peek.kind == .rbracket { break }
      var parts: [Expr?] = [nil]
      var isSlice = false
      if peek.kind != .colon { parts[0] = try expression() }
      while peek.kind == .colon && parts.count < 3 {
        _ = advance()
        isSlice = true
        if [.colon, .comma, .rbracket].contains(peek.kind) { parts.append(nil) } else { parts.append(try expression()) }
      }
      if isSlice {
        while parts.count < 3 { parts.append(nil) }
        items.append(.slice(parts[0], parts[1], parts[2]))
      } else if let e = parts[0] {
        items.append(.value(e))
      }
    } while match(.comma)
    if items.isEmpty { throw error("expected an index inside '[]'") }
    return items
  }

  mutating func primary() throws -> Expr {
    let t = peek
    switch t.kind {
    case .int: _ = advance(); return .literal(.int(t.intValue), span(t))
    case .float: _ = advance(); return .literal(.float(t.floatValue), span(t))
    case .string:
      _ = advance()
      var text = t.text
      var end = t.end
      while peek.kind == .string {  // adjacent literals concatenate
        text += peek.text
        end = advance().end
      }
      return .literal(.string(text), Span(source, t.start, end))
    case .fstring: _ = advance(); return try fstring(t)
    case .kwTrue: _ = advance(); return .literal(.bool(true), span(t))
    case .kwFalse: _ = advance(); return .literal(.bool(false), span(t))
    case .kwNil: _ = advance(); return .literal(.none, span(t))
    case .identifier: _ = advance(); return .name(t.text, span(t))
    case .lparen:
      _ = advance()
      skipNewlines()
      let e = try expression()
      skipNewlines()
      _ = try expectClosing(.rparen, "')' to close the parenthesis", opener: t)
      return e
    case .lbracket:
      _ = advance()
      var items: [Expr] = []
      if peek.kind != .rbracket {
        let first = try expression()
        if peek.kind == .kwFor { return try comprehension(first, opener: t) }
        items.append(first)
        if !match(.comma) {
          _ = try expectClosing(.rbracket, "']' to close the list", opener: t)
          return .list(items, span(from: t.start))
        }
      }
      while peek.kind != .rbracket {
        items.append(try expression())
        if !match(.comma) { break }
      }
      _ = try expectClosing(.rbracket, "']' to close the list", opener: t)
      return .list(items, span(from: t.start))
    case .lbrace:
      _ = advance()
      var pairs: [(Expr, Expr)] = []
      skipNewlines()
      while peek.kind != .rbrace {
        let k = try expression()
        skipNewlines()
        _ = try expect(.colon, "':' between a map key and its value")
        skipNewlines()
        let v = try expression()
        pairs.append((k, v))
        skipNewlines()
        if !match(.comma) { break }
        skipNewlines()
      }
      _ = try expectClosing(.rbrace, "'}' to close the map", opener: t)
      return .map(pairs, span(from: t.start))
    case .kwFn:
      _ = advance()
      return .function(try functionRest(name: nil, start: t.start))
    default:
      throw error("expected an expression, found \(describe(t))")
    }
  }

  /// Splits an f-string's raw contents into text and `{expr!conversion:spec}` parts.
  mutating func fstring(_ t: Token) throws -> Expr {
    let bytes = source.bytes
    var parts: [FStringPart] = []
    var i = t.contentStart
    var textStart = i
    func flushText(_ upTo: Int) throws {
      if upTo > textStart {
        let raw = try Lexer.decodeEscapes(source, from: textStart, to: upTo)
        parts.append(.text(raw.replacingOccurrences(of: "{{", with: "{").replacingOccurrences(of: "}}", with: "}")))
      }
    }
    while i < t.contentEnd {
      let c = bytes[i]
      if c == UInt8(ascii: "{") && i + 1 < t.contentEnd && bytes[i + 1] == UInt8(ascii: "{") { i += 2; continue }
      if c == UInt8(ascii: "}") && i + 1 < t.contentEnd && bytes[i + 1] == UInt8(ascii: "}") { i += 2; continue }
      if c == UInt8(ascii: "}") {
        throw RetortError(.syntax, "f-string: single '}' is not allowed; write '}}'", at: Span(source, i, i + 1))
      }
      if c != UInt8(ascii: "{") { i += 1; continue }
      try flushText(i)
      // Find the matching '}' and a top-level ':' for the format spec.
      let field = FStringField(bytes, from: i + 1, to: t.contentEnd)
      let j = field.close, colon = field.colon, bang = field.bang
      guard j < t.contentEnd else {
        throw RetortError(.syntax, "f-string: expected '}'", at: Span(source, i, t.contentEnd))
      }
      var exprEnd = bang ?? colon ?? j
      // `{x=}` and `{x = :.2f}`, as Python 3.8's: the field's own text, then its value (repr,
      // unless a conversion or a spec says otherwise). `==`, `!=`, `<=`, `>=` end no field so.
      var selfDocumenting = false
      var last = exprEnd - 1
      while last > i, bytes[last] == 32 || bytes[last] == 9 { last -= 1 }
      if last > i + 1, bytes[last] == UInt8(ascii: "="), !"=!<>".utf8.contains(bytes[last - 1]) {
        selfDocumenting = true
        parts.append(.text(String(decoding: bytes[(i + 1)..<exprEnd], as: UTF8.self)))
        exprEnd = last
      }
      var conversion: Character? = selfDocumenting && bang == nil && colon == nil ? "r" : nil
      if let b = bang {
        let c = Character(Unicode.Scalar(bytes[b + 1]))
        guard c == "r" || c == "s" else {
          throw RetortError(.syntax, "f-string: unknown conversion '!\(c)'; expected !r (repr) or !s (str)", at: Span(source, b, b + 2))
        }
        conversion = c
      }
      var sub = try Parser(source, from: i + 1, to: exprEnd)
      sub.depth = depth
      sub.skipSeparators()
      if sub.peek.kind == .eof {
        throw RetortError(.syntax, "f-string: empty expression", at: Span(source, i, j + 1))
      }
      let e = try sub.expression()
      sub.skipSeparators()
      if sub.peek.kind != .eof { throw sub.error("f-string: unexpected \(sub.describe(sub.peek))") }
      // The spec is an f-string of its own: `{x:>{width}}` fills in the width first.
      var spec: Expr? = nil
      if let colon {
        var inner = Token(kind: .fstring, start: colon + 1, end: j)
        inner.contentStart = colon + 1
        inner.contentEnd = j
        spec = try fstring(inner)
      }
      parts.append(.expr(e, conversion: conversion, spec: spec))
      i = j + 1
      textStart = i
    }
    try flushText(t.contentEnd)
    return .fstring(parts, span(t))
  }

  /// The rest of `[element for a, b in iterable if condition]`, after `element`.
  mutating func comprehension(_ element: Expr, opener: Token) throws -> Expr {
    _ = advance()  // for
    var names: [(String, Span)] = []
    repeat {
      let t = try expect(.identifier, "a loop variable name after 'for'")
      names.append((t.text, span(t)))
    } while match(.comma)
    _ = try expect(.kwIn, "'in' after the loop variables")
    let iterable = try expression()
    var condition: Expr? = nil
    if match(.kwIf) { condition = try expression() }
    _ = try expectClosing(.rbracket, "']' to close the list comprehension", opener: opener)
    let whole = span(from: opener.start)
    // Each part becomes fn(item) { [a, b = item;] part }.
    func function(_ e: Expr) -> FunctionDecl {
      if names.count == 1 {
        return FunctionDecl(name: "list comprehension", params: [(names[0].0, nil, names[0].1)], body: [.expr(e)], span: e.span)
      }
      let unpack = Stmt.assign(.tuple(names.map { Target.name($0.0, $0.1) }, whole), .name(" item", whole), whole)
      return FunctionDecl(name: "list comprehension", params: [(" item", nil, whole)], body: [unpack, .expr(e)], span: e.span)
    }
    return .comprehension(element: function(element), condition: condition.map(function), iterable: iterable, whole)
  }
}
