// Every error RetortData throws, each with a message the language layer
// shows as `error: <description>`.

/// An error from loading, transforming or saving a dataset.
public enum DataError: Error, Sendable, CustomStringConvertible {
  /// No file at the path.
  case fileNotFound(path: String)
  /// The path is a directory.
  case isDirectory(path: String)
  /// The file has no bytes (or only whitespace).
  case emptyFile(path: String)
  /// The file could not be opened, read or written.
  case io(path: String, reason: String)
  /// Malformed content at a 1-based line and column (columns count characters).
  case syntax(file: String, line: Int, column: Int, message: String)
  /// An argument of an operation is invalid (`operation` names it, e.g. "split").
  case invalidArgument(operation: String, message: String)
  /// A field named by the caller exists in no record.
  case unknownField(operation: String, field: String, available: [String])
  /// A closure or computation failed for one record (0-based index).
  case record(operation: String, index: Int, message: String)
  /// The caller's cancellation closure returned true; `partial` holds the
  /// work done so far (for load: the records read; for dedup: those kept).
  /// `done` and `total` count `unit`s ("records", "lines", "MB").
  case cancelled(operation: String, done: Int, total: Int, unit: String, partial: Dataset)

  /// The message shown as `error: <description>`.
  public var description: String {
    switch self {
    case .fileNotFound(let path): return "\(path): no such file"
    case .isDirectory(let path): return "\(path): is a directory, not a data file"
    case .emptyFile(let path): return "\(path): the file is empty (expected a JSON array, JSON Lines records, or CSV with a header row)"
    case .io(let path, let reason): return "\(path): \(reason)"
    case .syntax(let file, let line, let column, let message): return "\(file):\(line):\(column): \(message)"
    case .invalidArgument(let op, let message): return "\(op): \(message)"
    case .unknownField(let op, let field, let available):
      let list = available.isEmpty ? "the dataset has no fields" : "fields are: " + available.joined(separator: ", ")
      return "\(op): no field '\(field)'; \(list)"
    case .record(let op, let index, let message): return "\(op): record \(index): \(message)"
    case .cancelled(let op, let done, let total, let unit, let partial):
      return "\(op) cancelled after \(done) of \(total) \(unit); the partial result holds \(partial.count) records"
    }
  }
}
