/// One recorded cell: its number, input as typed and output as displayed.
public struct SessionCell: Equatable, Sendable {
  /// The cell number shown in its prompt (`[3]>` -> 3).
  public var number: Int
  /// The input lines joined with `\n`, without a final newline.
  public var input: String
  /// The output exactly as displayed (usually ending with `\n`; empty if none).
  public var output: String
  /// The 1-based line of the log where the cell's prompt is (0 if not read from a file).
  public var line: Int
  /// When Ctrl-C stopped the cell: the cancellation poll that stopped it (see
  /// `CancellationPoints`), so a replay stops it at the same point; nil otherwise.
  public var interruptedAt: Int?

  /// Makes a cell.
  public init(number: Int, input: String, output: String, line: Int = 0, interruptedAt: Int? = nil) {
    self.number = number
    self.input = input
    self.output = output
    self.line = line
    self.interruptedAt = interruptedAt
  }
}
