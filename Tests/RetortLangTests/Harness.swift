// Runs code through a bare interpreter and returns what a user would see:
// displayed values and prints, then the rendered error if any.

import RetortLang

func eval(_ code: String, _ interp: Interpreter = Interpreter()) -> String {
  var out = ""
  interp.output = { out += $0 }
  var result: CellResult? = nil
  runWithLargeStack { result = interp.run(code, name: "[1]", cellNumber: 1) }
  if let e = result?.error { out += e.rendered() + "\n" }
  return out
}

/// The first line of the error message, or nil.
func errorMessage(_ code: String) -> String? {
  let interp = Interpreter()
  interp.output = { _ in }
  var result: CellResult? = nil
  runWithLargeStack { result = interp.run(code, name: "[1]", cellNumber: 1) }
  return result?.error?.message
}
