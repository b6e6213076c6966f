import ArgumentParser

struct ReplayCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "replay", abstract: "Re-run a recorded session.")
  @Flag(help: "Compare each cell's output with the recording; exit 1 on any difference.") var check = false
  @Argument(help: "The session log.") var file: String
  func run() throws { throw ValidationError("replay: not wired yet") }
}
