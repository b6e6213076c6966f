// `retort bench NAME [--key value ...] [--json]`, and `retort bench --list`.

import ArgumentParser
import Foundation
import RetortBench

struct BenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench", abstract: "Run a benchmark; --json prints one JSON object per line.",
    discussion: "Suites: " + BenchRegistry.all.map(\.name).joined(separator: ", "))

  @Argument(help: "The suite to run (see --list).") var name: String?
  @Flag(help: "Print one JSON object per line.") var json = false
  @Flag(help: "List the suites and their options.") var list = false
  @Argument(parsing: .captureForPassthrough, help: "Options for the suite, as --key value.") var options: [String] = []

  func run() throws {
    if list || name == nil {
      for s in BenchRegistry.all {
        print("\(s.name)  \(s.summary)")
        for o in s.options { print("    --\(o.name) (default \(o.defaultValue))  \(o.help)") }
      }
      return
    }
    guard let name = name, let suite = BenchRegistry.suite(named: name) else {
      let names = BenchRegistry.all.map(\.name).joined(separator: ", ")
      throw ValidationError("unknown bench '\(name ?? "")'; suites: \(names)")
    }
    var words = options
    var json = self.json
    if let i = words.firstIndex(of: "--json") { words.remove(at: i); json = true }
    do {
      let args = try BenchArgs(parsing: words, suite: suite)
      try suite.run(args, BenchOutput(json: json))
    } catch {
      FileHandle.standardError.write(Data("error: \(error)\n".utf8))
      throw ExitCode(1)
    }
  }
}
