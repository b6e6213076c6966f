// Runs one cell exactly as the REPL shows it, and returns the text a
// session log records for it (displayed values, prints, and the rendered
// error). The REPL and `retort replay` share it, so a replay of a log
// produces byte-for-byte what the session produced.

import RetortLang
import RetortTerminal

enum CellRunner {
  /// Runs `code` as cell `number`; echoes to the terminal when `echo` is set.
  static func run(_ interp: Interpreter, _ code: String, number: Int, echo: Bool) -> (output: String, error: RetortError?) {
    var captured = ""
    Console.configure(interp, interactive: echo) { captured += $0 }
    if !echo { interp.output = { captured += $0 } }
    // Cleared when the cell ends, not before it starts: a Ctrl-C pressed just
    // after Enter, before the cell began, still stops it. (The line reader
    // clears presses made while typing.)
    defer { Interrupt.clear() }
    interp.interruptRequested = Interrupt.isCancelled
    var result: CellResult? = nil
    runWithLargeStack { result = interp.run(code, name: "[\(number)]", cellNumber: number) }
    Console.flush()
    var error: RetortError? = nil
    if let e = result?.error {
      let text = e.rendered() + "\n"
      if echo {
        if e.kind == .interrupted { Console.writeError("\n") }
        Console.writeError(text)
      }
      captured += text
      error = e
    }
    return (captured, error)
  }
}
