// PairwiseJudge: compares two answers to the same question (MT-bench style). Each pair is judged
// twice, with the answers in both positions, to cancel position bias: the first answer wins only
// if it wins in both orders (likewise the second); any disagreement or tie counts as a tie and
// disagreements are also counted as `inconsistent`. The judge must end with `[[A]]`, `[[B]]` or
// `[[C]]` (tie); the last such token in the reply is the verdict. Message layout:
//   system: `PairwiseJudge.defaultSystemPrompt` (or the caller's)
//   user:   "[Question]\n{Q}\n\n" + (reference ? "[Reference Answer]\n{R}\n\n" : "")
//           + "[Answer A]\n{A}\n[End of Answer A]\n\n[Answer B]\n{B}\n[End of Answer B]"
// Calls go through the same ledger, retries, concurrency, progress and cancellation as `LLMJudge`.

/// Two answers to one question.
public struct PairwiseItem: Sendable, Codable, Equatable {
  /// Identifier.
  public var id: String
  /// The question.
  public var instruction: String
  /// Reference answer, if any.
  public var reference: String?
  /// The first model's answer.
  public var first: String
  /// The second model's answer.
  public var second: String
  /// Category.
  public var category: String

  /// Creates an item.
  public init(id: String, instruction: String, reference: String? = nil, first: String, second: String, category: String = "") {
    self.id = id
    self.instruction = instruction
    self.reference = reference
    self.first = first
    self.second = second
    self.category = category
  }
}

/// The verdict for one pair, from the first answer's side.
public enum PairwiseVerdict: String, Sendable, Codable, Equatable {
  /// The first answer wins.
  case win
  /// Neither wins (or the two orders disagree).
  case tie
  /// The second answer wins.
  case loss
}

/// The judgement of one pair.
public struct PairwiseResult: Sendable, Codable, Equatable {
  /// The pair.
  public var item: PairwiseItem
  /// Combined verdict; nil when a call failed or a reply had no verdict.
  public var verdict: PairwiseVerdict?
  /// Verdict with the first answer as A, then with it as B (both from the first answer's side).
  public var byOrder: [PairwiseVerdict?]
  /// True when the two orders disagreed.
  public var inconsistent: Bool
  /// Raw replies (A-first order, then B-first order).
  public var replies: [String?]
  /// Failures (repeat index 0 = first answer as A, 1 = as B).
  public var failures: [RepeatFailure]
}

/// Win/tie/loss counts of the first model against the second.
public struct PairwiseSummary: Sendable, Codable, Equatable {
  /// Per-pair results.
  public var results: [PairwiseResult]
  /// Pairs the first model won.
  public var wins: Int { results.filter { $0.verdict == .win }.count }
  /// Ties (including inconsistent pairs).
  public var ties: Int { results.filter { $0.verdict == .tie }.count }
  /// Pairs the first model lost.
  public var losses: Int { results.filter { $0.verdict == .loss }.count }
  /// Pairs whose two orders disagreed.
  public var inconsistent: Int { results.filter(\.inconsistent).count }
  /// Pairs with no verdict.
  public var failures: Int { results.filter { $0.verdict == nil }.count }
  /// True when the run was cancelled.
  public var cancelled: Bool
  /// Why the run stopped before the end when it gave up on a failing judge (nil otherwise).
  public var stopReason: String?

  /// "win 12 / tie 5 / loss 3 (inconsistent 2, failures 0)".
  public var text: String {
    "win \(wins) / tie \(ties) / loss \(losses) (inconsistent \(inconsistent), failures \(failures))"
  }
}

/// A judge comparing two answers in both orders.
public struct PairwiseJudge: Sendable {
  /// Where calls go.
  public let backend: any JudgeBackend
  /// The system prompt.
  public let systemPrompt: String
  /// Decoding, concurrency, retries, ledger (repeats and layout are not used).
  public let options: LLMJudgeOptions

