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
//     [3]:1:5 in g       (where the error is, when a function's own code raised it)

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
  /// The function whose own code raised the error, when a call led there.
  public var site: String?

  public init(_ kind: ErrorKind, _ message: String, at span: Span?) {
    self.kind = kind
    self.message = message
    self.span = span
  }

  public var description: String { message }

  /// Characters of a source line shown around an error.
  static let lineWindow = 160

  /// `text`, or its first and last `keep / 2` characters around a note of how
  /// many were cut (a message quoting a megabyte of input).
  static func clipped(_ text: String, keep: Int) -> String {
    guard text.count > keep else { return text }
    return "\(text.prefix(keep / 2))… (\(text.count - keep) characters cut) …\(text.suffix(keep / 2))"
  }

  /// The full diagnostic with location, source line and caret.
  public func rendered() -> String {
    var out = "error: \(Self.clipped(message, keep: 1000))"
    guard let span = span else { return out }
    let (line, col) = span.source.location(of: span.start)
    let (endLine, endCol) = span.source.location(of: span.end)
    let chars = Array(span.source.lineText(line))
    // A long line (a megabyte of data in one statement) is shown as a window
    // of it around the error, marked with … where it is cut.
    let start = min(col - 1, chars.count), stop = endLine == line ? min(max(start, endCol - 1), chars.count) : chars.count
    var lo = 0, hi = chars.count
    if chars.count > Self.lineWindow {
      lo = max(0, min(start - 40, chars.count - Self.lineWindow))
      hi = lo + Self.lineWindow
    }
    let text = (lo > 0 ? "…" : "") + String(chars[lo..<hi]) + (hi < chars.count ? "…" : "")
    let gutter = String(line).count
    let pad = String(repeating: " ", count: gutter)
    out += "\n\(pad)--> \(span.source.name):\(line):\(col)"
    out += "\n\(pad) |\n\(line) | \(text)"
    // Measured in terminal columns, so carets line up under CJK text too.
    let before = (lo > 0 ? ["…"] : []) + chars[lo..<start]
    let spanned = chars[start..<max(start, min(stop, hi))]
    let width = max(1, TextWidth.of(String(spanned)))
    let lead = before.map { $0 == "\t" ? "\t" : String(repeating: " ", count: TextWidth.of(String($0))) }.joined()
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
      if let site { out += "\n  \(span.description) in \(site)" }
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
