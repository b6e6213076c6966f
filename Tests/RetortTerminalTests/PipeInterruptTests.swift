import Glibc
import Synchronization
import Testing
@testable import RetortTerminal

/// A Ctrl-C flag of a test's own (the process-wide `Interrupt` is shared by parallel tests).
final class TestFlag: Sendable {
  let raised = Atomic<Bool>(false)
  func raise() { raised.store(true, ordering: .relaxed) }
  var isRaised: Bool { raised.load(ordering: .relaxed) }
}

@Suite struct PipeInterruptTests {
  @Test func aCtrlCWhileWaitingForInputEndsTheRead() {
    // Audit G finding 8: it was latched onto the next cell instead.
    var fds: [Int32] = [0, 0]
    #expect(pipe(&fds) == 0)
    defer { close(fds[0]); close(fds[1]) }
    let flag = TestFlag()
    let reader = PipeLineReader(fileDescriptor: fds[0])
    reader.interruptRequested = { flag.isRaised }
    _ = "x = 1\n".withCString { write(fds[1], $0, strlen($0)) }
    #expect(reader.readLine(prompt: "", continuation: false) == .line("x = 1"))
    // Nothing more comes: the reader waits, and a Ctrl-C meanwhile ends the wait.
    var raiser = pthread_t()
    let box = Unmanaged.passRetained(flag).toOpaque()
    pthread_create(&raiser, nil, { raw in
      usleep(200_000)
      Unmanaged<TestFlag>.fromOpaque(raw!).takeRetainedValue().raise()
      return nil
    }, box)
    #expect(reader.readLine(prompt: "", continuation: false) == .interrupted)
    pthread_join(raiser, nil)
  }

  @Test func aCtrlCBeforeABufferedLineIsNotPassedOn() {
    let flag = TestFlag()
    let reader = PipeLineReader(bytes: Array("a\nb\n".utf8))
    reader.interruptRequested = { flag.isRaised }
    #expect(reader.readLine(prompt: "", continuation: false) == .line("a"))
    flag.raise()
    #expect(reader.readLine(prompt: "", continuation: false) == .interrupted)
    // Without a flag to poll, a reader never reports one.
    #expect(PipeLineReader(lines: ["a"]).readLine(prompt: "", continuation: false) == .line("a"))
  }
}
