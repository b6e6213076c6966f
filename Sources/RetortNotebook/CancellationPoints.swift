import Synchronization

/// Counts how often a cell asks whether it should stop, so that a cell stopped
/// by Ctrl-C can be recorded with the point where it stopped and a replay can
/// stop it at the same point.
///
/// Running code polls its cancellation flag at fixed places (each statement,
/// each training step, each generated token, each record read), so the number
/// of polls before the first "stop" is the same on every run of the same cell.
/// Recording keeps that number (`stoppedAt`); a replay built with
/// `replayingStopAt:` answers "stop" from that poll on, so the replayed cell
/// ends where the recorded one did instead of running to completion. (Polls
/// made on a clock, such as a judge's wait for replies, stop at about the same
/// time instead.)
public final class CancellationPoints: Sendable {
  private let polls = Atomic<Int>(0)
  private let firstStop = Atomic<Int>(0)
  private let replayStop: Int
  private let flag: @Sendable () -> Bool

  /// - Parameters:
  ///   - replayingStopAt: The recorded poll at which to stop (nil: only `flag` stops).
  ///   - flag: The live cancellation flag (Ctrl-C), which always stops too.
  public init(replayingStopAt: Int? = nil, flag: @escaping @Sendable () -> Bool) {
    replayStop = replayingStopAt.map { max(1, $0) } ?? 0
    self.flag = flag
  }

  /// One poll: true when the cell should stop. Safe to call from any thread.
  public func poll() -> Bool {
    let n = polls.wrappingAdd(1, ordering: .relaxed).newValue
    let stop = (replayStop > 0 && n >= replayStop) || flag()
    if stop { _ = firstStop.compareExchange(expected: 0, desired: n, ordering: .relaxed) }
    return stop
  }

  /// The 1-based poll that first answered "stop", or nil if none did.
  public var stoppedAt: Int? {
    let n = firstStop.load(ordering: .relaxed)
    return n > 0 ? n : nil
  }
}
