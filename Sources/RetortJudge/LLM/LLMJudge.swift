// LLMJudge: BELLE-style judging by a language model. Each item is judged `repeats` times (calls
// differ only in the repeat index, which is part of the ledger key); each reply's score is parsed
// (`ScoreParser`); the item's score is the mean of the repeats that produced a score. Calls run
// `concurrency` at a time; every finished call is in the ledger at once, so an interrupted run
// resumes where it stopped and a rerun makes no calls. Progress counts calls (items x repeats).
// Cancellation: no new call starts once `isCancelled()` is true, and calls in flight (at most
// `concurrency`) are abandoned at once: the endpoint may have received them, but their replies are not
// kept, so a rerun with the same ledger makes them again.

import Foundation

/// Settings of an LLM judge besides its backend and prompts.
public struct LLMJudgeOptions: Sendable, Equatable {
  /// Judgements per item, averaged (BELLE: 3).
  public var repeats: Int
  /// Decoding settings sent with each call.
  public var settings: DecodingSettings
  /// Calls in flight at once.
  public var concurrency: Int
  /// Retries for timeouts, dropped connections, 429 and 5xx.
  public var retry: RetryPolicy
  /// JSON Lines ledger of calls; nil disables caching and resuming.
  public var ledgerPath: String?
  /// A model version to pin in ledger keys (e.g. a dated model name or weights digest).
  public var modelVersion: String?
  /// How prompt, question, reference and answer are laid out.
  public var layout: MessageLayout

  /// Creates options; the defaults follow BELLE (3 repeats, temperature 0).
  public init(
    repeats: Int = 3, settings: DecodingSettings = DecodingSettings(), concurrency: Int = 4,
    retry: RetryPolicy = RetryPolicy(), ledgerPath: String? = nil, modelVersion: String? = nil,
    layout: MessageLayout = .belle
  ) {
    self.repeats = repeats
    self.settings = settings
    self.concurrency = concurrency
    self.retry = retry
    self.ledgerPath = ledgerPath
    self.modelVersion = modelVersion
    self.layout = layout
  }
}

extension LLMJudgeOptions {
  /// Checks what every call uses (concurrency, temperature, max_tokens).
  /// - Throws: `JudgeError.invalidArgument` naming the setting.
  func checkCalls() throws {
    guard concurrency >= 1 else {
      throw JudgeError.invalidArgument("concurrency: expected at least 1, got \(concurrency)")
    }
    guard settings.temperature >= 0, settings.temperature.isFinite else {
      throw JudgeError.invalidArgument("temperature: expected a number >= 0, got \(settings.temperature)")
    }
    if let m = settings.maxTokens, m < 1 {
      throw JudgeError.invalidArgument("max_tokens: expected at least 1, got \(m)")
    }
  }
}

/// A judge that asks a language model for a score in [0, 1].
public struct LLMJudge: Judge {
  /// Where calls go.
  public let backend: any JudgeBackend
  /// Prompts per category.
  public let prompts: JudgePrompts
  /// Other settings.
  public let options: LLMJudgeOptions

  /// Creates a judge.
  /// - Throws: `JudgeError.invalidArgument` for repeats, concurrency or max_tokens below 1, or a
  ///   negative temperature.
  public init(backend: any JudgeBackend, prompts: JudgePrompts, options: LLMJudgeOptions = LLMJudgeOptions()) throws {
    guard (1...LLMJudge.maxRepeats).contains(options.repeats) else {
      throw JudgeError.invalidArgument("repeats: expected 1 to \(LLMJudge.maxRepeats), got \(options.repeats)")
    }
    try options.checkCalls()
    self.backend = backend
    self.prompts = prompts
    self.options = options
  }

  /// The most repeats per item (BELLE used 3; more is a typo, and each repeat is a call).
  public static let maxRepeats = 100

  /// A judge over an OpenAI-compatible endpoint (`judge.llm(...)`).
  public static func openAI(
    url: String, model: String, prompts: JudgePrompts, options: LLMJudgeOptions = LLMJudgeOptions(),
    apiKeyVariable: String = "OPENAI_API_KEY", timeout: Double = 120
  ) throws -> LLMJudge {
    let backend = try OpenAIChatBackend(url: url, model: model, apiKeyVariable: apiKeyVariable, timeout: timeout)
    return try LLMJudge(backend: backend, prompts: prompts, options: options)
  }

  /// "llm <model>" for an endpoint, "model <name>" for a local model.
  public var name: String {
    (backend.identity.endpoint.hasPrefix("local:") ? "model " : "llm ") + backend.identity.model
  }

  /// The messages sent for an item (the category's prompt in BELLE's layout).
  /// - Throws: `JudgeError.missingPrompts` when the category has no prompt and there is no default.
  public func messages(for item: JudgeItem) throws -> [ChatMessage] {
    guard let p = prompts.prompt(for: item.category) else {
      throw JudgeError.missingPrompts(categories: [item.category], available: prompts.labels.values.sorted())
    }
    return options.layout.messages(prompt: p, item: item)
  }

  public func score(
    _ items: [JudgeItem], progress: (@Sendable (JudgeProgress) -> Void)? = nil,
    isCancelled: (@Sendable () -> Bool)? = nil
  ) async throws -> ScoreSet {
    try JudgeItem.checkInstructions(items.map(\.instruction))
    try prompts.check(categories: items.map(\.category))
    let messages = try items.map { try self.messages(for: $0) }
    let ledger = try options.ledgerPath.map { try JudgeLedger(path: $0) }
    let caller = JudgeCaller(backend: backend, ledger: ledger, retry: options.retry, pinnedModelVersion: options.modelVersion)
    let units = items.indices.flatMap { i in (0..<options.repeats).map { (i, $0) } }
    let run = await CallRunner.run(
      units: units.map { (messages[$0.0], $0.1) }, caller: caller, settings: options.settings,
      concurrency: options.concurrency, progress: progress, isCancelled: isCancelled ?? { false },
      isFailure: { if case .reply(let t, _, _) = $0 { return (try? ScoreParser.parse(t)) == nil } else { return true } })
    var scored: [ScoredItem] = []
    var versions = Set<String>()
    var live = 0, cached = 0, failedCalls = 0, cancelled = false
    for (i, item) in items.enumerated() {
      var s = ScoredItem(item: item, score: nil, repeatScores: Array(repeating: nil, count: options.repeats),
                         replies: Array(repeating: nil, count: options.repeats), failures: [])
      for r in 0..<options.repeats {
        switch run.outcomes[i * options.repeats + r] {
        case .reply(let text, let version, let wasCached):
          if wasCached { cached += 1 } else { live += 1 }
          if let version { versions.insert(version) }
          s.replies[r] = text
          do { s.repeatScores[r] = try ScoreParser.parse(text).value } catch {
            s.failures.append(RepeatFailure(repeatIndex: r, message: "\(error)", reply: text))
          }
        case .failure(let message):
          failedCalls += 1
          s.failures.append(RepeatFailure(repeatIndex: r, message: message))
        case .cancelled, .none:
          cancelled = true
          s.failures.append(RepeatFailure(repeatIndex: r, message: run.stopped.map { "not judged: \($0)" } ?? "not judged: cancelled"))
        }
      }
      let ok = s.repeatScores.compactMap { $0 }
      s.score = ok.isEmpty ? nil : ok.reduce(0, +) / Double(ok.count)
      scored.append(s)
    }
    return ScoreSet(judge: name, items: scored, liveCalls: live, cachedCalls: cached, failedCalls: failedCalls,
                    judgeModelVersions: versions.sorted(), cancelled: cancelled, stopReason: run.stopped)
  }
}
