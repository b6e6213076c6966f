// Runs Retort code through a full lab interpreter and captures what a user
// would see.

import RetortLab
import RetortLang

enum LabHarness {
  /// Output of running `code` as one cell; `error` is the rendered error, if any.
  static func run(_ code: String, in interp: Interpreter? = nil) -> (output: String, error: String?) {
    let interp = interp ?? Lab.makeInterpreter()
    var out = ""
    interp.output = { out += $0 }
    var result: CellResult? = nil
    runWithLargeStack { result = interp.run(code, name: "[1]", cellNumber: 1) }
    return (out, result?.error?.rendered())
  }
}
