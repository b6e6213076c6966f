// CallRace: a judge call that returns as soon as it is answered, cancelled
// (Ctrl-C) or past its deadline, whichever comes first. The call runs in its
// own task; when cancellation or the deadline wins, that task is cancelled and
// the caller goes on at once rather than waiting for a request that may not
// notice (its late result, if any, is dropped).

import Foundation

enum CallRace {
  /// The first of: `op`'s result, `CancellationError` when `isCancelled()` or
  /// the task is cancelled, `timedOut(deadline)` after `deadline` seconds.
  static func run<T: Sendable>(
    deadline: Double?, timedOut: @escaping @Sendable (Double) -> any Error, isCancelled: @escaping @Sendable () -> Bool,
    _ op: @escaping @Sendable () async throws -> T
  ) async throws -> T {
    let once = Once<T>()
    let work = Task {
      do { once.finish(.success(try await op())) } catch { once.finish(.failure(error)) }
    }
    let watch = Task {
      let start = ContinuousClock.now
      while !Task.isCancelled {
        if isCancelled() { once.finish(.failure(CancellationError())); return }
        if let d = deadline, start.duration(to: .now) > .milliseconds(Int64(d * 1000)) {
          once.finish(.failure(timedOut(d)))
          return
        }
        try? await Task.sleep(nanoseconds: 20_000_000)
      }
    }
    defer { work.cancel(); watch.cancel() }
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { once.wait($0) }
    } onCancel: {
      once.finish(.failure(CancellationError()))
    }
  }

  /// The first result wins; later ones are dropped.
  final class Once<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, Error>?
    private var early: Result<T, Error>?
    private var finished = false

    func wait(_ c: CheckedContinuation<T, Error>) {
      lock.withLock {
        if let r = early { c.resume(with: r); early = nil } else { continuation = c }
      }
    }

    func finish(_ r: Result<T, Error>) {
      lock.withLock {
        guard !finished else { return }
        finished = true
        if let c = continuation { continuation = nil; c.resume(with: r) } else { early = r }
      }
    }
  }
}