  /// The default instruction: impartial comparison ending in [[A]], [[B]] or [[C]].
  public static let defaultSystemPrompt = """
    You are an impartial judge. Compare the two answers to the question below (and the reference \
    answer when one is given) for correctness, helpfulness and relevance. Ignore the order in which \
    the answers appear and their length. Explain briefly, then give your verdict on the last line \
    exactly as [[A]] if answer A is better, [[B]] if answer B is better, or [[C]] for a tie.
    """

  /// Creates a pairwise judge.
  public init(backend: any JudgeBackend, systemPrompt: String = PairwiseJudge.defaultSystemPrompt,
              options: LLMJudgeOptions = LLMJudgeOptions()) throws {
    try options.checkCalls()
    self.backend = backend
    self.systemPrompt = systemPrompt
    self.options = options
  }

  /// The messages for one order.
  public func messages(_ item: PairwiseItem, firstAsA: Bool) -> [ChatMessage] {
    let (a, b) = firstAsA ? (item.first, item.second) : (item.second, item.first)
    var user = "[Question]\n\(item.instruction)\n\n"
    if let r = item.reference, !r.allSatisfy(\.isWhitespace) { user += "[Reference Answer]\n\(r)\n\n" }
    user += "[Answer A]\n\(a)\n[End of Answer A]\n\n[Answer B]\n\(b)\n[End of Answer B]"
    return [ChatMessage(role: "system", content: systemPrompt), ChatMessage(role: "user", content: user)]
  }

  /// Reads `[[A]]` / `[[B]]` / `[[C]]` (the last one in the reply).
  /// - Throws: `JudgeError.noScore` with the reply when there is none.
  public static func parseVerdict(_ reply: String) throws -> String {
    guard let m = reply.matches(of: #/\[\[\s*([ABCabc])\s*\]\]/#).last else { throw JudgeError.noScore(reply: reply) }
    return m.output.1.uppercased()
  }

  /// Judges every pair in both orders.
  public func compare(
    _ items: [PairwiseItem], progress: (@Sendable (JudgeProgress) -> Void)? = nil,
    isCancelled: (@Sendable () -> Bool)? = nil
  ) async throws -> PairwiseSummary {
    try JudgeItem.checkInstructions(items.map(\.instruction))
    let ledger = try options.ledgerPath.map { try JudgeLedger(path: $0) }
    let caller = JudgeCaller(backend: backend, ledger: ledger, retry: options.retry, pinnedModelVersion: options.modelVersion)
    let units = items.flatMap { [(messages($0, firstAsA: true), 0), (messages($0, firstAsA: false), 0)] }
    let run = await CallRunner.run(
      units: units, caller: caller, settings: options.settings, concurrency: options.concurrency,
      progress: progress, isCancelled: isCancelled ?? { false },
      isFailure: { if case .reply(let t, _, _) = $0 { return (try? Self.parseVerdict(t)) == nil } else { return true } })
    var results: [PairwiseResult] = []
    var cancelled = false
    for (i, item) in items.enumerated() {
      var r = PairwiseResult(item: item, verdict: nil, byOrder: [nil, nil], inconsistent: false, replies: [nil, nil], failures: [])
      for k in 0..<2 {
        switch run.outcomes[2 * i + k] {
        case .reply(let text, _, _):
          r.replies[k] = text
          do {
            let v = try Self.parseVerdict(text)
            let firstWon = (k == 0) ? "A" : "B"
            r.byOrder[k] = v == "C" ? .tie : (v == firstWon ? .win : .loss)
          } catch {
            r.failures.append(RepeatFailure(repeatIndex: k, message: "no verdict [[A]]/[[B]]/[[C]] in reply", reply: text))
          }
        case .failure(let m): r.failures.append(RepeatFailure(repeatIndex: k, message: m))
        case .cancelled, .none:
          cancelled = true
          r.failures.append(RepeatFailure(repeatIndex: k, message: run.stopped.map { "not judged: \($0)" } ?? "not judged: cancelled"))
        }
      }
      if let a = r.byOrder[0], let b = r.byOrder[1] {
        r.inconsistent = a != b
        r.verdict = a == b ? a : .tie
      }
      results.append(r)
    }
    return PairwiseSummary(results: results, cancelled: cancelled, stopReason: run.stopped)
  }
}
