// Standard output and error for the command line: values and prints go to
// buffered stdout; errors and progress to stderr.

import Foundation
import RetortLang

#if canImport(Glibc)
import Glibc
#endif

enum Console {
  /// Routes the interpreter's output to stdout (and `capture`, if given).
  static func configure(_ interp: Interpreter, interactive: Bool, capture: ((String) -> Void)? = nil) {
    interp.output = { text in
      fputs(text, stdout)
      capture?(text)
    }
    interp.displayWidth = width()
    let stderrIsTTY = isatty(2) != 0
    interp.progressFactory = { label, total in
      guard stderrIsTTY else { return SilentProgress() }
      return ProgressBar(label: label, total: total) { text in
        fputs(text, stderr)
        fflush(stderr)
      }
    }
  }

  static func flush() { fflush(stdout) }

  static func writeError(_ text: String) {
    fflush(stdout)
    fputs(text, stderr)
    fflush(stderr)
  }

  /// Columns of the terminal, or $COLUMNS, or 100.
  static func width() -> Int {
    var ws = winsize()
    if ioctl(1, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_col > 20 { return Int(ws.ws_col) }
    if let c = ProcessInfo.processInfo.environment["COLUMNS"], let n = Int(c), n > 20 { return n }
    return 100
  }
}
