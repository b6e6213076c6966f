// CallRunner: runs judge calls `concurrency` at a time, in a task group fed from a queue, and reports
// progress (done / total / failures / cached / retries / elapsed) after each call and each retry.
//
// A judge that is down would otherwise be retried call after call for hours (1000 items x 3
// repeats x 5 attempts): once `giveUpAfter` calls in a row have failed after their retries, no new
// call starts, the calls in flight are abandoned, and the run reports why it stopped. The ledger
// keeps every reply, so a rerun resumes.

import Foundation

/// The outcomes of a run, and why it stopped early (nil when it did not, or was cancelled).
struct CallRun: Sendable {
  /// Outcomes in unit order (nil = never started).
  var outcomes: [CallOutcome?]
  /// Set when the run gave up on a failing judge.
  var stopped: String?
}

enum CallRunner {
  /// Calls failing in a row (after their retries) that end a run.
  static let giveUpAfter = 8

  /// Counters shared by the calls in flight (retries are reported from inside them).
  final class Tally: @unchecked Sendable {
    private let lock = NSLock()
    private let start = ContinuousClock.now
    private var done = 0, failures = 0, cached = 0, retries = 0
    private var lastRetry: String?
    let total: Int
    let progress: (@Sendable (JudgeProgress) -> Void)?

    init(total: Int, progress: (@Sendable (JudgeProgress) -> Void)?) {
      self.total = total
      self.progress = progress
    }

    func finished(failed: Bool, cached wasCached: Bool) {
      lock.withLock {
        done += 1
        if failed { failures += 1 }
        if wasCached { cached += 1 }
      }
      report()
    }

    func retried(_ reason: String) {
      lock.withLock { retries += 1; lastRetry = reason }
      report()
    }

    func report() {
      guard let progress else { return }
      let d = start.duration(to: .now).components
      let p = lock.withLock {
        JudgeProgress(done: done, total: total, failures: failures, cached: cached,
                      elapsed: Double(d.seconds) + Double(d.attoseconds) * 1e-18, retries: retries, lastRetryReason: lastRetry)
      }
      progress(p)
    }
  }

  /// Runs every unit (messages, repeat index).
  static func run(
    units: [([ChatMessage], Int)], caller: JudgeCaller, settings: DecodingSettings, concurrency: Int,
    progress: (@Sendable (JudgeProgress) -> Void)?, isCancelled: @escaping @Sendable () -> Bool,
    isFailure: @escaping (CallOutcome) -> Bool
  ) async -> CallRun {
    var outcomes = [CallOutcome?](repeating: nil, count: units.count)
    let tally = Tally(total: units.count, progress: progress)
    var failedInARow = 0
    var stopped: String?
    tally.report()
    await withTaskGroup(of: (Int, CallOutcome).self) { group in
      var next = 0
      func launch() {
        let i = next
        next += 1
        let (messages, r) = units[i]
        group.addTask {
          (i, await caller.call(messages, settings: settings, repeatIndex: r, isCancelled: isCancelled,
                                onRetry: { tally.retried($0) }))
        }
      }
      while next < units.count && next < concurrency && !isCancelled() { launch() }
      while let (i, outcome) = await group.next() {
        outcomes[i] = outcome
        switch outcome {
        case .cancelled:
          break
        case .failure(let message):
          tally.finished(failed: true, cached: false)
          failedInARow += 1
          if failedInARow >= giveUpAfter && stopped == nil {
            stopped = "stopped after \(giveUpAfter) judge calls in a row failed (the last: \(message))"
            group.cancelAll()
          }
        case .reply(_, _, let wasCached):
          failedInARow = 0
          tally.finished(failed: isFailure(outcome), cached: wasCached)
        }
        if stopped == nil && next < units.count && !isCancelled() { launch() }
      }
    }
    return CallRun(outcomes: outcomes, stopped: stopped)
  }
}
