#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Ctrl-C (SIGINT) as a flag that running code polls, instead of a process kill.
///
/// `install()` sets a `sigaction` handler that only stores into atomics (which is
/// async-signal-safe). While a cell runs, Ctrl-C sets `isRequested`; the evaluator
/// and long primitives poll it (`isCancelled: { Interrupt.isRequested }`), stop,
/// and the REPL calls `clear()` before the next cell. If the flag is still set
/// (nobody has reacted yet) and a second Ctrl-C comes within `hardExitWindow`
/// seconds while no line is being read, the process exits at once with status
/// 130 after printing "retort: interrupted twice, exiting" to standard error.
/// While `ReadlineLineReader` reads a line, Ctrl-C only discards the line.
/// Readline's own signal handling is switched off, so the two never conflict.
/// SIGWINCH (window resize) is also caught here and handed to the line reader.
public enum Interrupt {
  private static let requested = Atomic<Bool>(false)
  private static let lastPress = Atomic<Int64>(0)
  private static let reading = Atomic<Bool>(false)
  private static let resized = Atomic<Bool>(false)
  private static let windowNanos = Atomic<Int64>(1_000_000_000)
  private static let installed = Atomic<Bool>(false)

  /// True when Ctrl-C was pressed since the last `clear()`.
  public static var isRequested: Bool { requested.load(ordering: .relaxed) }

  /// `{ Interrupt.isRequested }`, ready to pass as an `isCancelled` closure.
  public static let isCancelled: @Sendable () -> Bool = { Interrupt.isRequested }

  /// Forgets a pending Ctrl-C (call before running each cell).
  public static func clear() { requested.store(false, ordering: .relaxed) }

  /// Seconds within which a second Ctrl-C exits hard (default 1; 0 disables).
  public static var hardExitWindow: Double {
    get { Double(windowNanos.load(ordering: .relaxed)) / 1e9 }
    set { windowNanos.store(Int64(max(0, newValue) * 1e9), ordering: .relaxed) }
  }

  /// Installs the SIGINT and SIGWINCH handlers (idempotent).
  public static func install() {
    // Touch every atomic first: static lets initialize lazily, which is not
    // safe inside a signal handler.
    _ = requested.load(ordering: .relaxed)
    _ = lastPress.load(ordering: .relaxed)
    _ = reading.load(ordering: .relaxed)
    _ = resized.load(ordering: .relaxed)
    _ = windowNanos.load(ordering: .relaxed)
    guard !installed.exchange(true, ordering: .relaxed) else { return }
    setHandler(SIGINT, onSignal)
    setHandler(SIGWINCH, onSignal)
  }

  /// Restores the default SIGINT and SIGWINCH behaviour.
  public static func uninstall() {
    guard installed.exchange(false, ordering: .relaxed) else { return }
    setHandler(SIGINT, nil)
    setHandler(SIGWINCH, nil)
  }

  /// Simulates a Ctrl-C (as the signal handler would); for tests and tools.
  public static func request() { onSignal(SIGINT) }

  /// Marks whether a line reader is reading (Ctrl-C then never exits hard).
  static func setReading(_ value: Bool) { reading.store(value, ordering: .relaxed) }

  /// True once after each window resize.
  static func takeResize() -> Bool { resized.exchange(false, ordering: .relaxed) }

  private static func setHandler(_ signal: Int32, _ handler: (@convention(c) (Int32) -> Void)?) {
    var action = sigaction()
    #if canImport(Glibc)
    if let handler {
      action.__sigaction_handler.sa_handler = handler
    } else {
      action.__sigaction_handler.sa_handler = SIG_DFL
    }
    #else
    action.__sigaction_u.__sa_handler = handler ?? SIG_DFL
    #endif
    sigemptyset(&action.sa_mask)
    action.sa_flags = SA_RESTART
    _ = sigaction(signal, &action, nil)
  }

  private static let onSignal: @convention(c) (Int32) -> Void = { signal in
    if signal == SIGWINCH {
      Interrupt.resized.store(true, ordering: .relaxed)
      return
    }
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    let nanos = Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    let wasRequested = Interrupt.requested.exchange(true, ordering: .relaxed)
    let previous = Interrupt.lastPress.exchange(nanos, ordering: .relaxed)
    let window = Interrupt.windowNanos.load(ordering: .relaxed)
    if wasRequested && !Interrupt.reading.load(ordering: .relaxed) && window > 0 && nanos - previous < window {
      let message: StaticString = "\nretort: interrupted twice, exiting\n"
      _ = write(2, message.utf8Start, message.utf8CodeUnitCount)
      _exit(130)
    }
  }
}
