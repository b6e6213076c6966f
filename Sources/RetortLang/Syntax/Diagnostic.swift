// Errors are values with a source span that go to one sink. A syntax or
// runtime error renders as:
//
//   error: name 'y' is not defined
//    --> [3]:1:5
//     |
//   1 | x = y + 1
//     |     ^
//   call trace (most recent call last):
//     [4]:1:1 in <cell>
//     [3]:2:7 in f

/// What kind of failure a `RetortError` is.
public enum ErrorKind: Sendable {
  case syntax, runtime, interrupted
}

/// One entry of a call trace: where a call happened, in which function.
public struct TraceFrame: Sendable {
  public let span: Span
  public let function: String
}

/// An error from lexing, parsing or evaluating Retort code.
public struct RetortError: Error, CustomStringConvertible, @unchecked Sendable {
  public let kind: ErrorKind
  public let message: String
  public let span: Span?
  /// Calls that led here, outermost first.
  public var trace: [TraceFrame] = []

  public init(_ kind: ErrorKind, _ message: String, at span: Span?) {
    self.kind = kind
    self.message = message
    self.span = span
  }

  public var description: String { message }

  /// The full diagnostic with location, source line and caret.
  public func rendered() -> String {
    var out = "error: \(message)"
    guard let span = span else { return out }
    let (line, col) = span.source.location(of: span.start)
    let (endLine, endCol) = span.source.location(of: span.end)
    let text = span.source.lineText(line)
    let gutter = String(line).count
    let pad = String(repeating: " ", count: gutter)
    out += "\n\(pad)--> \(span.source.name):\(line):\(col)"
    out += "\n\(pad) |\n\(line) | \(text)"
    let width = endLine == line ? max(1, endCol - col) : max(1, text.count - col + 1)
    let lead = String(text.prefix(col - 1).map { $0 == "\t" ? "\t" : " " })
    out += "\n\(pad) | \(lead)\(String(repeating: "^", count: width))"
    if !trace.isEmpty {
      out += "\ncall trace (most recent call last):"
      // Runs of the same frame (recursion) collapse to one line with a count.
      var i = 0
      var shown = 0
      while i < trace.count {
        var j = i + 1
        while j < trace.count && trace[j].span.description == trace[i].span.description
          && trace[j].function == trace[i].function { j += 1 }
        out += "\n  \(trace[i].span.description) in \(trace[i].function)"
        if j - i > 1 { out += "  (repeated \(j - i) times)" }
        shown += 1
        if shown == 20 && j < trace.count {
          out += "\n  ... \(trace.count - j) more calls ..."
          break
        }
        i = j
      }
    }
    return out
  }
}

/// An error a native function throws for bad arguments or failed work;
/// the evaluator attaches the call's span.
public struct ScriptError: Error, CustomStringConvertible, Sendable {
  public let description: String
  public init(_ message: String) { description = message }
}
