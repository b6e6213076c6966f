/// What a replay did: how many cells ran and which differed from the log.
public struct ReplaySummary: Equatable, Sendable, CustomStringConvertible {
  /// The number of cells re-executed.
  public var cells: Int
  /// The numbers of the cells whose new output differs (check mode only).
  public var differing: [Int]
  /// Whether the log's last cell was truncated and therefore skipped.
  public var skippedTruncatedCell: Bool

  /// True when no cell differed (the CLI exits 0, else 1).
  public var passed: Bool { differing.isEmpty }

  /// E.g. "12 cells, 1 differs: [4]".
  public var description: String {
    let cellsText = "\(cells) cell" + (cells == 1 ? "" : "s")
    let cut = skippedTruncatedCell ? "; the last cell was cut short and is not checked" : ""
    if differing.isEmpty { return cellsText + ", all match" + cut }
    let verb = differing.count == 1 ? "differs" : "differ"
    return cellsText + ", \(differing.count) \(verb): " + differing.map { "[\($0)]" }.joined(separator: ", ") + cut
  }
}

/// Re-executes a session log's inputs and optionally checks the outputs.
public enum Replay {
  /// Replays `log` through `runner`.
  ///
  /// Without `check`, writes a transcript (prompted inputs followed by the new
  /// outputs). With `check`, writes nothing for matching cells, a unified diff
  /// (recorded `-`, replayed `+`) for each differing cell, and a final line
  /// `check <path>: <summary>`. Lines are compared after `VolatileMask`.
  ///
  /// - Parameters:
  ///   - log: The parsed log; a truncated last cell is skipped with a note.
  ///   - runner: Runs one cell and returns its displayed output. A cell recorded
  ///     as stopped by Ctrl-C (`interruptedAt`) must be stopped at the same
  ///     cancellation poll (`CancellationPoints(replayingStopAt:)`). A thrown
  ///     error counts as the output `error: <description>\n`.
  ///   - check: Compare new outputs with the recorded ones.
  ///   - write: Where the transcript, diffs and notes go (default: stdout).
  /// - Returns: The cell count and the numbers of differing cells.
  @discardableResult
  public static func run(_ log: SessionLog, runner: (SessionCell) throws -> String, check: Bool,
                         write: (String) -> Void = { print($0, terminator: "") }) -> ReplaySummary {
    var summary = ReplaySummary(cells: 0, differing: [], skippedTruncatedCell: log.truncatedCell != nil)
    for cell in log.cells {
      let output: String
      do { output = try runner(cell) } catch { output = "error: \(error)\n" }
      summary.cells += 1
      if !check {
        write(SessionLogFormat.encodeCell(number: cell.number, input: cell.input, output: "")
              + output + (output.isEmpty || output.hasSuffix("\n") ? "" : "\n")
              + (cell.interruptedAt.map { SessionLogFormat.interruptMarker($0) + "\n" } ?? ""))
        continue
      }
      let diff = LineDiff.unified(lines(cell.output), lines(output), key: VolatileMask.apply)
      if !diff.isEmpty {
        summary.differing.append(cell.number)
        write("--- \(log.path):\(cell.line) [\(cell.number)] recorded\n+++ [\(cell.number)] replayed\n")
        write(diff)
      }
    }
    if let cut = log.truncatedCell {
      write("note: \(log.path):\(cut.line): the last cell [\(cut.number)] was cut short and was not replayed\n")
    }
    if check { write("check \(log.path): \(summary)\n") }
    return summary
  }

  /// Replays the log file at `path` (see `run(_:runner:check:write:)`).
  /// - Throws: `SessionLogError` if the file cannot be read or parsed.
  @discardableResult
  public static func run(path: String, runner: (SessionCell) throws -> String, check: Bool,
                         write: (String) -> Void = { print($0, terminator: "") }) throws -> ReplaySummary {
    run(try SessionLog(contentsOf: path), runner: runner, check: check, write: write)
  }

  /// Output text as diff lines; a missing final newline becomes a marker line.
  static func lines(_ text: String) -> [String] {
    guard !text.isEmpty else { return [] }
    var result = SessionLogFormat.splitLines(text).map(String.init)
    if text.utf8.last == UInt8(ascii: "\n") {
      result.removeLast()
    } else {
      result.append(SessionLogFormat.noNewlineMarker)
    }
    return result
  }
}
