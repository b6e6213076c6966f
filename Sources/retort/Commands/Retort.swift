// The root command: the REPL, `-e CODE`, and the subcommands.

import ArgumentParser
import Foundation
import RetortFiles
import RetortLab
import RetortLang

struct Retort: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "retort",
    abstract: "A notebook-style scripting REPL for instruction-tuning experiments.",
    discussion: """
      With no arguments, starts the REPL (reading from standard input without prompts when it is not a \
      terminal). Sessions are recorded to Sessions/YYYYMMDD-HHMMSS.retort unless --no-record is given.
      """,
    version: Lab.version,
    subcommands: [RunCommand.self, ReplayCommand.self, ExportCommand.self, BenchCommand.self]
  )

  @Option(name: .short, parsing: .unconditional,
          help: ArgumentHelp("Evaluate CODE, print displayed values, and exit.", valueName: "code"))
  var e: String?

  @Option(name: .long, help: "Record the session to PATH.")
  var session: String?

  @Flag(name: .long, help: "Do not record the session.")
  var noRecord = false

  func run() throws {
    if let code = e {
      let status = Script.evaluate(code, name: "-e", arguments: [])
      if status != 0 { throw ExitCode(status) }
      return
    }
    // `--session=~/x.retort` reaches us with the ~ (the shell expands it only after a space).
    let repl = try REPL(sessionPath: session.map(expandHome), record: !noRecord)
    let status = repl.loop()
    if status != 0 { throw ExitCode(status) }
  }
}
