// Standard output and error for the command line: values and prints go to
// stdout (line-buffered when it is not a terminal, so logs of long scripts
// fill as they run); errors and progress to stderr (a bar on a terminal,
// occasional plain lines in a log).

import Foundation
import RetortLang

#if canImport(Glibc)
import Glibc
#endif

enum Console {
  /// The progress bar drawn last (held weakly: it goes when its work ends).
  final class BarSlot: @unchecked Sendable { weak var bar: ProgressBar? }
  static let activeBar = BarSlot()

  /// Routes the interpreter's output to stdout (and `capture`, if given).
  static func configure(_ interp: Interpreter, interactive: Bool, capture: ((String) -> Void)? = nil) {
    interp.output = { text in
      // Output written while a bar is drawn would start on the bar's line.
      if let bar = activeBar.bar { fflush(stdout); bar.clear() }
      put(text, stdout)
      // A partial line (generation streaming its tokens, print(end="")) shows now, not at its newline.
      if !text.hasSuffix("\n") { fflush(stdout) }
      capture?(text)
    }
    interp.displayWidth = width()
    let stderrIsTTY = isatty(2) != 0
    interp.progressFactory = { label, total in
      guard stderrIsTTY else {
        return ProgressLog(label: label, total: total) { Console.writeError($0) }
      }
      let bar = ProgressBar(label: label, total: total, width: { Console.columns(of: 2) }) { text in
        put(text, stderr)
        fflush(stderr)
      }
      activeBar.bar = bar
      return bar
    }
  }

  static func flush() { fflush(stdout) }

  static func writeError(_ text: String) {
    fflush(stdout)
    activeBar.bar?.clear()
    put(text, stderr)
    fflush(stderr)
  }

  /// Writes every byte of `text`, NULs included (fputs would stop at the first).
  static func put(_ text: String, _ stream: UnsafeMutablePointer<FILE>) {
    var text = text
    text.withUTF8 { bytes in _ = fwrite(bytes.baseAddress, 1, bytes.count, stream) }
  }

  /// Columns of the terminal on `fd` now (0 when it is not one).
  static func columns(of fd: Int32) -> Int {
    var ws = winsize()
    return ioctl(fd, UInt(TIOCGWINSZ), &ws) == 0 ? Int(ws.ws_col) : 0
  }

  /// Columns of the terminal, or $COLUMNS, or 100.
  static func width() -> Int {
    let columns = columns(of: 1)
    if columns > 20 { return columns }
    if let c = ProcessInfo.processInfo.environment["COLUMNS"], let n = Int(c), n > 20 { return n }
    return 100
  }
}
