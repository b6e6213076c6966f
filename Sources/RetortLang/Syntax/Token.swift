// Tokens produced by the lexer.

/// What a token is.
public enum TokenKind: Equatable, Sendable {
  case identifier, int, float, string, fstring
  case newline, eof
  // punctuation
  case lparen, rparen, lbracket, rbracket, lbrace, rbrace
  case comma, dot, colon, semicolon, arrow
  case plus, minus, star, slash, slashSlash, percent, starStar, at
  case assign, plusAssign, minusAssign, starAssign, slashAssign
  case equal, notEqual, less, lessEqual, greater, greaterEqual
  // keywords
  case kwIf, kwElse, kwFor, kwIn, kwWhile, kwBreak, kwContinue, kwFn, kwReturn
  case kwTrue, kwFalse, kwNil, kwAnd, kwOr, kwNot, kwTry, kwCatch
}

/// A token: its kind, where it is, and its decoded value for literals.
public struct Token: Sendable {
  public let kind: TokenKind
  public let start: Int
  public let end: Int
  /// Identifier name or decoded string contents.
  public var text: String = ""
  public var intValue: Int = 0
  public var floatValue: Double = 0
  /// For strings: the raw bytes between the quotes (f-strings parse them).
  public var contentStart: Int = 0
  public var contentEnd: Int = 0
}

/// Reserved words and the token each one is.
let keywords: [String: TokenKind] = [
  "if": .kwIf, "else": .kwElse, "for": .kwFor, "in": .kwIn, "while": .kwWhile,
  "break": .kwBreak, "continue": .kwContinue, "fn": .kwFn, "return": .kwReturn,
  "true": .kwTrue, "false": .kwFalse, "nil": .kwNil, "and": .kwAnd, "or": .kwOr,
  "not": .kwNot, "try": .kwTry, "catch": .kwCatch,
]

/// Names of keywords, for completion.
public let languageKeywords: [String] = keywords.keys.sorted()
