#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Small terminal queries used by the REPL and renderers.
public enum Terminal {
  /// True when `fd` is a terminal (e.g. `isTerminal(0)` for standard input).
  public static func isTerminal(_ fd: Int32) -> Bool {
    isatty(fd) != 0
  }

  /// The width in columns of the terminal on `fd` (default: standard output).
  ///
  /// Asks the terminal (`TIOCGWINSZ`); if `fd` is not a terminal, uses
  /// `$COLUMNS` when it is a positive number, else 80.
  public static func width(_ fd: Int32 = 1) -> Int {
    var size = winsize()
    if ioctl(fd, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 {
      return Int(size.ws_col)
    }
    if let env = getenv("COLUMNS"), let n = Int(String(cString: env)), n > 0 {
      return n
    }
    return 80
  }

  /// A line reader suited to standard input: `ReadlineLineReader` when both
  /// standard input and output are terminals, else `PipeLineReader`, which
  /// returns `.interrupted` for a Ctrl-C made while Retort waits for input.
  ///
  /// - Parameter historyPath: The readline history file (`nil`: `~/.retort_history`).
  public static func makeLineReader(historyPath: String? = nil) -> LineReader {
    if isTerminal(0) && isTerminal(1) {
      return ReadlineLineReader(historyPath: historyPath ?? HistoryFile.defaultPath())
    }
    let reader = PipeLineReader(fileDescriptor: 0)
    reader.interruptRequested = Interrupt.isCancelled
    return reader
  }
}
