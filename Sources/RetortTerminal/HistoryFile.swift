#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The persistent line history (`~/.retort_history`): one accepted entry per
/// text line, oldest first, no consecutive duplicates, at most `limit` lines.
/// An entry of several lines (a pasted cell) keeps them: its newlines are
/// stored as U+2028 LINE SEPARATOR and come back as newlines.
///
/// Each accepted line is appended at once (so parallel sessions interleave
/// rather than overwrite); `load` drops consecutive duplicates and, when the
/// file has grown past `limit`, rewrites it with the newest `limit` lines
/// (via a temporary file and rename). Failures to read or write history are
/// never fatal: they are kept in `lastError`.
public final class HistoryFile {
  /// The history file.
  public let path: String
  /// The most lines kept.
  public let limit: Int
  /// The lines in memory, oldest first.
  public private(set) var entries: [String] = []
  /// The last I/O problem, if any (history is best-effort).
  public private(set) var lastError: String?

  /// `$HOME/.retort_history`, or `.retort_history` if `HOME` is unset.
  public static func defaultPath() -> String {
    guard let home = getenv("HOME") else { return ".retort_history" }
    let h = String(cString: home)
    return h.hasSuffix("/") ? h + ".retort_history" : h + "/.retort_history"
  }

  /// A history stored at `path` keeping at most `limit` lines (not loaded yet).
  public init(path: String, limit: Int = 10_000) {
    self.path = path
    self.limit = max(1, limit)
  }

  /// How a newline inside an entry is written to the file.
  static let storedNewline: Character = "\u{2028}"

  /// An entry as one line of the file.
  static func stored(_ entry: String) -> String { String(entry.map { $0 == "\n" ? storedNewline : $0 }) }

  /// Whether `line` should be added after `previous`: it is not blank and not
  /// equal to the previous entry.
  public static func shouldAdd(_ line: String, after previous: String?) -> Bool {
    !line.allSatisfy(\.isWhitespace) && line != previous
  }

  /// Reads the file (a missing file is an empty history) and compacts it.
  @discardableResult
  public func load() -> [String] {
    entries = []
    guard let f = fopen(path, "rb") else {
      if errno != ENOENT { lastError = "cannot read \(path): \(String(cString: strerror(errno)))" }
      return entries
    }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = fread(&chunk, 1, chunk.count, f)
      if n == 0 { break }
      bytes += chunk[0..<n]
    }
    fclose(f)
    var rawCount = 0
    for raw in bytes.split(separator: UInt8(ascii: "\n")) {
      rawCount += 1
      let line = String(String(decoding: raw, as: UTF8.self).map { $0 == Self.storedNewline ? "\n" : $0 })
      if HistoryFile.shouldAdd(line, after: entries.last) { entries.append(line) }
    }
    if entries.count > limit { entries.removeFirst(entries.count - limit) }
    if rawCount > entries.count { rewrite() }
    return entries
  }

  /// Adds an accepted line unless `shouldAdd` says no; appends it to the file.
  /// - Returns: True if the line was added.
  @discardableResult
  public func add(_ line: String) -> Bool {
    let clean = String(line.map { $0 == "\r\n" ? "\n" : $0 })
    guard HistoryFile.shouldAdd(clean, after: entries.last) else { return false }
    entries.append(clean)
    if entries.count > limit { entries.removeFirst(entries.count - limit) }
    let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
    guard fd >= 0 else {
      lastError = "cannot write \(path): \(String(cString: strerror(errno)))"
      return true
    }
    let bytes = Array((Self.stored(clean) + "\n").utf8)
    let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    if n != bytes.count { lastError = "cannot write \(path): \(String(cString: strerror(errno)))" }
    close(fd)
    return true
  }

  private func rewrite() {
    let temp = path + ".tmp\(getpid())"
    guard let f = fopen(temp, "wb") else {
      lastError = "cannot write \(temp): \(String(cString: strerror(errno)))"
      return
    }
    var ok = true
    for e in entries where fputs(Self.stored(e) + "\n", f) < 0 { ok = false }
    if fclose(f) != 0 { ok = false }
    if !ok || rename(temp, path) != 0 {
      lastError = "cannot rewrite \(path): \(String(cString: strerror(errno)))"
      unlink(temp)
    }
  }
}
