// A benchmark suite run by `retort bench NAME [--key value ...] [--json]`.
//
// Every suite is registered once in `BenchRegistry.all`; the command line,
// `retort bench --list` and the README's table come from that list.

/// One named benchmark with its options and a body that emits records.
public struct BenchSuite: Sendable {
  /// Name as typed after `retort bench`.
  public let name: String
  /// One-line description for `retort bench --list`.
  public let summary: String
  /// Options the suite accepts, with their defaults (shown by `--list`).
  public let options: [(name: String, defaultValue: String, help: String)]
  /// Runs the suite; emits one or more records through `out`.
  public let run: @Sendable (BenchArgs, BenchOutput) throws -> Void

  public init(
    name: String, summary: String,
    options: [(name: String, defaultValue: String, help: String)] = [],
    run: @escaping @Sendable (BenchArgs, BenchOutput) throws -> Void
  ) {
    self.name = name
    self.summary = summary
    self.options = options
    self.run = run
  }
}

/// An error a suite reports for bad options or missing inputs.
public struct BenchError: Error, CustomStringConvertible {
  public let description: String
  public init(_ message: String) { description = message }
}
