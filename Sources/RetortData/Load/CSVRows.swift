// RFC 4180 CSV rows from UTF-8 bytes: cells separated by commas, rows by
// CRLF or LF; a cell in double quotes may hold commas, line breaks and
// doubled quotes (""). The same layout `Dataset.save` writes for `.csv`.

/// A CSV syntax error at a byte offset.
struct CSVSyntaxError: Error {
  let offset: Int
  let message: String
}

/// Reads CSV rows one at a time.
struct CSVRows {
  let bytes: UnsafeBufferPointer<UInt8>
  var pos: Int

  init(bytes: UnsafeBufferPointer<UInt8>, start: Int) {
    self.bytes = bytes
    self.pos = start
  }

  /// The next row and the offset where it starts, or nil at the end. Blank
  /// lines are skipped.
  mutating func next() throws(CSVSyntaxError) -> (offset: Int, cells: [String])? {
    let n = bytes.count
    while pos < n && (bytes[pos] == 0x0A || bytes[pos] == 0x0D) { pos += 1 }
    guard pos < n else { return nil }
    let rowStart = pos
    var cells: [String] = []
    while true {
      let cellStart = pos
      var cell: [UInt8] = []
      if pos < n && bytes[pos] == UInt8(ascii: "\"") {
        pos += 1
        while true {
          guard pos < n else {
            throw CSVSyntaxError(offset: cellStart, message: "unterminated quoted cell (a '\"' opens it and none closes it)")
          }
          let b = bytes[pos]
          if b == UInt8(ascii: "\"") {
            if pos + 1 < n && bytes[pos + 1] == UInt8(ascii: "\"") { cell.append(b); pos += 2; continue }
            pos += 1
            break
          }
          cell.append(b)
          pos += 1
        }
        if pos < n && !isEnd(bytes[pos]) {
          throw CSVSyntaxError(offset: pos, message: "expected ',' or the end of the row after a quoted cell")
        }
      } else {
        while pos < n && !isEnd(bytes[pos]) {
          if bytes[pos] == UInt8(ascii: "\"") {
            throw CSVSyntaxError(offset: pos, message: "a '\"' inside an unquoted cell (quote the whole cell and double the quote)")
          }
          cell.append(bytes[pos])
          pos += 1
        }
      }
      guard let text = String(validating: cell, as: UTF8.self) else {
        throw CSVSyntaxError(offset: cellStart, message: "invalid UTF-8 in this cell")
      }
      cells.append(text)
      if pos < n && bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
      if pos < n && bytes[pos] == 0x0D { pos += 1 }
      if pos < n && bytes[pos] == 0x0A { pos += 1 }
      return (rowStart, cells)
    }
  }

  /// `next()` as a result, for callers that mix its error with others.
  mutating func nextResult() -> Result<(offset: Int, cells: [String])?, CSVSyntaxError> {
    do { return .success(try next()) } catch { return .failure(error) }
  }

  /// Moves past the end of the line holding `offset` (to resume after a bad row).
  mutating func skipLine(after offset: Int) {
    pos = offset
    while pos < bytes.count && bytes[pos] != 0x0A { pos += 1 }
    if pos < bytes.count { pos += 1 }
  }

  private func isEnd(_ b: UInt8) -> Bool { b == UInt8(ascii: ",") || b == 0x0A || b == 0x0D }
}
