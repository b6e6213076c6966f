// Source text and spans: every token, node and error points back into the
// text it came from by byte offsets, turned into line and column on demand.

/// A piece of source text: one REPL cell, a script file, or `-e` code.
public final class Source: @unchecked Sendable {
  /// Name shown in diagnostics: a file path, or `[3]` for cell 3.
  public let name: String
  /// The text as UTF-8 bytes (the lexer works on bytes).
  public let bytes: [UInt8]
  /// The text as given.
  public let text: String
  /// Where a line's first line number is, for cells continuing a script.
  public let firstLine: Int
  private var lineStarts: [Int] = []

  public init(name: String, text: String, firstLine: Int = 1) {
    self.name = name
    self.text = text
    self.bytes = Array(text.utf8)
    self.firstLine = firstLine
    var starts = [0]
    for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") { starts.append(i + 1) }
    lineStarts = starts
  }

  /// 1-based line and column (in characters) of a byte offset.
  public func location(of offset: Int) -> (line: Int, column: Int) {
    let off = max(0, min(offset, bytes.count))
    var lo = 0, hi = lineStarts.count - 1
    while lo < hi {
      let mid = (lo + hi + 1) / 2
      if lineStarts[mid] <= off { lo = mid } else { hi = mid - 1 }
    }
    let start = lineStarts[lo]
    // A CR ending the line (CRLF text) is not shown (`lineText`), so not counted:
    // the end of `y = x +\r\n` is column 8, as without the CR.
    var end = off
    if end > start, bytes[end - 1] == UInt8(ascii: "\r"), end == bytes.count || bytes[end] == UInt8(ascii: "\n") {
      end -= 1
    }
    let prefix = String(decoding: bytes[start..<end], as: UTF8.self)
    return (lo + firstLine, prefix.count + 1)
  }

  /// The text of a 1-based line (as numbered by `location`), without its newline.
  public func lineText(_ line: Int) -> String {
    let i = line - firstLine
    guard i >= 0, i < lineStarts.count else { return "" }
    let start = lineStarts[i]
    var end = i + 1 < lineStarts.count ? lineStarts[i + 1] - 1 : bytes.count
    if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
    return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
  }
}

/// A range of bytes in a source.
public struct Span: Sendable {
  public let source: Source
  public let start: Int
  public let end: Int

  public init(_ source: Source, _ start: Int, _ end: Int) {
    self.source = source
    self.start = start
    self.end = max(start, end)
  }

  /// The smallest span covering both.
  public func to(_ other: Span) -> Span { Span(source, min(start, other.start), max(end, other.end)) }

  /// `name:line:col`.
  public var description: String {
    let (l, c) = source.location(of: start)
    return "\(source.name):\(l):\(c)"
  }
}
