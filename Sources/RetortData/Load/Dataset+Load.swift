// Loading: sniff the layout from the content (BELLE's eval_set.json is JSON
// Lines despite its name), parse in place from a memory map, recognise the
// schema, and either fail on the first malformed line with file:line:column
// or skip it and report it.

import Foundation

extension Dataset {
  /// Loads a JSON array or JSON Lines file (`dataset.load(path)`).
  ///
  /// - Throws: `DataError` for a missing file, a directory, an empty file,
  ///   malformed JSON or invalid UTF-8 (with file:line:column), a bad
  ///   `fields` mapping, or cancellation (holding the records read so far).
  public static func load(_ path: String, options: LoadOptions = LoadOptions()) throws -> Dataset {
    var records: [Record] = []
    do {
      let report = try stream(path, options: options) { records.append($0) }
      var d = Dataset(records, source: path, schema: report.schema)
      d.loadReport = report
      return d
    } catch DataError.cancelled(let op, let done, let total, let unit, _) {
      throw DataError.cancelled(operation: op, done: done, total: total, unit: unit,
                                partial: Dataset(records, source: path))
    } catch DataError.emptyFile {
      // What saving an empty dataset writes (a filter that kept nothing): no records, said in a note.
      var d = Dataset([], source: path, schema: .generic)
      var report = LoadReport(path: path, format: "empty", schema: .generic, records: 0, skipped: [])
      report.emptyFile = true
      d.loadReport = report
      return d
    }
  }

  /// Reads `path` record by record without keeping them, for files too large
  /// to hold in memory. `body` sees each record in order.
  ///
  /// - Returns: what was read and skipped.
  /// - Throws: as `load`, plus anything `body` throws.
  @discardableResult
  public static func stream(_ path: String, options: LoadOptions = LoadOptions(),
                            _ body: (Record) throws -> Void) throws -> LoadReport {
    let file = try MappedFile(path: path)
    return try withoutActuallyEscaping(body) { body in
      var reader = FileReader(file: file, options: options, body: body)
      try reader.run()
      return reader.report
    }
  }
}

/// One pass over a mapped file.
private struct FileReader {
  let file: MappedFile
  let bytes: UnsafeBufferPointer<UInt8>
  let options: LoadOptions
  let body: (Record) throws -> Void
  var builder: RecordBuilder
  var report: LoadReport
  var position: SourcePosition
  var parser: JSONParser
  var sinceCheck = 0

  init(file: MappedFile, options: LoadOptions, body: @escaping (Record) throws -> Void) {
    self.file = file
    self.bytes = file.bytes
    self.options = options
    self.body = body
    builder = RecordBuilder(path: file.path, manual: options.fields)
    report = LoadReport(path: file.path, format: "jsonl", schema: .generic, records: 0, skipped: [])
    position = SourcePosition(bytes: file.bytes)
    parser = JSONParser(bytes: file.bytes)
  }

  func syntaxError(_ offset: Int, _ message: String) -> DataError {
    var p = SourcePosition(bytes: bytes)
    let (line, column) = p.locate(offset)
    return .syntax(file: file.path, line: line, column: column, message: message)
  }

