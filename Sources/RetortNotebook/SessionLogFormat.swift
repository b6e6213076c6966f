// The session log format, in one place: the writer (SessionRecorder) and the
// reader (SessionLog) both go through the line codec below.

/// The plain-text format of a Retort session log (`.retort` file).
///
/// A log is UTF-8 text made of lines separated by `\n`:
///
///     # Retort session log
///     # version: 0.1.0
///     # started: 2026-11-21T12:47:13+00:00
///     [1]> x = 2
///     [2]> for i in range(2) {
///     ...>   print(i)
///     ...> }
///     0
///     1
///     [3]> print("[7]> looks like a prompt")
///     \[7]> looks like a prompt
///     [4]> print("no newline", end="")
///     no newline
///     \ No newline at end of output
///     [5]> m.train(ds, steps=500)
///     step 3/500 loss 2.41 ...
///     \ Interrupted by Ctrl-C at cancellation point 1187
///
/// - Header: every line before the first cell starts with `#`. The first line is
///   `# Retort session log`; then `# key: value` lines (`version`, `started`,
///   `width`: the display width values were rendered at, which a replay uses;
///   and any others, which readers keep but do not interpret).
/// - Cell: the first input line prefixed with `[N]> ` (N is the cell number),
///   each further input line prefixed with `...> `, then the cell's output lines
///   exactly as displayed, errors included. The cell ends where the next `[N]> `
///   line begins or at the end of the file. There are no separator lines.
/// - Escaping: an output line is written with one extra leading backslash when it
///   starts with a backslash, with `[` digits `]>`, or with `...>`; readers remove
///   exactly that backslash. A line that is exactly `\ No newline at end of output`
///   (never a real output line, since real lines starting with `\` are escaped)
///   means the output did not end with a newline.
/// - Interruption: a cell stopped by Ctrl-C ends with the line
///   `\ Interrupted by Ctrl-C at cancellation point N` (after any no-newline
///   line): N counts the cell's polls of its cancellation flag up to the one
///   that stopped it (`CancellationPoints`), and a replay stops the cell there.
/// - Every cell is appended with one write, after the cell finished; a file whose
///   last line has no final `\n` was cut short, and its last cell is reported as
///   truncated instead of failing.
/// - A log whose line ends were turned into `\r\n` (an editor, git's autocrlf)
///   shows it in its header, where Retort never writes a `\r`: readers then take
///   one final `\r` off every line (`SessionLogParser.hasCRLFLineEnds`).
public enum SessionLogFormat {
  /// The first line of every log.
  public static let magic = "# Retort session log"
  /// The prompt of a cell's first input line: `[3]> `.
  public static func prompt(_ number: Int) -> String { "[\(number)]> " }
  /// The prompt of continuation input lines.
  public static let continuationPrompt = "...> "
  /// The line that marks an output without a final newline.
  public static let noNewlineMarker = "\\ No newline at end of output"
  /// The start of the line that marks a cell stopped by Ctrl-C; the poll number follows.
  public static let interruptMarkerPrefix = "\\ Interrupted by Ctrl-C at cancellation point "
  /// The line that marks a cell stopped by Ctrl-C at poll `point`.
  public static func interruptMarker(_ point: Int) -> String { interruptMarkerPrefix + String(point) }
  /// The poll number of an interruption line, or nil if `line` is not one.
  public static func interruptPoint<S: StringProtocol>(_ line: S) -> Int? {
    guard line.hasPrefix(interruptMarkerPrefix) else { return nil }
    guard let n = Int(line.dropFirst(interruptMarkerPrefix.count)), n > 0 else { return nil }
    return n
  }

  /// The format explained in plain text, for README or `:help`.
  public static let explanation = """
    Session logs (Sessions/*.retort) are plain UTF-8 text. The first lines are a
    header starting with "#" (Retort version, start time). Then each cell follows
    as it appeared on screen: its first input line after the prompt "[N]> ", any
    further input lines after "...> ", then its output exactly as displayed,
    errors included. Output lines that begin with a backslash, with "[N]>" or
    with "...>" get one extra backslash in front so they cannot be mistaken for
    prompts; the line "\\ No newline at end of output" marks output that did not
    end with a newline, and a last line "\\ Interrupted by Ctrl-C at
    cancellation point N" marks a cell stopped by Ctrl-C: a replay stops it
    at the same point (the Nth time it checks for Ctrl-C). Each cell is appended and flushed as one write when it
    finishes, so a killed session loses at most the cell that was running.
    """

  /// True when an output line must be escaped (see the type's documentation).
  public static func needsEscape<S: StringProtocol>(_ line: S) -> Bool {
    line.hasPrefix("\\") || line.hasPrefix("...>") || promptNumberEnd(line.utf8) != nil
  }

  /// If `line` starts with `[` digits `]>`, the UTF-8 offset just after `>`.
  static func promptNumberEnd<C: Collection>(_ bytes: C) -> Int? where C.Element == UInt8 {
    var it = bytes.makeIterator()
    guard it.next() == UInt8(ascii: "[") else { return nil }
    var digits = 0
    var offset = 1
    while let b = it.next() {
      offset += 1
      if b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") { digits += 1; continue }
      guard b == UInt8(ascii: "]"), digits > 0, it.next() == UInt8(ascii: ">") else { return nil }
      return offset + 1
    }
    return nil
  }

  /// Encodes one cell as the exact text appended to the log.
  public static func encodeCell(number: Int, input: String, output: String, interruptedAt: Int? = nil) -> String {
    var text = ""
    let inputLines = splitLines(input)
    for (i, line) in inputLines.enumerated() {
      text += i == 0 ? prompt(number) : continuationPrompt
      text += line
      text += "\n"
    }
    let interruption = interruptedAt.map { interruptMarker($0) + "\n" } ?? ""
    guard !output.isEmpty else { return text + interruption }
    var lines = splitLines(output)
    let endsWithNewline = output.utf8.last == UInt8(ascii: "\n")
    if endsWithNewline { lines.removeLast() }
    for line in lines {
      if needsEscape(line) { text += "\\" }
      text += line
      text += "\n"
    }
    if !endsWithNewline { text += noNewlineMarker + "\n" }
    return text + interruption
  }

  /// Splits on `\n` only (a `\r` stays part of its line), keeping empty pieces.
  static func splitLines(_ text: String) -> [Substring] {
    var lines: [Substring] = []
    var start = text.utf8.startIndex
    var i = start
    while i != text.utf8.endIndex {
      if text.utf8[i] == UInt8(ascii: "\n") {
        lines.append(Substring(text.utf8[start..<i]))
        start = text.utf8.index(after: i)
      }
      i = text.utf8.index(after: i)
    }
    lines.append(Substring(text.utf8[start..<text.utf8.endIndex]))
    return lines
  }
}
