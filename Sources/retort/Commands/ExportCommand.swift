import ArgumentParser

struct ExportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "export", abstract: "Export a session to Markdown or a Jupyter notebook.")
  @Argument(help: "The session log.") var file: String
  func run() throws { throw ValidationError("export: not wired yet") }
}
