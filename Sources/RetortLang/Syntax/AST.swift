// The syntax tree the parser builds and the compiler turns into closures.

/// Binary arithmetic operators.
public enum BinaryOp: String, Sendable {
  case add = "+", sub = "-", mul = "*", div = "/", floorDiv = "//", mod = "%", pow = "**", matmul = "@"
}

/// Comparison operators (they chain: `a < b < c`).
public enum CompareOp: String, Sendable {
  case eq = "==", ne = "!=", lt = "<", le = "<=", gt = ">", ge = ">=", isIn = "in", notIn = "not in"
}

/// Unary operators.
public enum UnaryOp: String, Sendable {
  case neg = "-", pos = "+", not = "not"
}

/// An expression.
public indirect enum Expr {
  case literal(Value, Span)
  case name(String, Span)
  case fstring([FStringPart], Span)
  case list([Expr], Span)
  case map([(Expr, Expr)], Span)
  case unary(UnaryOp, Expr, Span)
  case binary(BinaryOp, Expr, Expr, Span)
  case compare([CompareOp], [Expr], Span)
  case and(Expr, Expr, Span)
  case or(Expr, Expr, Span)
  case call(Expr, [CallArgument], Span)
  case attribute(Expr, String, Span)
  case index(Expr, [IndexItem], Span)
  case function(FunctionDecl)
  /// `[element for x in iterable if condition]`: element and condition are
  /// one-parameter functions of each item, so the loop variables stay local.
  case comprehension(element: FunctionDecl, condition: FunctionDecl?, iterable: Expr, Span)

  public var span: Span {
    switch self {
    case .literal(_, let s), .name(_, let s), .fstring(_, let s), .list(_, let s), .map(_, let s),
      .unary(_, _, let s), .binary(_, _, _, let s), .compare(_, _, let s), .and(_, _, let s),
      .or(_, _, let s), .call(_, _, let s), .attribute(_, _, let s), .index(_, _, let s),
      .comprehension(_, _, _, let s):
      return s
    case .function(let f): return f.span
    }
  }
}

/// A piece of an f-string: literal text or an interpolated expression, with its
/// conversion (`!r` or `!s`) and its format spec (an f-string itself when it has
/// fields, `f"{x:>{w}}"`; nil when there is none).
public enum FStringPart {
  case text(String)
  case expr(Expr, conversion: Character?, spec: Expr?)
}

/// A call argument, positional (`name == nil`) or keyword.
public struct CallArgument {
  public let name: String?
  public let value: Expr
  public let span: Span
}

/// One component of a subscript: `t[0]`, `t[1:3]`, `t[:, 1]`.
public enum IndexItem {
  case value(Expr)
  case slice(Expr?, Expr?, Expr?)
}

/// What an assignment or `for` writes to.
public indirect enum Target {
  case name(String, Span)
  case index(Expr, [IndexItem], Span)
  case attribute(Expr, String, Span)
  case tuple([Target], Span)

  var span: Span {
    switch self {
    case .name(_, let s), .index(_, _, let s), .attribute(_, _, let s), .tuple(_, let s): return s
    }
  }
}

/// A statement.
public indirect enum Stmt {
  case expr(Expr)
  case assign(Target, Expr, Span)
  case augAssign(Target, BinaryOp, Expr, Span)
  case ifElse([(Expr, [Stmt])], [Stmt]?, Span)
  case forIn(Target, Expr, [Stmt], Span)
  case whileLoop(Expr, [Stmt], Span)
  case breakLoop(Span)
  case continueLoop(Span)
  case returnValue(Expr?, Span)
  case function(FunctionDecl)
  /// `try { body } catch name { handler }`: the name (optional) holds the error's message.
  case tryCatch([Stmt], (name: String, span: Span)?, [Stmt], Span)

  /// Where the statement is in the source.
  public var span: Span {
    switch self {
    case .expr(let e): return e.span
    case .assign(_, _, let s), .augAssign(_, _, _, let s), .ifElse(_, _, let s), .forIn(_, _, _, let s),
      .whileLoop(_, _, let s), .breakLoop(let s), .continueLoop(let s), .returnValue(_, let s),
      .tryCatch(_, _, _, let s):
      return s
    case .function(let f): return f.span
    }
  }
}

/// A function: `fn name(a, b=1) { ... }` or anonymous `fn(r) { ... }`.
public final class FunctionDecl {
  public let name: String?
  public let params: [(name: String, defaultValue: Expr?, span: Span)]
  public let body: [Stmt]
  public let span: Span
  /// A string literal as the body's first statement documents the function.
  public var doc: String? {
    if case .expr(.literal(.string(let s), _))? = body.first { return s }
    return nil
  }

  init(name: String?, params: [(name: String, defaultValue: Expr?, span: Span)], body: [Stmt], span: Span) {
    self.name = name
    self.params = params
    self.body = body
    self.span = span
  }
}
