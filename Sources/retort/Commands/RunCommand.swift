// `retort run FILE [ARGS...]` and the shared script evaluation.

import ArgumentParser
import Foundation
import RetortLab
import RetortLang

struct RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run", abstract: "Run a Retort script; `args` holds the extra arguments.")

  @Argument(help: "The script file.")
  var file: String

  @Argument(parsing: .captureForPassthrough, help: "Arguments for the script (in `args`).")
  var arguments: [String] = []

  func run() throws {
    let text: String
    do { text = try Builtins.readText(file) } catch {
      FileHandle.standardError.write(Data("error: \(error)\n".utf8))
      throw ExitCode(1)
    }
    if !Script.evaluate(text, name: file, arguments: arguments) { throw ExitCode(1) }
  }
}

/// Runs whole scripts (`run` and `-e`): values display as in the REPL; the
/// first error prints FILE:LINE:COL with a caret and stops.
enum Script {
  static func evaluate(_ code: String, name: String, arguments: [String]) -> Bool {
    let interp = Lab.makeInterpreter()
    Console.configure(interp, interactive: false)
    interp.globals["args"] = .list(ListBox(arguments.map { .string($0) }))
    var result: CellResult? = nil
    runWithLargeStack { result = interp.run(code, name: name) }
    Console.flush()
    if let e = result?.error {
      Console.writeError(e.rendered() + "\n")
      return false
    }
    return true
  }
}
