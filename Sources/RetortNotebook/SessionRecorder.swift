#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Appends finished cells to a session log (format: `SessionLogFormat`).
///
/// Each cell is encoded in memory and appended with one `write` followed by
/// `fsync`, so a process killed while a cell runs loses only that cell.
public final class SessionRecorder {
  /// What to do when the log file already exists.
  public enum ExistingFile: Sendable {
    /// Replace it with a new log (the default).
    case overwrite
    /// Keep it and append cells (no new header if it is non-empty).
    case append
    /// Throw `SessionLogError.exists`.
    case fail
  }

  /// The path of the log file.
  public let path: String
  /// Whether each cell is forced to disk with `fsync` (default true).
  public var syncsEachCell: Bool
  private var fd: Int32

  /// The default log path: `<directory>/Sessions/YYYYMMDD-HHMMSS.retort`, with
  /// `directory` defaulting to the current directory and the time to now.
  public static func defaultPath(directory: String? = nil, time: LocalTime = LocalTime()) -> String {
    let base = directory ?? PosixFile.currentDirectory()
    let dir = base.hasSuffix("/") ? base + "Sessions" : base + "/Sessions"
    return dir + "/" + time.compact + ".retort"
  }

  /// Opens (creating parent directories) the log at `path` and writes its header.
  ///
  /// - Parameters:
  ///   - path: The log file.
  ///   - version: The Retort version written in the header.
  ///   - started: The start time written in the header (default: now).
  ///   - fields: More `# key: value` header lines (the REPL writes `width`).
  ///   - ifExists: What to do if the file exists.
  /// - Throws: `SessionLogError` if the directory or file cannot be created or written.
  public init(path: String, version: String, started: LocalTime = LocalTime(), fields: [(String, String)] = [],
              ifExists: ExistingFile = .overwrite, syncsEachCell: Bool = true) throws {
    self.path = path
    self.syncsEachCell = syncsEachCell
    try PosixFile.makeDirectories(PosixFile.directory(of: path))
    var flags = O_WRONLY | O_CREAT | O_CLOEXEC
    switch ifExists {
    case .overwrite: flags |= O_TRUNC
    case .append: flags |= O_APPEND
    case .fail: flags |= O_EXCL
    }
    fd = open(path, flags, 0o644)
    guard fd >= 0 else {
      if errno == EEXIST { throw SessionLogError.exists(path: path) }
      throw SessionLogError.io(path: path, operation: "create", reason: PosixFile.reason())
    }
    var st = stat()
    let isEmpty = fstat(fd, &st) != 0 || st.st_size == 0
    if ifExists == .append && !isEmpty { return }
    var header = SessionLogFormat.magic + "\n# version: \(oneLine(version))\n# started: \(started.iso8601)\n"
    for (key, value) in fields { header += "# \(oneLine(key)): \(oneLine(value))\n" }
    try append(header)
  }

  deinit { close() }

  /// Appends one finished cell as a single write, then flushes it to disk.
  ///
  /// - Parameters:
  ///   - number: The cell number shown in its prompt.
  ///   - input: The input lines as typed, joined with `\n`.
  ///   - output: The output exactly as displayed.
  ///   - interruptedAt: For a cell stopped by Ctrl-C, the cancellation poll that stopped it.
  /// - Throws: `SessionLogError.io` if the write fails or the log was closed.
  public func record(number: Int, input: String, output: String, interruptedAt: Int? = nil) throws {
    try append(SessionLogFormat.encodeCell(number: number, input: input, output: output, interruptedAt: interruptedAt))
  }

  /// Appends `cell` (see `record(number:input:output:interruptedAt:)`).
  public func record(_ cell: SessionCell) throws {
    try record(number: cell.number, input: cell.input, output: cell.output, interruptedAt: cell.interruptedAt)
  }

  /// True when `other` names the file this recorder writes (the same inode, so
  /// another spelling of the path, a symlink or a hard link to it counts too).
  /// Replacing that file would leave the recorder writing to an unlinked copy.
  public func isLog(at other: String) -> Bool {
    guard let mine = PosixFile.fileID(fd: fd) else { return false }
    return mine == PosixFile.fileID(other)
  }

  /// Closes the file; later `record` calls throw.
  public func close() {
    if fd >= 0 {
      closeDescriptor(fd)
      fd = -1
    }
  }

  private func append(_ text: String) throws {
    guard fd >= 0 else { throw SessionLogError.io(path: path, operation: "write", reason: "the log is closed") }
    try PosixFile.writeAll(fd, Array(text.utf8), path: path)
    if syncsEachCell && fsync(fd) != 0 && errno != EINVAL && errno != EROFS {
      throw SessionLogError.io(path: path, operation: "sync", reason: PosixFile.reason())
    }
  }

  private func oneLine(_ s: String) -> String {
    String(s.map { $0 == "\n" || $0 == "\r" ? " " : $0 })
  }
}

private func closeDescriptor(_ fd: Int32) { _ = close(fd) }
