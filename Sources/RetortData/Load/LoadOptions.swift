// Options and the report of `Dataset.load`.

import RetortFiles

/// How to read a data file.
public struct LoadOptions {
  /// File layout: sniffed from the content, or forced.
  public enum Format: String, Sendable {
    /// Sniff: `[` starts a JSON array, `{` JSON Lines (or one JSON document).
    case auto
    /// One JSON array of records (or one JSON object).
    case json
    /// One JSON object per line.
    case jsonl
    /// RFC 4180 CSV with a header row (chosen for `.csv` names when sniffing); every cell is a string.
    case csv
  }

  /// What to do with a malformed line.
  public enum OnError: String, Sendable {
    /// Stop with an error naming file, line and column.
    case fail
    /// Skip the line, load the rest, and list it in `Dataset.loadReport`.
    case skip
  }

  /// Options from the language's string arguments.
  ///
  /// - Throws: `invalidArgument` naming the argument and its valid values.
  public init(format: String, fields: [String: String]? = nil, onError: String = "fail",
              progress: ((Int, Int) -> Void)? = nil, isCancelled: (() -> Bool)? = nil) throws {
    guard let f = Format(rawValue: format) else {
      throw DataError.invalidArgument(operation: "load", message: "format must be \"auto\", \"json\", \"jsonl\" or \"csv\", got \"\(format)\"")
    }
    guard let e = OnError(rawValue: onError) else {
      throw DataError.invalidArgument(operation: "load", message: "on_error must be \"fail\" or \"skip\", got \"\(onError)\"")
    }
    self.init(format: f, fields: fields, onError: e, progress: progress, isCancelled: isCancelled)
  }

  /// File layout (default: sniff the content, whatever the extension).
  public var format: Format
  /// Canonical name -> field, to map an unrecognised schema by hand,
  /// e.g. `["instruction": "prompt", "output": "completion"]`.
  public var fields: [String: String]?
  /// Malformed lines: fail (default) or skip.
  public var onError: OnError
  /// Called now and then with (bytes read, file size).
  public var progress: ((Int, Int) -> Void)?
  /// Polled now and then; returning true stops loading with
  /// `DataError.cancelled` holding the records read so far.
  public var isCancelled: (() -> Bool)?
  /// Threads parsing JSON Lines (default: all cores). Results do not depend on it.
  public var threads: Int?
  /// Bytes per parsing block (progress and cancellation are checked between rounds of blocks).
  var blockBytes = 4 << 20

  /// Options; every argument has the usual default.
  public init(format: Format = .auto, fields: [String: String]? = nil, onError: OnError = .fail,
              progress: ((Int, Int) -> Void)? = nil, isCancelled: (() -> Bool)? = nil, threads: Int? = nil) {
    self.threads = threads
    self.format = format
    self.fields = fields
    self.onError = onError
    self.progress = progress
    self.isCancelled = isCancelled
  }
}

/// A line (or array element) that `onError: .skip` left out.
public struct SkippedLine: Sendable, Hashable, CustomStringConvertible {
  /// 1-based line.
  public var line: Int
  /// 1-based column (characters).
  public var column: Int
  /// What was wrong.
  public var message: String

  /// `line:column: message`.
  public var description: String { "\(line):\(column): \(message)" }
}

/// What a load read and skipped.
public struct LoadReport: Sendable, CustomStringConvertible {
  /// The path as given.
  public var path: String
  /// The layout found: "jsonl", "json" (array) or "json document" (one object).
  public var format: String
  /// The recognised schema.
  public var schema: Schema
  /// Records produced (seed tasks count one per instance).
  public var records: Int
  /// Objects read; more records than objects when seed tasks give one record per instance.
  public var objects = 0
  /// True when the file held nothing at all (read as no records).
  public var emptyFile = false
  /// Records per layout, when the file mixes several (each record is read by its own).
  public var layouts: [Schema: Int] = [:]
  /// Malformed lines left out (only with `onError: .skip`).
  public var skipped: [SkippedLine]

  /// Integers too large for 64 bits, read as floats (their last digits lost), and
  /// `line:column` of one of them.
  public var inexactIntegers = 0
  public var inexactIntegerAt: String?

  /// What to say when objects became several records (self-instruct seed tasks, one per instance).
  public var flatteningNote: String? {
    guard objects > 0, records > objects else { return nil }
    return "\(counted(objects, schema == .seedTasks ? "seed task" : "object")) in \(path) gave \(counted(records, "record")), one per instance"
  }

  /// What to say about an empty file, or nil.
  public var emptyFileNote: String? { emptyFile ? "\(path) is empty: no records" : nil }

  /// What to say when records came in several layouts, or nil.
  public var layoutsNote: String? {
    guard layouts.count > 1 else { return nil }
    let parts = layouts.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key.rawValue < $1.key.rawValue) }
      .map { "\($0.key.rawValue) \($0.value)" }
    return "\(path) mixes record layouts (\(parts.joined(separator: ", "))); each record was read by its own"
  }

  /// What to say about `inexactIntegers`, or nil when there were none.
  public var inexactIntegersNote: String? {
    guard inexactIntegers > 0 else { return nil }
    return "\(counted(inexactIntegers, "integer")) in \(path) \(inexactIntegers == 1 ? "is" : "are") too large for 64 bits and "
      + "\(inexactIntegers == 1 ? "was" : "were") read as \(inexactIntegers == 1 ? "a float" : "floats"), losing digits"
      + (inexactIntegerAt.map { " (at \($0))" } ?? "") + "; quote \(inexactIntegers == 1 ? "it" : "them") in the file to keep every digit"
  }

  /// e.g. `eval.jsonl: 998 records (jsonl, belle_eval); skipped 2 lines: 57:13: expected ',' or '}'; 80:1: ...`
  public var description: String {
    var s = "\(path): \(counted(records, "record")) (\(format), \(schema.rawValue))"
    if !skipped.isEmpty {
      let shown = skipped.prefix(5).map(\.description).joined(separator: "; ")
      s += "; skipped \(skipped.count) line\(skipped.count == 1 ? "" : "s"): \(shown)"
      if skipped.count > 5 { s += "; ..." }
    }
    if inexactIntegers > 0 { s += "; \(counted(inexactIntegers, "integer")) beyond 64 bits read as floats" }
    return s
  }
}
