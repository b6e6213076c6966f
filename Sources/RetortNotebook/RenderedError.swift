// Finds the error a cell ended with in its recorded output, as the REPL
// renders it (RetortLang's `RetortError.rendered()`), always at the end:
//
//   error: name 'error_here' is not defined      <- the message (maybe several lines; after
//                                                   printed text that had no final newline)
//    --> [2]:1:25                                 <- where: this cell or an earlier one
//     |
//   1 | fn g() { print("in g"); error_here }
//     |                         ^^^^^^^^^^
//   call trace (most recent call last):           <- optional
//     [3]:1:1 in <cell>
//     [2]:1:25 in g

/// The rendered error at the end of a cell's output, told apart from printed text.
enum RenderedError {
  nonisolated(unsafe) private static let location = #/ *--> \[(?<cell>\d+)\]:(?<line>\d+):\d+/#
  nonisolated(unsafe) private static let gutter = #/ *\|/#
  nonisolated(unsafe) private static let caret = #/ *\| [ \t]*\^+/#
  static let traceHeader = "call trace (most recent call last):"

  /// Splits `output` of cell `number` into the text printed before its error
  /// and the error's lines, or returns (`output`, nil) when it did not end
  /// with one. The location must name this cell or an earlier one (an error
  /// inside a function defined there), and everything after it must be the
  /// rest of a rendered error, so printed text that merely looks like an error
  /// stays output.
  static func split(_ output: String, cell number: Int) -> (printed: String, error: [String]?) {
    var lines = output.split(separator: "\n", omittingEmptySubsequences: false)
    if lines.last == "" { lines.removeLast() }
    guard let at = lines.indices.last(where: { isLocation(lines[$0], cell: number) }),
          let shownLine = lines[at].wholeMatch(of: location)?.output.line,
          isRest(lines[(at + 1)...], shownLine: shownLine),
          let start = lines[..<at].lastIndex(where: { $0.contains("error: ") }),
          let cut = lines[start].firstRange(of: "error: ")?.lowerBound
    else { return (output, nil) }
    // Text printed without a final newline runs into the error's first line.
    let printed = lines[..<start].map { $0 + "\n" }.joined() + lines[start][..<cut]
    return (printed, [String(lines[start][cut...])] + lines[(start + 1)...].map(String.init))
  }

  private static func isLocation(_ line: Substring, cell number: Int) -> Bool {
    guard let m = line.wholeMatch(of: location), let cell = Int(m.output.cell) else { return false }
    return cell >= 1 && cell <= number
  }

  /// The lines after the location: gutter, source line, caret, then an optional call trace.
  private static func isRest(_ rest: ArraySlice<Substring>, shownLine: Substring) -> Bool {
    let r = Array(rest)
    guard r.count >= 3, r[0].wholeMatch(of: gutter) != nil, r[1].hasPrefix(shownLine + " |"),
          r[2].wholeMatch(of: caret) != nil else { return false }
    guard r.count > 3 else { return true }
    return r[3] == traceHeader && r.count > 4 && r[4...].allSatisfy { $0.hasPrefix("  ") }
  }
}
