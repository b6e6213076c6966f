// CallRunner: runs judge calls `concurrency` at a time, in a task group fed from a queue, and reports
// progress (done / total / failures / cached / elapsed) after each call from a single task.

import Foundation

enum CallRunner {
  /// Runs every unit (messages, repeat index); returns outcomes in unit order (nil = never started).
  static func run(
    units: [([ChatMessage], Int)], caller: JudgeCaller, settings: DecodingSettings, concurrency: Int,
    progress: (@Sendable (JudgeProgress) -> Void)?, isCancelled: @escaping @Sendable () -> Bool,
    isFailure: @escaping (CallOutcome) -> Bool
  ) async -> [CallOutcome?] {
    var outcomes = [CallOutcome?](repeating: nil, count: units.count)
    let clock = ContinuousClock(), start = clock.now
    var done = 0, failures = 0, cached = 0
    func report() {
      let d = start.duration(to: clock.now).components
      progress?(JudgeProgress(done: done, total: units.count, failures: failures, cached: cached,
                              elapsed: Double(d.seconds) + Double(d.attoseconds) * 1e-18))
    }
    report()
    await withTaskGroup(of: (Int, CallOutcome).self) { group in
      var next = 0
      func launch() {
        let i = next
        next += 1
        let (messages, r) = units[i]
        group.addTask { (i, await caller.call(messages, settings: settings, repeatIndex: r, isCancelled: isCancelled)) }
      }
      while next < units.count && next < concurrency && !isCancelled() { launch() }
      while let (i, outcome) = await group.next() {
        outcomes[i] = outcome
        if case .cancelled = outcome {} else {
          done += 1
          if isFailure(outcome) { failures += 1 }
          if case .reply(_, _, true) = outcome { cached += 1 }
          report()
        }
        if next < units.count && !isCancelled() { launch() }
      }
    }
    return outcomes
  }
}
