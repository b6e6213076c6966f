/// A session log read back into cells (format: `SessionLogFormat`).
public struct SessionLog: Equatable, Sendable {
  /// The file the log was read from (or a name given by the caller).
  public var path: String
  /// The header fields (`version`, `started`, ...), in file order.
  public var header: [(key: String, value: String)]
  /// The complete cells, in file order.
  public var cells: [SessionCell]
  /// The last cell when the file was cut short in the middle of it (not replayed).
  public var truncatedCell: SessionCell?

  /// The `version` header field, if present.
  public var version: String? { header.first { $0.key == "version" }?.value }
  /// The `width` header field: the display width the session rendered values at
  /// (tables, wrapped lists), which a replay must use to match.
  public var width: Int? { header.first { $0.key == "width" }.flatMap { Int($0.value) } }
  /// The `started` header field, if present.
  public var started: String? { header.first { $0.key == "started" }?.value }

  /// Makes a log from parts.
  public init(path: String, header: [(key: String, value: String)] = [], cells: [SessionCell],
              truncatedCell: SessionCell? = nil) {
    self.path = path
    self.header = header
    self.cells = cells
    self.truncatedCell = truncatedCell
  }

  /// Reads and parses the log file at `path`.
  /// - Throws: `SessionLogError` if it cannot be read or is malformed.
  public init(contentsOf path: String) throws {
    self = try SessionLog.parse(bytes: try PosixFile.readAll(path), path: path)
  }

  /// Parses log text given as UTF-8 bytes; `path` names it in errors.
  /// - Throws: `SessionLogError.malformed` with the 1-based line number.
  public static func parse(bytes: [UInt8], path: String) throws -> SessionLog {
    var parser = SessionLogParser(path: path)
    return try parser.parse(bytes)
  }

  /// Parses log text; `path` names it in errors.
  public static func parse(_ text: String, path: String = "<log>") throws -> SessionLog {
    try parse(bytes: Array(text.utf8), path: path)
  }

  /// Logs are equal when path, header fields and cells are equal.
  public static func == (a: SessionLog, b: SessionLog) -> Bool {
    a.path == b.path && a.cells == b.cells && a.truncatedCell == b.truncatedCell
      && a.header.map(\.key) == b.header.map(\.key) && a.header.map(\.value) == b.header.map(\.value)
  }
}

/// The line-by-line state machine behind `SessionLog.parse`.
struct SessionLogParser {
  let path: String
  private var header: [(key: String, value: String)] = []
  private var cells: [SessionCell] = []
  private var current: SessionCell?
  private var inputLines: [String] = []
  private var outputLines: [String] = []
  private var outputStarted = false
  private var missingNewline = false
  private var interruptedAt: Int?

  init(path: String) { self.path = path }

  mutating func parse(_ file: [UInt8]) throws -> SessionLog {
    // A byte order mark, as Windows editors write: the header follows it.
    let bytes = file.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(file.dropFirst(3)) : file
    var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
    let truncated = bytes.last != UInt8(ascii: "\n") && !bytes.isEmpty
    if !truncated { lines.removeLast() }
    guard !lines.isEmpty else { throw error(1, "empty file; expected the header '\(SessionLogFormat.magic)'") }
    if SessionLogParser.hasCRLFLineEnds(lines) { lines = lines.map { $0.last == 13 ? $0.dropLast() : $0 } }
    for (index, raw) in lines.enumerated() {
      let number = index + 1
      let isLast = truncated && index == lines.count - 1
      // A cut last line may end inside a multi-byte character: decode it leniently.
      guard let line = String(validating: raw, as: UTF8.self) ?? (isLast ? String(decoding: raw, as: UTF8.self) : nil)
      else { throw error(number, "invalid UTF-8") }
      if number == 1 {
        guard line.hasPrefix(SessionLogFormat.magic) else {
          throw error(1, "not a Retort session log: expected the header '\(SessionLogFormat.magic)'")
        }
        continue
      }
      try consume(line, number: number, lenient: isLast)
    }
    finishCell()
    var truncatedCell: SessionCell?
    if truncated, let last = cells.last, last.line > 0 {
      truncatedCell = cells.removeLast()
    }
    return SessionLog(path: path, header: header, cells: cells, truncatedCell: truncatedCell)
  }

