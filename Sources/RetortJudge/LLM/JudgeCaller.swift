// JudgeCaller: one judge call with everything around it — ledger lookup, the call (abandoned at
// once on cancellation or past the backend's deadline: CallRace), retries with backoff, the ledger
// append and redaction of failure messages.
// Shared by `LLMJudge` and `PairwiseJudge`.

/// The outcome of one judge call.
enum CallOutcome: Sendable {
  /// A reply, from the ledger (`cached`) or a live call.
  case reply(text: String, modelVersion: String?, cached: Bool)
  /// The call failed (after retries when retryable); the message is redacted.
  case failure(String)
  /// Cancelled before a reply arrived.
  case cancelled
}

/// Makes judge calls through a backend, a ledger and a retry policy.
struct JudgeCaller: Sendable {
  let backend: any JudgeBackend
  let ledger: JudgeLedger?
  let retry: RetryPolicy
  let pinnedModelVersion: String?

  func key(_ messages: [ChatMessage], _ settings: DecodingSettings, repeatIndex: Int) -> LedgerKey {
    let id = backend.identity
    return LedgerKey(endpoint: id.endpoint, model: id.model, modelVersion: pinnedModelVersion,
                     messages: messages, settings: settings, repeatIndex: repeatIndex)
  }

  func call(
    _ messages: [ChatMessage], settings: DecodingSettings, repeatIndex: Int, isCancelled: @escaping @Sendable () -> Bool,
    onRetry: @Sendable (String) -> Void = { _ in }
  ) async -> CallOutcome {
    let k = key(messages, settings, repeatIndex: repeatIndex)
    if let hit = await ledger?.lookup(k) {
      return .reply(text: hit.reply, modelVersion: hit.reportedModel, cached: true)
    }
    let redactor = SecretRedactor(secrets: backend.secrets)
    var attempt = 0
    while true {
      if isCancelled() || Task.isCancelled { return .cancelled }
      attempt += 1
      do {
        // With a base seed, repeat r samples with seed + r: repeats differ, reruns repeat.
        var callSettings = settings
        if let seed = settings.seed { callSettings.seed = seed &+ repeatIndex }
        let backend = self.backend, sent = callSettings
        // Past the deadline the call fails as a timeout does: retried, then recorded.
        var c = try await CallRace.run(
          deadline: backend.deadline, timedOut: { BackendError(.transport("timed out after \($0) s"), retryable: true) },
          isCancelled: isCancelled
        ) {
          try await backend.complete(messages: messages, settings: sent)
        }
        c.text = ScoreParser.ends(of: redactor.redact(c.text))  // a runaway reply is kept at its ends
        if let ledger {
          do {
            try await ledger.append(key: k, reply: c.text, reportedModel: c.modelVersion, redactor: redactor)
          } catch {
            return .failure(redactor.redact("reply received but not recorded: \(error)"))
          }
        }
        return .reply(text: c.text, modelVersion: c.modelVersion, cached: false)
      } catch is CancellationError {
        return .cancelled
      } catch let e as BackendError {
        if isCancelled() || Task.isCancelled { return .cancelled }
        let message = redactor.redact(e.error.description)
        guard e.retryable, attempt < retry.maxAttempts else {
          return .failure(attempt > 1 ? "\(message) (after \(attempt) attempts)" : message)
        }
        let wait = retry.delay(retry: attempt, retryAfter: e.retryAfter)
        onRetry(message)
        if await !sleep(seconds: wait, isCancelled: isCancelled) { return .cancelled }
      } catch {
        return .failure(redactor.redact("\(error)"))
      }
    }
  }

  /// Sleeps in short slices so cancellation is noticed; false when cancelled.
  func sleep(seconds: Double, isCancelled: @Sendable () -> Bool) async -> Bool {
    var left = seconds
    while left > 0 {
      if isCancelled() || Task.isCancelled { return false }
      let slice = min(left, 0.05)
      try? await Task.sleep(nanoseconds: UInt64(slice * 1e9))
      left -= slice
    }
    return !(isCancelled() || Task.isCancelled)
  }
}
