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
/// and the REPL calls `clear()` before the next cell. Long work may take a
/// moment to reach its next stopping point (a training step), so a second
/// Ctrl-C only says so, with how to force an exit; a third within
/// `hardExitWindow` seconds of the second (while no line is being read) exits
/// at once with status 130, losing the session's state.
/// While `ReadlineLineReader` reads a line, Ctrl-C only discards the line.
/// Readline's own signal handling is switched off, so the two never conflict.
/// SIGWINCH (window resize) is also caught here and handed to the line reader.
/// Ctrl-Z (SIGTSTP) while a line is being read is left to the line reader,
/// which puts the terminal back before stopping and redraws the line after
/// `fg`; at other times it stops the process as usual.
/// SIGTERM, SIGHUP and SIGQUIT (Ctrl-\\) keep their usual effect, ending the
/// process, but first put the terminal back as it was when Retort started
/// (echo on, bracketed paste off) instead of leaving it raw.
public enum Interrupt {
  private static let requested = Atomic<Bool>(false)
  private static let presses = Atomic<Int>(0)
  private static let lastPress = Atomic<Int64>(0)
  private static let reading = Atomic<Bool>(false)
  private static let resized = Atomic<Bool>(false)
  private static let windowNanos = Atomic<Int64>(1_000_000_000)
  private static let installed = Atomic<Bool>(false)
  private static let haveTerminal = Atomic<Bool>(false)
  private static let suspended = Atomic<Bool>(false)
  /// The terminal's settings at `install()`, restored by `onFatal` (written once, before the handlers exist).
  nonisolated(unsafe) private static var savedTerminal = termios()

  /// True when Ctrl-C was pressed since the last `clear()`.
  public static var isRequested: Bool { requested.load(ordering: .relaxed) }

  /// `{ Interrupt.isRequested }`, ready to pass as an `isCancelled` closure.
  public static let isCancelled: @Sendable () -> Bool = { Interrupt.isRequested }

  /// Forgets a pending Ctrl-C (call before running each cell).
  public static func clear() {
    requested.store(false, ordering: .relaxed)
    presses.store(0, ordering: .relaxed)
  }

  /// Seconds within which a third Ctrl-C (after the second) exits hard (default 1; 0 disables).
  public static var hardExitWindow: Double {
    get { Double(windowNanos.load(ordering: .relaxed)) / 1e9 }
    set { windowNanos.store(Int64(max(0, newValue) * 1e9), ordering: .relaxed) }
  }

  /// Installs the handlers of every signal in `handlers` (idempotent).
  public static func install() {
    // Touch every atomic first: static lets initialize lazily, which is not
    // safe inside a signal handler.
    _ = requested.load(ordering: .relaxed)
    _ = presses.load(ordering: .relaxed)
    _ = lastPress.load(ordering: .relaxed)
    _ = reading.load(ordering: .relaxed)
    _ = resized.load(ordering: .relaxed)
    _ = windowNanos.load(ordering: .relaxed)
    _ = haveTerminal.load(ordering: .relaxed)
    _ = suspended.load(ordering: .relaxed)
    guard !installed.exchange(true, ordering: .relaxed) else { return }
    if isatty(0) != 0 && tcgetattr(0, &savedTerminal) == 0 { haveTerminal.store(true, ordering: .relaxed) }
    for (s, handler) in handlers { setHandler(s, handler) }
    // A parent may start Retort with these signals blocked (Foundation's
    // Process passes its thread's mask on), and then Ctrl-C would never arrive.
    var handled = sigset_t()
    sigemptyset(&handled)
    for (s, _) in handlers { sigaddset(&handled, s) }
    _ = pthread_sigmask(SIG_UNBLOCK, &handled, nil)
  }

  /// Restores the default behaviour of every signal `install` handles.
  public static func uninstall() {
    guard installed.exchange(false, ordering: .relaxed) else { return }
    for (s, _) in handlers { setHandler(s, nil) }
  }

  /// Every signal handled here, with its handler.
  private static var handlers: [(Int32, @convention(c) (Int32) -> Void)] {
    [(SIGINT, onSignal), (SIGWINCH, onSignal), (SIGTERM, onFatal), (SIGHUP, onFatal), (SIGQUIT, onFatal),
     (SIGTSTP, onSuspend), (SIGCONT, onContinue)]
  }

  /// True once after Ctrl-Z while a line was being read (the reader then stops the process itself).
  static func takeSuspend() -> Bool { suspended.exchange(false, ordering: .relaxed) }

  /// Stops the process as Ctrl-Z does by default (SIGTSTP, so the kernel's rule
  /// for orphaned process groups still applies); returns after `fg`.
  static func stopAsTerminalAsks() {
    setHandler(SIGTSTP, nil)
    _ = raise(SIGTSTP)
    setHandler(SIGTSTP, onSuspend)
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

  /// Ctrl-Z: the line reader handles it while reading; otherwise stop as usual
  /// (the handler comes back on SIGCONT).
  private static let onSuspend: @convention(c) (Int32) -> Void = { signal in
    if Interrupt.reading.load(ordering: .relaxed) {
      Interrupt.suspended.store(true, ordering: .relaxed)
      return
    }
    Interrupt.setHandler(SIGTSTP, nil)
    _ = raise(SIGTSTP)
  }

  private static let onContinue: @convention(c) (Int32) -> Void = { _ in
    Interrupt.setHandler(SIGTSTP, Interrupt.onSuspend)
  }

  /// Restores the terminal, then lets the signal do what it does by default.
  private static let onFatal: @convention(c) (Int32) -> Void = { signal in
    if Interrupt.haveTerminal.load(ordering: .relaxed) {
      var t = Interrupt.savedTerminal
      _ = tcsetattr(0, TCSANOW, &t)
      let reset: StaticString = "\u{1B}[?2004l\n"
      _ = write(1, reset.utf8Start, reset.utf8CodeUnitCount)
    }
    Interrupt.setHandler(signal, nil)
    _ = raise(signal)
  }

  private static let onSignal: @convention(c) (Int32) -> Void = { signal in
    if signal == SIGWINCH {
      Interrupt.resized.store(true, ordering: .relaxed)
      return
    }
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    let nanos = Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    Interrupt.requested.store(true, ordering: .relaxed)
    let previous = Interrupt.lastPress.exchange(nanos, ordering: .relaxed)
    if Interrupt.reading.load(ordering: .relaxed) { return }
    let count = Interrupt.presses.add(1, ordering: .relaxed).newValue
    let window = Interrupt.windowNanos.load(ordering: .relaxed)
    if count == 2 {
      let message: StaticString = "\nretort: stopping at the next safe point (the variables are kept); press Ctrl-C again at once to quit Retort and lose them\n"
      _ = write(2, message.utf8Start, message.utf8CodeUnitCount)
    } else if count >= 3 && window > 0 && nanos - previous < window {
      let message: StaticString = "\nretort: interrupted three times, exiting\n"
      _ = write(2, message.utf8Start, message.utf8CodeUnitCount)
      _exit(130)
    }
  }
}
