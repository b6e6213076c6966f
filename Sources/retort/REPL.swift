// The REPL loop: read a cell (continuing while brackets, braces or strings
// are open), run it, display, record. Works the same on a terminal (with
// readline) and on a pipe (no prompts, no escape sequences).

import Foundation
import RetortLab
import RetortLang

final class REPL {
  let interp = Lab.makeInterpreter()
  var cellNumber = 1
  var inputs: [String] = []
  var failed = false

  init(sessionPath: String?, record: Bool) throws {
    Terminal.configure(interp, interactive: false)
  }

  /// Reads and runs cells until end of input. Returns false if any cell failed
  /// when reading from a pipe.
  func loop() -> Bool {
    while let cell = readCell() {
      let trimmed = cell.trimmingCharacters(in: .whitespacesAndNewlines)
      if trimmed.isEmpty { continue }
      execute(cell)
    }
    Terminal.flush()
    return !failed
  }

  func readCell() -> String? {
    guard var text = Swift.readLine(strippingNewline: true) else { return nil }
    while Lexer.needsMoreInput(text), let more = Swift.readLine(strippingNewline: true) {
      text += "\n" + more
    }
    return text
  }

  func execute(_ cell: String) {
    var captured = ""
    Terminal.configure(interp, interactive: false) { captured += $0 }
    var result: CellResult? = nil
    let n = cellNumber
    runWithLargeStack { [interp] in result = interp.run(cell, name: "[\(n)]", cellNumber: n) }
    if let e = result?.error {
      let text = e.rendered() + "\n"
      Terminal.writeError(text)
      captured += text
      failed = true
    }
    Terminal.flush()
    inputs.append(cell)
    cellNumber += 1
  }
}
