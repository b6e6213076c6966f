// JudgeRun: runs an async judging job from the (synchronous) interpreter thread. The job runs in a
// detached task; the interpreter thread waits, drawing progress and watching Ctrl-C every 100 ms,
// so progress sinks and the interrupt flag are only touched on the interpreter's own thread.
// The job needs a free thread of Swift's cooperative pool: the interpreter must not itself run on
// that pool (the REPL and `retort run` call it from ordinary threads).

import Foundation
import RetortFiles
import RetortJudge
import RetortLang

enum JudgeRun {
  /// Thread-safe box for the latest progress and the cancel flag.
  final class Shared: @unchecked Sendable {
    private let lock = NSLock()
    private var _progress: JudgeProgress?
    private var _cancelled = false
    var progress: JudgeProgress? { lock.withLock { _progress } }
    var cancelled: Bool { lock.withLock { _cancelled } }
    func set(_ p: JudgeProgress) { lock.withLock { _progress = p } }
    func cancel() { lock.withLock { _cancelled = true } }
  }

  final class ResultBox<T>: @unchecked Sendable {
    var result: Result<T, Error>?
  }

  /// Runs `job` (given a progress callback and a cancellation check) until it finishes.
  static func blocking<T>(
    _ interp: Interpreter, label: String,
    _ job: @escaping @Sendable (@escaping @Sendable (JudgeProgress) -> Void, @escaping @Sendable () -> Bool) async throws -> T
  ) throws -> T {
    let shared = Shared()
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    Task.detached {
      do { box.result = .success(try await job({ shared.set($0) }, { shared.cancelled })) } catch { box.result = .failure(error) }
      done.signal()
    }
    var bar: ProgressSink?
    var shownDone = -1
    func show(_ p: JudgeProgress) {
      if bar == nil { bar = interp.progressFactory(label, p.total) }
      shownDone = p.done
      var note = "failures \(p.failures)"
      if p.cached > 0 { note += ", cached \(p.cached)" }
      // Retries are where a slow or failing judge spends its time: show them as they happen.
      if p.retries > 0 { note += ", retries \(p.retries) (last: \((p.lastRetryReason ?? "").excerpt(60)))" }
      // The bar shows the rate and ETA itself.
      bar?.update(done: p.done, note: note)
    }
    defer { bar?.finish() }
    while done.wait(timeout: .now() + .milliseconds(100)) == .timedOut {
      if interp.interruptRequested() { shared.cancel() }
      // Every poll, not only when a call ends: a log gets its line every 10 s while calls
      // wait (a slow endpoint, a long Retry-After), and a bar its elapsed time.
      if let p = shared.progress { show(p) }
    }
    // The calls that ended after the last poll: the bar ends at the count reached.
    if let p = shared.progress, p.done != shownDone { show(p) }
    switch box.result {
    case .success(let v): return v
    case .failure(let e): throw ScriptError("\(e)")
    case .none: throw ScriptError("\(label): the job ended without a result")
    }
  }
}
