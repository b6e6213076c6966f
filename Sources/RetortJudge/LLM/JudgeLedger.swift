// JudgeLedger: an append-only JSON Lines file of judge calls, so a rerun, a replayed session or a
// resumed run answers from disk instead of calling the judge again.
//
// One line per successful call, written with a single write(2) as soon as the reply arrives:
//   {"key":{"endpoint","model","modelVersion","messages","settings","repeatIndex"},
//    "reply":..., "reportedModel":..., "recordedAt":...}
// The key holds the endpoint URL (never credentials), the requested model, the caller-pinned model
// version (optional), the exact messages, the decoding settings and the repeat index. The model
// version the endpoint reported is stored with each reply and surfaced in `ScoreSet`. Failed calls
// are not recorded, so a rerun retries them. A record cut short by a crash is skipped; any other
// line that is not a record means the file is something else (a dataset, the prompts), which is
// refused rather than appended to. A later record with the same key wins. API keys are never written: requests carry
// them only in a header, and every stored text is passed through the redactor.

import Foundation

/// The ledger key of one judge call.
public struct LedgerKey: Sendable, Codable, Hashable {
  /// Endpoint URL or `local:<name>`.
  public var endpoint: String
  /// Requested model name.
  public var model: String
  /// Model version pinned by the caller (nil when not pinned).
  public var modelVersion: String?
  /// The exact messages sent.
  public var messages: [ChatMessage]
  /// Decoding settings.
  public var settings: DecodingSettings
  /// Repeat index (0-based).
  public var repeatIndex: Int

  /// Canonical text form (sorted-key JSON) used for lookups.
  var canonical: String {
    let enc = JSONEncoder()
    enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return (try? enc.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? ""
  }
}

/// One ledger line.
public struct LedgerRecord: Sendable, Codable, Equatable {
  /// What was asked.
  public var key: LedgerKey
  /// The judge's reply text.
  public var reply: String
  /// The model version the endpoint reported.
  public var reportedModel: String?
  /// When the reply was recorded (ISO 8601, UTC).
  public var recordedAt: String
}

/// The on-disk ledger; safe to share between concurrent calls.
public actor JudgeLedger {
  /// The ledger file.
  public nonisolated let path: String
  private var records: [String: LedgerRecord] = [:]
  private let fd: Int32
  /// Lines skipped when loading because they did not parse.
  public private(set) var skippedLines = 0

  /// Opens (creating if needed) the ledger at `path` and loads its records.
  /// - Throws: `JudgeError.badFile` when the file cannot be read or created.
  public init(path: String) throws {
    self.path = path
    let url = URL(fileURLWithPath: path)
    try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    let existing = try Self.read(path)
    for r in existing.records { records[r.key.canonical] = r }
    skippedLines = existing.skipped
    let needsNewline = existing.needsNewline
    let opened = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
    fd = opened
    if opened < 0 {
      throw JudgeError.badFile(path: path, line: nil, column: nil, message: "cannot open the ledger for appending: \(String(cString: strerror(errno)))")
    }
    if needsNewline { _ = "\n".withCString { write(opened, $0, 1) } }
  }

  deinit { if fd >= 0 { close(fd) } }

  /// Checks, before any call, that `path` can be a ledger: a missing file, or an existing one
  /// that holds ledger records.
  /// - Throws: `JudgeError.badFile` for a directory, an unreadable file or one that is something else.
  public static func check(path: String) throws { _ = try read(path) }

  /// The records of an existing ledger (none when the file is missing), the records cut short,
  /// and whether the last line lacks its newline.
  static func read(_ path: String) throws -> (records: [LedgerRecord], skipped: Int, needsNewline: Bool) {
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { return ([], 0, false) }
    guard !isDir.boolValue else {
      throw JudgeError.badFile(path: path, line: nil, column: nil, message: "the ledger is a directory; give a file path such as \"judge-calls.jsonl\"")
    }
    let data: Data
    do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
      throw JudgeError.badFile(path: path, line: nil, column: nil, message: "cannot read the ledger (\(String(cString: strerror(errno))))")
    }
    var records: [LedgerRecord] = [], skipped = 0
    let dec = JSONDecoder()
    let cutRecord = Array(#"{"key":"#.utf8)
    for (i, line) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
      if let r = try? dec.decode(LedgerRecord.self, from: Data(line)) {
        records.append(r)
      } else if line.starts(with: cutRecord) {
        skipped += 1
      } else {
        // Not a record cut short: this is some other file, and appending would spoil it.
        throw JudgeError.badFile(
          path: path, line: i + 1, column: nil,
          message: "not a judge ledger (this line is not a ledger record); give a new file, or one a judge wrote, such as \"judge-calls.jsonl\"")
      }
    }
    return (records, skipped, !data.isEmpty && data.last != UInt8(ascii: "\n"))
  }

  /// Number of distinct calls recorded.
  public var count: Int { records.count }

  /// The recorded reply for `key`, if any.
  public func lookup(_ key: LedgerKey) -> LedgerRecord? { records[key.canonical] }

  /// Appends a record (one write) and remembers it.
  /// - Throws: `JudgeError.badFile` when the write fails.
  public func append(key: LedgerKey, reply: String, reportedModel: String?, redactor: SecretRedactor) throws {
    let record = LedgerRecord(
      key: key, reply: redactor.redact(reply), reportedModel: reportedModel.map(redactor.redact),
      recordedAt: ISO8601DateFormatter().string(from: Date()))
    let enc = JSONEncoder()
    enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    var line = try enc.encode(record)
    // Messages are stored as sent, so a rerun finds them: only the known key is scrubbed from the
    // line, in the rare case it was in a prompt (the patterns `redact` also uses would rewrite
    // questions and answers such as "the bearer of bad news", and the call would never match again).
    let text = redactor.redactExact(String(decoding: line, as: UTF8.self))
    line = Data(text.utf8)
    line.append(UInt8(ascii: "\n"))
    let written = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    guard written == line.count else {
      throw JudgeError.badFile(path: path, line: nil, column: nil, message: "ledger write failed: \(String(cString: strerror(errno)))")
    }
    records[key.canonical] = record
  }
}
