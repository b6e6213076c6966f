// `retort replay [--check] FILE`: re-run a session log's cells in a fresh
// interpreter; with --check, diff each cell's output against the recording.

import ArgumentParser
import RetortLab
import RetortNotebook
import RetortTerminal

struct ReplayCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "replay", abstract: "Re-run a recorded session; --check compares every output.")

  @Flag(help: "Compare each cell's output with the recording; exit 1 on any difference, or when the last cell was cut short.")
  var check = false

  @Argument(help: "The session log (.retort).")
  var file: String

  func run() throws {
    let interp = Lab.makeInterpreter()
    Interrupt.install()
    let log: SessionLog
    do { log = try SessionLog(contentsOf: file) } catch {
      Console.writeError("error: \(error)\n")
      throw ExitCode(1)
    }
    // Logs from before the width was recorded were rendered at the default, 100.
    let width = log.width ?? 100
    let summary = Replay.run(log, runner: { cell in
      CellRunner.run(interp, cell.input, number: cell.number, echo: false, width: width, stopAt: cell.interruptedAt).output
    }, check: check)
    Console.flush()
    // A check vouches for every cell: a log cut short in its last cell fails it (CI would
    // otherwise pass a session whose last output nobody compared).
    if !summary.passed || (check && summary.skippedTruncatedCell) { throw ExitCode(1) }
  }
}
