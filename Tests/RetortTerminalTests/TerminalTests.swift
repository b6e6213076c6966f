import Glibc
import Testing
@testable import RetortTerminal

@Suite struct TerminalTests {
  @Test func nonTerminalsUseColumnsOr80() {
    var fds: [Int32] = [0, 0]
    #expect(pipe(&fds) == 0)
    defer { close(fds[0]); close(fds[1]) }
    #expect(!Terminal.isTerminal(fds[0]))
    let expected = getenv("COLUMNS").flatMap { Int(String(cString: $0)) }.flatMap { $0 > 0 ? $0 : nil } ?? 80
    #expect(Terminal.width(fds[1]) == expected)
    #expect(Terminal.width(-1) == expected)
  }

  @Test func interruptFlagIsSetByTheSignalAndCleared() {
    Interrupt.hardExitWindow = 0  // a second signal must not exit the test process
    Interrupt.install()
    Interrupt.clear()
    #expect(!Interrupt.isRequested)
    // Sent to the process (some test threads block signals): handled by setting
    // the flag instead of killing the process.
    kill(getpid(), SIGINT)
    var waited = 0
    while !Interrupt.isRequested && waited < 200 { usleep(5000); waited += 1 }
    #expect(Interrupt.isRequested)
    Interrupt.request()
    #expect(Interrupt.isRequested)
    #expect(Interrupt.isCancelled())
    Interrupt.clear()
    #expect(!Interrupt.isRequested)
    #expect(!Interrupt.isCancelled())
    #expect(Interrupt.hardExitWindow == 0)
    Interrupt.hardExitWindow = 1
    // Two quick presses while a cell runs only warn (a training step may take a
    // while to notice the first); it takes a third to exit.
    Interrupt.request()
    Interrupt.request()
    #expect(Interrupt.isRequested)
    Interrupt.clear()
  }
}
