// Runs one cell exactly as the REPL shows it, and returns the text a
// session log records for it (displayed values, prints, and the rendered
// error). The REPL and `retort replay` share it, so a replay of a log
// produces byte-for-byte what the session produced.

import RetortLang
import RetortNotebook
import RetortTerminal

enum CellRunner {
  /// What one cell did: its recorded output, its error, and, if Ctrl-C stopped
  /// it, the cancellation poll where it stopped (recorded so a replay stops there).
  struct Outcome {
    var output: String
    var error: RetortError?
    var interruptedAt: Int?
  }

  /// Runs `code` as cell `number`; echoes to the terminal when `echo` is set.
  /// `stopAt` replays a recorded interruption: the cell stops at that poll.
  /// Values render at `width` columns (the session's width, fixed when it began).
  static func run(_ interp: Interpreter, _ code: String, number: Int, echo: Bool, width: Int, stopAt: Int? = nil) -> Outcome {
    var captured = ""
    Console.configure(interp, interactive: echo) { captured += $0 }
    interp.displayWidth = width
    if !echo { interp.output = { captured += $0 } }
    // Cleared when the cell ends, not before it starts: a Ctrl-C pressed just
    // after Enter, before the cell began, still stops it. (The line reader
    // clears presses made while typing.)
    defer { Interrupt.clear() }
    let points = CancellationPoints(replayingStopAt: stopAt, flag: Interrupt.isCancelled)
    interp.interruptRequested = { points.poll() }
    var result: CellResult? = nil
    runWithLargeStack { result = interp.run(code, name: "[\(number)]", cellNumber: number) }
    Console.flush()
    var error: RetortError? = nil
    if let e = result?.error {
      // An error starts its own line, also after text printed without a final newline
      // (print(x, end="")), so it does not read as part of that text.
      let text = (captured.isEmpty || captured.hasSuffix("\n") ? "" : "\n") + e.rendered() + "\n"
      if echo {
        if e.kind == .interrupted { Console.writeError("\n") }
        Console.writeError(text)
      }
      captured += text
      error = e
    }
    if echo && Interrupt.isRequested && error?.kind != .interrupted && points.stoppedAt == nil {
      // Pressed after the cell's last check for it (no check saw it: work that stops itself on
      // Ctrl-C, as judging does, has seen it): the cell ran to its end. Said on the
      // terminal (after the ^C it echoed), not in the log: the cell's results are whole.
      Console.writeError("\nCtrl-C came after the cell's last point where it could stop (or during one step that cannot be stopped): "
                         + "the cell ran to its end, and its results are kept\n")
    }
    return Outcome(output: captured, error: error, interruptedAt: points.stoppedAt)
  }
}