  mutating func run() throws {
    var start = 0
    if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { start = 3 }
    if bytes.count >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)) {
      throw syntaxError(0, "the file is UTF-16 encoded; expected UTF-8")
    }
    var format = options.format
    if format == .auto && file.path.lowercased().hasSuffix(".csv") { format = .csv }
    if format == .csv {
      try readCSV(from: start)
      report.schema = builder.schema ?? .generic
      report.layouts = builder.counts
      options.progress?(bytes.count, bytes.count)
      return
    }
    parser.pos = start
    parser.skipWhitespace()
    guard parser.pos < bytes.count else { throw DataError.emptyFile(path: file.path) }
    let first = bytes[parser.pos]
    if format == .auto {
      switch first {
      case UInt8(ascii: "["): format = .json
      case UInt8(ascii: "{"): format = sniffObjectStart(parser.pos)
      default:
        let found = first >= 0x20 && first < 0x7F ? "'\(Character(Unicode.Scalar(first)))'" : "byte " + UTF8Check.hex(first)
        throw syntaxError(parser.pos, "expected '[' (a JSON array) or '{' (JSON Lines records), found \(found) (a CSV file needs a .csv name or format=\"csv\")")
      }
    }
    if format == .json {
      try readDocument(from: parser.pos)
    } else {
      try readLines(from: start)
    }
    if parser.inexactIntegers > 0 { noteInexactIntegers(parser.inexactIntegers, at: parser.lastInexactOffset) }
    report.schema = builder.schema ?? .generic
    report.layouts = builder.counts
    options.progress?(bytes.count, bytes.count)
  }

  /// Counts integers too large for 64 bits (read as doubles), locating the first noted.
  mutating func noteInexactIntegers(_ count: Int, at offset: Int) {
    if report.inexactIntegers == 0 {
      var p = SourcePosition(bytes: bytes)
      let (line, column) = p.locate(offset)
      report.inexactIntegerAt = "\(line):\(column)"
    }
    report.inexactIntegers += count
  }

  /// `{` at the start: JSON Lines, unless the first object spans several
  /// lines (a pretty-printed document or concatenated objects).
  func sniffObjectStart(_ offset: Int) -> LoadOptions.Format {
    var p = JSONParser(bytes: bytes, start: offset)
    guard (try? p.parseValue()) != nil else { return .jsonl }
    let spansLines = UnsafeBufferPointer(rebasing: bytes[offset..<p.pos]).contains(0x0A)
    return spansLines ? .json : .jsonl
  }

  /// An object at the top of a document or on a line of its own: `{"data": [{...}, ...]}` (its
  /// one field an array of objects) wraps the records, on one line or over several, unless the
  /// array is a conversation's turns (`{"messages": [{"role", "content"}, ...]}`), which is one record.
  mutating func emitTopLevel(_ o: JSONObject) throws {
    guard o.count == 1, let list = o.values.first?.arrayValue, !list.isEmpty else { return try emit(o) }
    let objects = list.compactMap(\.objectValue)
    guard objects.count == list.count else { return try emit(o) }
    let turns = objects.allSatisfy { t in (t["role"] != nil || t["from"] != nil) && (t["content"] != nil || t["value"] != nil) }
    if turns { return try emit(o) }
    for obj in objects { try emit(obj) }
  }

  mutating func emit(_ object: JSONObject) throws {
    report.objects += 1
    for r in try builder.records(from: object) {
      try body(r)
      report.records += 1
    }
  }

  /// Progress, cancellation and page release, every few thousand records.
  mutating func checkpoint(_ offset: Int) throws {
    sinceCheck += 1
    if sinceCheck < 4096 { return }
    sinceCheck = 0
    options.progress?(offset, bytes.count)
    if options.isCancelled?() == true {
      throw DataError.cancelled(operation: "load", done: offset >> 20, total: bytes.count >> 20,
                                unit: "MB", partial: Dataset([]))
    }
    if offset > 64 << 20 { file.release(before: offset - (1 << 20)) }
  }

  mutating func skipOrThrow(_ offset: Int, _ message: String) throws {
    guard options.onError == .skip else { throw syntaxError(offset, message) }
    let (line, column) = position.locate(offset)
    report.skipped.append(SkippedLine(line: line, column: column, message: message))
  }

  /// JSON Lines: one object per non-blank line, parsed in rounds of blocks
  /// on several threads and consumed in file order here.
  mutating func readLines(from start: Int) throws {
    report.format = "jsonl"
    let n = bytes.count
    let threads = max(1, options.threads ?? ProcessInfo.processInfo.activeProcessorCount)
    var pos = start
    while pos < n {
      let ranges = LineBlocks.blocks(bytes, start: pos, end: n, size: options.blockBytes, count: threads)
      for items in LineBlocks.parse(bytes, ranges) {
        for item in items {
          switch item {
          case .object(let o): try emitTopLevel(o)
          case .error(let offset, let message): try skipOrThrow(offset, message)
          case .inexactIntegers(let count, let offset): noteInexactIntegers(count, at: offset)
          }
        }
      }
      pos = ranges.last?.upperBound ?? n
      options.progress?(pos, n)
      if pos < n {
        if options.isCancelled?() == true {
          throw DataError.cancelled(operation: "load", done: pos >> 20, total: n >> 20, unit: "MB", partial: Dataset([]))
        }
        if pos > 64 << 20 { file.release(before: pos - (1 << 20)) }
      }
    }
  }

  /// CSV: the first row names the fields (spaces around a name are dropped,
  /// as in "instruction, output"); each further row is a record of strings.
  /// With on_error="skip", a malformed row is skipped up to the end of its line.
  mutating func readCSV(from start: Int) throws {
    report.format = "csv"
    var rows = CSVRows(bytes: bytes, start: start)
    let first: (offset: Int, cells: [String])?
    switch rows.nextResult() {
    case .success(let r): first = r
    case .failure(let e): throw syntaxError(e.offset, e.message)
    }
    guard let h = first else { throw syntaxError(start, "the file is empty; expected a CSV header row naming the fields") }
    let header = (offset: h.offset, cells: h.cells.map { $0.trimmingSpaces() })
    var seen = Set<String>()
    for (i, name) in header.cells.enumerated() where name.isEmpty || !seen.insert(name).inserted {
      throw syntaxError(header.offset, name.isEmpty ? "column \(i + 1) of the header row has no name"
                                                    : "the header row names '\(name)' twice")
    }
    while true {
      let row: (offset: Int, cells: [String])
      switch rows.nextResult() {
      case .success(let r):
        guard let r else { return }
        row = r
      case .failure(let e):
        try skipOrThrow(e.offset, e.message)
        rows.skipLine(after: e.offset)
        continue
      }
      guard row.cells.count == header.cells.count else {
        let n = row.cells.count
        try skipOrThrow(row.offset, "the row has \(n) cell\(n == 1 ? "" : "s"); the header has \(header.cells.count)")
        continue
      }
      try emit(JSONObject(zip(header.cells, row.cells.map { JSONValue.string($0) }).map { ($0, $1) }))
      try checkpoint(rows.pos)
    }
  }

  /// A JSON array of objects, one object, or objects one after another.
  mutating func readDocument(from start: Int) throws {
    parser.reset(start: start, end: bytes.count)
    do {
      if bytes[start] == UInt8(ascii: "[") {
        report.format = "json"
        try readArray()
      } else {
        report.format = "json document"
        while true {
          parser.skipWhitespace()
          if parser.pos >= bytes.count { break }
          let at = parser.pos
          let value = try parser.parseValue()
          guard case .object(let o) = value else {
            try skipOrThrow(at, "expected a JSON object, found \(value.kindName)")
            continue
          }
          try emitTopLevel(o)
          try checkpoint(parser.pos)
        }
      }
    } catch let e as JSONSyntaxError {
      throw syntaxError(e.offset, e.message)
    }
  }

  mutating func readArray() throws {
    parser.pos += 1
    parser.skipWhitespace()
    if parser.pos < bytes.count && bytes[parser.pos] == UInt8(ascii: "]") {
      parser.pos += 1
    } else {
      while true {
        parser.skipWhitespace()
        let at = parser.pos
        let value = try parser.parseValue()
        if case .object(let o) = value {
          try emit(o)
        } else {
          try skipOrThrow(at, "expected a JSON object for each array element, found \(value.kindName)")
        }
        try checkpoint(parser.pos)
        parser.skipWhitespace()
        guard parser.pos < bytes.count else {
          throw JSONSyntaxError(offset: parser.pos, message: "expected ',' or ']' (the array is not closed)")
        }
        let c = bytes[parser.pos]
        parser.pos += 1
        if c == UInt8(ascii: ",") { continue }
        if c == UInt8(ascii: "]") { break }
        throw JSONSyntaxError(offset: parser.pos - 1, message: "expected ',' or ']'")
      }
    }
    parser.skipWhitespace()
    if parser.pos < bytes.count {
      throw JSONSyntaxError(offset: parser.pos, message: "unexpected data after the closing ']'")
    }
  }
}
