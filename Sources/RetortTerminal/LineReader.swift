/// What one attempt to read an input line produced.
public enum LineInput: Equatable, Sendable {
  /// A line, without its newline.
  case line(String)
  /// Ctrl-C while typing: the partial line was discarded (readline); or Ctrl-C
  /// while waiting for piped input (`PipeLineReader`), which ends the session.
  case interrupted
  /// Ctrl-D on an empty line, or the end of piped input.
  case endOfInput
}

/// A source of input lines for the REPL loop; a protocol so the loop can be
/// tested without a terminal.
public protocol LineReader: AnyObject {
  /// Reads one line.
  ///
  /// - Parameters:
  ///   - prompt: Shown before the line by interactive readers (e.g. `[3]> `).
  ///   - continuation: True when the line continues an unfinished cell.
  /// - Returns: The line, `.interrupted` (Ctrl-C) or `.endOfInput`.
  func readLine(prompt: String, continuation: Bool) -> LineInput
}
