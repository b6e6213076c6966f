// Turns byte offsets into 1-based line and column numbers for messages.
// Columns count characters (Unicode scalars), not bytes, so a caret under
// Chinese text lands where an editor shows it.

/// Line/column lookup over a byte buffer, advancing incrementally.
struct SourcePosition {
  let bytes: UnsafeBufferPointer<UInt8>
  private var lineStart = 0
  private var line = 1

  init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

  /// Line and column of `offset`. Offsets should mostly increase; a smaller
  /// one restarts the count from the beginning.
  mutating func locate(_ offset: Int) -> (line: Int, column: Int) {
    let target = min(max(offset, 0), bytes.count)
    if target < lineStart { lineStart = 0; line = 1 }
    var i = lineStart
    while i < target {
      if bytes[i] == 0x0A { line += 1; lineStart = i + 1 }
      i += 1
    }
    return (line, SourcePosition.column(bytes, lineStart: lineStart, offset: target))
  }

  /// 1-based character column of `offset` on a line starting at `lineStart`.
  static func column(_ bytes: UnsafeBufferPointer<UInt8>, lineStart: Int, offset: Int) -> Int {
    var col = 1
    var i = lineStart
    while i < offset && i < bytes.count {
      if bytes[i] & 0xC0 != 0x80 { col += 1 }
      i += 1
    }
    return col
  }
}
