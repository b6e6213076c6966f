// JudgeItem and ScoredItem: what a judge reads and what it returns for one answer.

/// One answer to be judged: the question, the reference answer (if any), the answer, its category.
public struct JudgeItem: Sendable, Codable, Equatable {
  /// Stable identifier (row number or dataset id); used in reports and errors.
  public var id: String
  /// The question / instruction the answer responds to.
  public var instruction: String
  /// The reference answer; nil or empty when the category has none.
  public var reference: String?
  /// The answer being judged.
  public var answer: String
  /// The category (task class), as written in the data; matched in normalised form.
  public var category: String

  /// Creates an item.
  public init(id: String, instruction: String, reference: String?, answer: String, category: String) {
    self.id = id
    self.instruction = instruction
    self.reference = reference
    self.answer = answer
    self.category = category
  }

  /// The reference if present and not blank.
  public var nonEmptyReference: String? {
    guard let r = reference, !r.allSatisfy(\.isWhitespace) else { return nil }
    return r
  }
}

/// One judged answer: the item, its score (mean of the successful repeats), per-repeat scores,
/// raw replies and failures.
public struct ScoredItem: Sendable, Codable, Equatable {
  /// The judged item.
  public var item: JudgeItem
  /// Mean of the successful repeats in [0, 1]; nil when no repeat succeeded.
  public var score: Double?
  /// Score of each repeat (nil where that repeat failed or was not run).
  public var repeatScores: [Double?]
  /// Raw judge reply of each repeat (nil for metrics, failed calls or repeats not run).
  public var replies: [String?]
  /// Failure messages (repeat index, message), e.g. a reply with no score or an HTTP error.
  public var failures: [RepeatFailure]

  /// Creates a scored item.
  public init(item: JudgeItem, score: Double?, repeatScores: [Double?], replies: [String?], failures: [RepeatFailure]) {
    self.item = item
    self.score = score
    self.repeatScores = repeatScores
    self.replies = replies
    self.failures = failures
  }

  /// True when the item has no score.
  public var failed: Bool { score == nil }
}

/// A failure of one repeat of one item.
public struct RepeatFailure: Sendable, Codable, Equatable, CustomStringConvertible {
  /// Repeat index (0-based); -1 for metrics, which have no repeats.
  public var repeatIndex: Int
  /// What went wrong (never contains an API key).
  public var message: String
  /// The raw reply when the failure was an unparseable reply.
  public var reply: String?

  /// Creates a failure record.
  public init(repeatIndex: Int, message: String, reply: String? = nil) {
    self.repeatIndex = repeatIndex
    self.message = message
    self.reply = reply
  }

  public var description: String { repeatIndex < 0 ? message : "repeat \(repeatIndex): \(message)" }

  /// A reference metric's failure (no repeats to number).
  public static func metric(_ message: String) -> RepeatFailure { RepeatFailure(repeatIndex: -1, message: message) }
}

/// Progress of a judging run, reported after each finished call or item.
public struct JudgeProgress: Sendable, Equatable {
  /// Units finished (judge calls for LLM judges, items for metrics).
  public var done: Int
  /// Units in the run.
  public var total: Int
  /// Units that failed so far.
  public var failures: Int
  /// Units answered from the ledger without a call.
  public var cached: Int
  /// Seconds since the run started.
  public var elapsed: Double
  /// Calls retried so far (a timeout, a dropped connection, 429 or 5xx), and the last reason.
  public var retries: Int
  public var lastRetryReason: String?

  /// Creates a progress report.
  public init(done: Int, total: Int, failures: Int, cached: Int, elapsed: Double, retries: Int = 0, lastRetryReason: String? = nil) {
    self.done = done
    self.total = total
    self.failures = failures
    self.cached = cached
    self.elapsed = elapsed
    self.retries = retries
    self.lastRetryReason = lastRetryReason
  }

  /// Units per second so far (0 before anything is done).
  public var rate: Double { elapsed > 0 ? Double(done) / elapsed : 0 }
  /// Estimated seconds left, nil while the rate is unknown.
  public var eta: Double? { rate > 0 ? Double(total - done) / rate : nil }
}

extension JudgeItem {
  /// Checks that every question has text: a judge asked about nothing scores nothing.
  /// - Throws: `JudgeError.invalidArgument` naming the first items whose instruction is empty or blank.
  public static func checkInstructions(_ instructions: [String]) throws {
    let blank = instructions.indices.filter { instructions[$0].allSatisfy(\.isWhitespace) }
    guard !blank.isEmpty else { return }
    let shown = blank.prefix(5).map(String.init).joined(separator: ", ") + (blank.count > 5 ? ", ..." : "")
    throw JudgeError.invalidArgument(
      "the instruction is empty in item\(blank.count == 1 ? "" : "s") \(shown); a judge needs the question")
  }
}
