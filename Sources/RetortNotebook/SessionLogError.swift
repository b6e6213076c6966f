/// Why a session log could not be written, read or exported.
public enum SessionLogError: Error, CustomStringConvertible, Equatable {
  /// A system call failed on `path` (`operation` is e.g. "open", "write").
  case io(path: String, operation: String, reason: String)
  /// The file exists and the caller asked not to replace it.
  case exists(path: String)
  /// An export would replace a session log: the one it reads (`isInput`) or another.
  case replacesLog(path: String, isInput: Bool)
  /// The log text is malformed at `line` (1-based).
  case malformed(path: String, line: Int, message: String)

  /// A message naming the file, the line and what was expected.
  public var description: String {
    switch self {
    case let .io(path, operation, reason):
      return "cannot \(operation) '\(path)': \(reason)"
    case let .exists(path):
      return "'\(path)' already exists; Retort does not replace a file with a session log (give --session a new path)"
    case let .replacesLog(path, isInput):
      return isInput ? "'\(path)' is the session log being exported; give -o another path"
        : "'\(path)' is a Retort session log; export does not replace one (give -o another path)"
    case let .malformed(path, line, message):
      return "\(path):\(line): \(message)"
    }
  }
}