  /// True when the log's line ends were turned into CRLF (by an editor, or
  /// git's autocrlf): a header line ends with a CR, which Retort never writes
  /// there (cells cannot put one there either, so a log as recorded, whose
  /// output lines may end with a CR, is never taken for one). Every line then
  /// loses one final CR, so an output line's own final CR stays.
  static func hasCRLFLineEnds(_ lines: [ArraySlice<UInt8>]) -> Bool {
    for line in lines {
      guard line.first == UInt8(ascii: "#") else { return false }  // the header ends at the first cell
      if line.last == 13 { return true }
    }
    return false
  }

  private mutating func consume(_ line: String, number: Int, lenient: Bool) throws {
    if let end = SessionLogFormat.promptNumberEnd(line.utf8) {
      let bytes = Array(line.utf8)
      guard end == bytes.count || bytes[end] == UInt8(ascii: " ") else {
        throw error(number, "malformed prompt: expected a space after '\(String(decoding: bytes[0..<end], as: UTF8.self))'")
      }
      guard let cellNumber = Int(String(decoding: bytes[1..<(end - 2)], as: UTF8.self)) else {
        throw error(number, "cell number too large")
      }
      finishCell()
      let rest = end == bytes.count ? "" : String(decoding: bytes[(end + 1)...], as: UTF8.self)
      current = SessionCell(number: cellNumber, input: "", output: "", line: number)
      inputLines = [rest]
      return
    }
    guard current != nil else {
      if line.hasPrefix("#") {
        let body = line.dropFirst().drop { $0 == " " }
        if let colon = body.firstIndex(of: ":") {
          let key = String(body[..<colon]), value = String(body[body.index(after: colon)...].drop { $0 == " " })
          // Replays render at the width: a nonsense one would be taken silently.
          if key == "width", !(Int(value).map { (20...10_000).contains($0) } ?? false) {
            throw error(number, "width is \"\(value)\"; expected a terminal width from 20 to 10000 columns")
          }
          header.append((key, value))
        }
        return
      }
      if line.isEmpty { return }
      throw error(number, "expected a header line starting with '#' or a cell prompt like '[1]> '")
    }
    if line.hasPrefix("...>") {
      guard !outputStarted else {
        throw error(number, "continuation prompt '...>' after the cell's output (output lines starting with '...>' must be escaped as '\\...>')")
      }
      inputLines.append(line == "...>" ? "" : String(line.dropFirst(line.hasPrefix("...> ") ? 5 : 4)))
      return
    }
    outputStarted = true
    if interruptedAt != nil && !lenient {
      throw error(number, "output continues after the interruption line (it must be the cell's last line)")
    }
    if line.hasPrefix(SessionLogFormat.interruptMarkerPrefix) {
      guard let point = SessionLogFormat.interruptPoint(line) else {
        if lenient { return }
        throw error(number, "malformed interruption line: expected '\(SessionLogFormat.interruptMarkerPrefix)' and a positive whole number up to \(Int.max)")
      }
      interruptedAt = point
      return
    }
    if missingNewline && !lenient {
      throw error(number, "output continues after '\(SessionLogFormat.noNewlineMarker)'")
    }
    guard line.hasPrefix("\\") else {
      outputLines.append(line)
      return
    }
    if line == SessionLogFormat.noNewlineMarker {
      missingNewline = true
      return
    }
    let unescaped = String(line.dropFirst())
    if !SessionLogFormat.needsEscape(unescaped) && !lenient {
      throw error(number, "unknown escape: a line starting with '\\' must be '\\\\', '\\[N]>', '\\...>', '\(SessionLogFormat.noNewlineMarker)' or '\(SessionLogFormat.interruptMarkerPrefix)N'")
    }
    outputLines.append(unescaped)
  }

  private mutating func finishCell() {
    guard var cell = current else { return }
    cell.input = inputLines.joined(separator: "\n")
    if !outputLines.isEmpty || missingNewline {
      cell.output = outputLines.joined(separator: "\n") + (missingNewline ? "" : "\n")
    }
    cell.interruptedAt = interruptedAt
    cells.append(cell)
    current = nil
    inputLines = []
    outputLines = []
    outputStarted = false
    missingNewline = false
    interruptedAt = nil
  }

  private func error(_ line: Int, _ message: String) -> SessionLogError {
    .malformed(path: path, line: line, message: message)
  }
}
