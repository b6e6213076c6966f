import Testing
import Synchronization
@testable import RetortNotebook

@Suite struct CancellationPointsTests {
  @Test func recordsThePollWhereTheFlagFirstStopped() {
    let pressed = Atomic<Bool>(false)
    let points = CancellationPoints(flag: { pressed.load(ordering: .relaxed) })
    for _ in 0..<4 { #expect(!points.poll()) }
    #expect(points.stoppedAt == nil)
    pressed.store(true, ordering: .relaxed)
    #expect(points.poll())
    #expect(points.poll())
    #expect(points.stoppedAt == 5)
  }

  @Test func aReplayStopsAtTheRecordedPollAndTheLiveFlagStillWorks() {
    let points = CancellationPoints(replayingStopAt: 3, flag: { false })
    #expect([points.poll(), points.poll(), points.poll(), points.poll()] == [false, false, true, true])
    #expect(points.stoppedAt == 3)
    let live = CancellationPoints(replayingStopAt: 100, flag: { true })
    #expect(live.poll())
    #expect(live.stoppedAt == 1)
  }

  @Test func pollsFromManyThreadsAreAllCounted() async {
    let points = CancellationPoints(replayingStopAt: 1000, flag: { false })
    await withTaskGroup(of: Void.self) { group in
      for _ in 0..<4 { group.addTask { for _ in 0..<249 { _ = points.poll() } } }
    }
    #expect(points.stoppedAt == nil)
    #expect([points.poll(), points.poll(), points.poll(), points.poll()] == [false, false, false, true])
    #expect(points.stoppedAt == 1000)
  }
}
