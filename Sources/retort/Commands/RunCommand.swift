// `retort run FILE [ARGS...]` and the shared script evaluation.

import ArgumentParser
import Foundation
import RetortLab
import RetortLang
import RetortTerminal

struct RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run", abstract: "Run a Retort script; `args` holds the extra arguments.")

  @Argument(help: "The script file.")
  var file: String

  @Argument(parsing: .captureForPassthrough, help: "Arguments for the script (in `args`).")
  var arguments: [String] = []

  func run() throws {
    let text: String
    do { text = try ScriptText.read(file) } catch {
      // Text that is not UTF-8 is shown as any syntax error: FILE:LINE:COL and a caret.
      let message = (error as? RetortError)?.rendered() ?? "error: \(error)"
      FileHandle.standardError.write(Data((message + "\n").utf8))
      throw ExitCode(1)
    }
    let status = Script.evaluate(text, name: file, arguments: arguments)
    if status != 0 { throw ExitCode(status) }
  }
}

/// Runs whole scripts (`run` and `-e`): values display as in the REPL; the
/// first error prints FILE:LINE:COL with a caret and stops. Ctrl-C stops the
/// script as it stops a cell: long work ends at its next safe point (a
/// training run writes its checkpoint), then the script stops there.
enum Script {
  /// Runs `code`; returns the exit status: 0, 1 after an error, 130 after Ctrl-C.
  static func evaluate(_ code: String, name: String, arguments: [String]) -> Int32 {
    let interp = Lab.makeInterpreter()
    interp.topLevelName = "<script>"
    Console.configure(interp, interactive: false)
    Interrupt.install()
    interp.interruptRequested = Interrupt.isCancelled
    interp.globals["args"] = .list(ListBox(arguments.map { .string($0) }))
    var result: CellResult? = nil
    runWithLargeStack { result = interp.run(code, name: name) }
    Console.flush()
    // (An interrupt is no error of the script's: its place would point at the
    // statement that did not start, or at a safe point inside long work.)
    if let e = result?.error, e.kind != .interrupted {
      Console.writeError(e.rendered() + "\n")
      return 1
    }
    if result?.error != nil || Interrupt.isRequested {
      Console.writeError("\(name): stopped by Ctrl-C\n")
      return 130
    }
    return 0
  }
}
