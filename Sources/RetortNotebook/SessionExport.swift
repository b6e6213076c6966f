/// Converts session logs to other formats (`retort export FILE --to md|ipynb`).
public enum SessionExport {
  /// A target format.
  public enum Format: String, CaseIterable, Sendable {
    /// Markdown: a ```retort fence per cell input, a plain fence for its output.
    case markdown = "md"
    /// A Jupyter notebook (nbformat 4.5), one code cell per recorded cell.
    case ipynb

    /// The file extension, without the dot.
    public var fileExtension: String { rawValue }

    /// Parses "md", "markdown" or "ipynb" (as given to `--to`).
    public init?(name: String) {
      switch name.lowercased() {
      case "md", "markdown": self = .markdown
      case "ipynb", "jupyter", "notebook": self = .ipynb
      default: return nil
      }
    }
  }

  /// The text of `log` in `format`.
  public static func export(_ log: SessionLog, to format: Format) -> String {
    switch format {
    case .markdown: return markdown(log)
    case .ipynb: return notebook(log)
    }
  }

  /// The default output path: `path` with its extension replaced (`a/s.retort` -> `a/s.md`).
  public static func defaultOutputPath(for path: String, format: Format) -> String {
    let slash = path.lastIndex(of: "/")
    if let dot = path.lastIndex(of: "."), slash.map({ $0 < dot }) ?? true,
       dot != path.startIndex, slash.map({ path.index(after: $0) != dot }) ?? true {
      return String(path[..<dot]) + "." + format.fileExtension
    }
    return path + "." + format.fileExtension
  }

  /// Reads the log at `path` and writes it in `format` to `output` (default:
  /// `defaultOutputPath`). Returns the path written. A session log is never
  /// replaced: neither `path` itself (under any name for it) nor another log.
  /// - Throws: `SessionLogError` if reading, parsing or writing fails, or
  ///   `.replacesLog` if `output` names a session log.
  @discardableResult
  public static func export(path: String, to format: Format, output: String? = nil) throws -> String {
    let log = try SessionLog(contentsOf: path)
    let target = output ?? defaultOutputPath(for: path, format: format)
    if PosixFile.sameFile(target, path) { throw SessionLogError.replacesLog(path: target, isInput: true) }
    if PosixFile.begins(target, with: SessionLogFormat.magic) {
      throw SessionLogError.replacesLog(path: target, isInput: false)
    }
    try PosixFile.writeFile(target, export(log, to: format))
    return target
  }

  /// Markdown: a title, the header fields, then per cell a ```retort fence with
  /// its input and, if it printed anything, a plain fence with its output; a
  /// cell stopped by Ctrl-C says so after its output.
  /// Fences grow longer than any backtick run inside them.
  public static func markdown(_ log: SessionLog) -> String {
    var md = "# Retort session\n\n"
    let facts = [log.version.map { "Retort \($0)" }, log.started.map { "started \($0)" }].compactMap { $0 }
    if !facts.isEmpty { md += "Recorded with " + facts.joined(separator: ", ") + ".\n\n" }
    for cell in log.cells {
      md += fenced(cell.input, info: "retort")
      if !cell.output.isEmpty { md += fenced(cell.output, info: "") }
      if cell.interruptedAt != nil { md += "*Stopped by Ctrl-C.*\n\n" }
    }
    return md
  }

  private static func fenced(_ text: String, info: String) -> String {
    var longest = 0, run = 0
    for c in text.utf8 {
      run = c == UInt8(ascii: "`") ? run + 1 : 0
      longest = max(longest, run)
    }
    let fence = String(repeating: "`", count: max(3, longest + 1))
    let body = text.hasSuffix("\n") ? text : text + "\n"
    return fence + info + "\n" + body + fence + "\n\n"
  }
}
