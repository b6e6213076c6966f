// A plain-text table renderer: aligned columns measured in terminal
// columns (CJK-aware), cells truncated with an ellipsis to fit a width.
//
//    #  category  instruction
//   ──  ────────  ──────────────────
//    0  math      计算 3+5 等于多少…

/// A table of text cells to render.
public struct Table {
  public var headers: [String]
  public var rows: [[String]]
  /// Columns to right-align (numbers).
  public var rightAligned: Set<Int> = []
  /// Narrowest a truncated column may become.
  public var minColumnWidth = 6
  /// Columns never cut (numbers: "33…" would read as 33); the table is wider
  /// than asked rather than wrong.
  public var whole: Set<Int> = []

  public init(headers: [String], rows: [[String]], rightAligned: Set<Int> = [], whole: Set<Int> = []) {
    self.headers = headers
    self.rows = rows
    self.rightAligned = rightAligned
    self.whole = whole
  }

  /// Renders to fit `width` columns, shrinking the widest columns first. When the
  /// whole columns alone overflow `width`, nothing is shrunk: the table is wider
  /// than asked either way, and cut labels would lose what the reader needs.
  public func render(width: Int = 100) -> String {
    let n = headers.count
    guard n > 0 else { return "" }
    let clean = rows.map { r in (0..<n).map { i in i < r.count ? TextWidth.truncate(r[i], to: 10_000) : "" } }
    var widths = (0..<n).map { i in max(TextWidth.of(headers[i]), clean.map { TextWidth.of($0[i]) }.max() ?? 0) }
    let gap = 2
    let narrowest = widths.indices.reduce(gap * (n - 1)) { $0 + (whole.contains($1) ? widths[$1] : min(widths[$1], minColumnWidth)) }
    while narrowest <= width && widths.reduce(0, +) + gap * (n - 1) > width {
      guard let widest = widths.indices.filter({ !whole.contains($0) }).max(by: { widths[$0] < widths[$1] }),
            widths[widest] > minColumnWidth
      else { break }
      widths[widest] -= 1
    }
    func line(_ cells: [String]) -> String {
      var parts: [String] = []
      for i in 0..<n {
        let cell = TextWidth.truncate(cells[i], to: widths[i])
        parts.append(TextWidth.pad(cell, to: widths[i], right: rightAligned.contains(i)))
      }
      var s = parts.joined(separator: String(repeating: " ", count: gap))
      while s.hasSuffix(" ") { s.removeLast() }
      return s
    }
    var out = [line(headers), line(widths.map { String(repeating: "─", count: $0) })]
    out += clean.map(line)
    return out.joined(separator: "\n")
  }
}
