// JudgeError: every error RetortJudge throws or records, each with a message for `error: ...`.

import RetortFiles

/// Errors from metrics, judges, ledgers and reports. Messages never contain API keys.
public enum JudgeError: Error, CustomStringConvertible, Equatable, Sendable {
  /// A bad argument value: the message names it and says what was expected.
  case invalidArgument(String)
  /// A file could not be read or parsed; `line`/`column` are 1-based when known.
  case badFile(path: String, line: Int?, column: Int?, message: String)
  /// Categories in the items that have no judge prompt (normalised names), and the prompts known.
  case missingPrompts(categories: [String], available: [String])
  /// Items lacking required fields: field names and the first offending item indices.
  case missingFields(fields: [String], items: [Int])
  /// The judge reply contained no score; the raw reply is kept.
  case noScore(reply: String)
  /// The reply's score is far outside 0...1 (another scale); the raw reply is kept.
  case scoreOutOfRange(value: Double, matched: String, reply: String)
  /// The reply gives several different scores and marks none as the final one; the raw reply is kept.
  case ambiguousScore(scores: [String], reply: String)
  /// The endpoint answered with a non-success HTTP status (body excerpt, redacted).
  case http(status: Int, body: String)
  /// The request did not complete: timeout, refused or dropped connection, bad response bytes.
  case transport(String)
  /// The endpoint answered 200 but not in the chat-completions format.
  case malformedResponse(String)
  /// The API key environment variable is unset or empty.
  case missingAPIKey(variable: String)
  /// The run was cancelled before this call.
  case cancelled

  public var description: String {
    switch self {
    case .invalidArgument(let m): return m
    case .badFile(let path, let line, let column, let message):
      var loc = path
      if let line { loc += ":\(line)" }
      if let column { loc += ":\(column)" }
      return "\(loc): \(message)"
    case .missingPrompts(let cats, let available):
      return "no judge prompt for categor\(cats.count == 1 ? "y" : "ies") \(cats.map { "'\($0)'" }.joined(separator: ", "))"
        + " (prompts exist for: \(available.isEmpty ? "none" : available.joined(separator: ", ")));"
        + " add them or give a default prompt"
    case .missingFields(let fields, let items):
      let shown = items.prefix(5).map(String.init).joined(separator: ", ")
      return "missing field\(fields.count == 1 ? "" : "s") \(fields.joined(separator: ", ")) in item\(items.count == 1 ? "" : "s") \(shown)\(items.count > 5 ? ", ..." : "")"
    case .noScore(let reply):
      let excerpt = reply.excerpt(200)
      return "no score found in judge reply: \(excerpt.quotedLiteral)"
    case .ambiguousScore(let scores, _):
      return "the judge reply gives several scores (\(scores.map(\.quotedLiteral).joined(separator: ", "))) and marks none as final"
        + " (最终/总/综合/final/overall); ask for one score such as \"得分: 0.7\""
    case .scoreOutOfRange(let value, let matched, _):
      return "the judge reply's score \(matched.quotedLiteral) is \(value), outside 0 to 1 (on another scale?"
        + " ask for a 0-1 score such as \"得分: 0.7\", or write it as \"7/10\")"
    case .http(let status, let body):
      return "HTTP \(status)\(body.isEmpty ? "" : ": \(body)")"
    case .transport(let m): return "request failed: \(m)"
    case .malformedResponse(let m): return "malformed chat-completions response: \(m)"
    case .missingAPIKey(let v): return "environment variable \(v) (the API key) is not set"
    case .cancelled: return "cancelled"
    }
  }
}
