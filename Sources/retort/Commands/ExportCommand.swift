// `retort export FILE --to md|ipynb [-o PATH]`.

import ArgumentParser
import RetortNotebook

struct ExportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export", abstract: "Export a session log to Markdown or a Jupyter notebook.")

  @Argument(help: "The session log (.retort).")
  var file: String

  @Option(help: "md or ipynb.")
  var to: String

  @Option(name: .short, help: "Output path (default: beside FILE with the new extension; - for standard output).")
  var o: String?

  func run() throws {
    guard let format = SessionExport.Format(name: to) else {
      throw ValidationError("--to expects md or ipynb, got '\(to)'")
    }
    do {
      if o == "-" {
        print(SessionExport.export(try SessionLog(contentsOf: file), to: format), terminator: "")
      } else {
        let path = try SessionExport.export(path: file, to: format, output: o)
        print("wrote \(path)")
      }
    } catch {
      Console.writeError("error: \(error)\n")
      throw ExitCode(1)
    }
  }
}
