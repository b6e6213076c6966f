// Saving: JSON Lines by default, a JSON array for `.json`, CSV for `.csv`;
// UTF-8, keys in each record's own order, written through AtomicFile (a
// temporary file renamed over the target), so an interrupted save never
// leaves a half-written file.

import RetortFiles

extension Dataset {
  /// File layouts `save` can write.
  public enum SaveFormat: String, Sendable {
    /// One JSON object per line.
    case jsonl
    /// A JSON array, one record per line.
    case json
    /// RFC 4180 CSV with a header row.
    case csv

    /// The layout for a path: `.json` -> array, `.csv` -> CSV, `.jsonl`,
    /// `.ndjson`, `.txt` or no extension -> JSON Lines; nil for any other
    /// extension (`.parquet` must not silently become JSON Lines).
    public static func forPath(_ path: String) -> SaveFormat? {
      let name = path.split(separator: "/").last.map(String.init) ?? path
      guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return .jsonl }
      switch name[name.index(after: dot)...].lowercased() {
      case "json": return .json
      case "csv": return .csv
      case "jsonl", "ndjson", "txt": return .jsonl
      default: return nil
      }
    }
  }

  /// Writes the records to `path` atomically, streaming them (a megabyte at
  /// a time, so a large dataset is never in memory twice).
  ///
  /// - Parameters:
  ///   - format: default from the extension (see `SaveFormat.forPath`).
  ///   - canonical: write instruction/input/output/category/conversations
  ///     under those names first (instead of the original field names).
  ///   - progress: called with the records written so far, every 1024.
  ///   - isCancelled: polled as often; true stops the save, leaving any
  ///     previous file at `path` as it was.
  /// - Throws: `DataError.io` naming the path when writing fails;
  ///   `DataError.cancelled` when stopped.
  public func save(_ path: String, format: SaveFormat? = nil, canonical: Bool = false,
                   progress: ((Int) -> Void)? = nil, isCancelled: (() -> Bool)? = nil) throws {
    guard !path.isEmpty else { throw DataError.invalidArgument(operation: "save", message: "the path is empty (expected a file name such as \"out.jsonl\")") }
    guard let fmt = format ?? SaveFormat.forPath(path) else {
      throw DataError.invalidArgument(operation: "save", message: "cannot tell the layout from the name \"\(path)\"; expected a name ending .jsonl, .json or .csv (or no extension, for JSON Lines)")
    }
    func object(_ i: Int) throws -> JSONObject {
      let o = canonical ? records[i].canonicalObject : records[i].fields
      if let (field, d) = Self.firstNonFinite(o) {
        throw DataError.invalidArgument(
          operation: "save", message: "record \(i), field '\(field)' is \(d) and JSON numbers are finite (it would be written as null); replace it first")
      }
      return o
    }
    let columns = fmt == .csv ? CSVWriter.columns(records.lazy.map { canonical ? $0.canonicalObject : $0.fields }) : []
    do {
      try AtomicFile.stream(to: path) { emit in
        var out: [UInt8] = []
        out.reserveCapacity(1 << 20)
        func flush() throws {
          try out.withUnsafeBytes { try emit($0) }
          out.removeAll(keepingCapacity: true)
        }
        switch fmt {
        case .json: out.append(UInt8(ascii: "["))
        // No records, no fields to name: an empty file, which load reads back as no records.
        case .csv: if !records.isEmpty { CSVWriter.row(columns, to: &out) }
        case .jsonl: break
        }
        for i in records.indices {
          if i & 1023 == 1023 {
            progress?(i)
            if isCancelled?() == true {
              throw DataError.cancelled(operation: "save", done: i, total: records.count, unit: "records", partial: Dataset([]))
            }
          }
          let o = try object(i)
          switch fmt {
          case .jsonl: JSONWriter.write(o, to: &out); out.append(0x0A)
          case .json:
            out.append(contentsOf: (i == 0 ? "\n  " : ",\n  ").utf8)
            JSONWriter.write(o, to: &out)
          case .csv: CSVWriter.row(columns.map { o[$0]?.text ?? "" }, to: &out)
          }
          if out.count >= 1 << 20 { try flush() }
        }
        if fmt == .json { out.append(contentsOf: (records.isEmpty ? "]\n" : "\n]\n").utf8) }
        try flush()
      }
    } catch let e as FileError {
      throw e.isDirectory ? DataError.isDirectory(path: path) : DataError.io(path: path, reason: "cannot save: " + e.reason)
    }
    progress?(records.count)
  }
}

extension Dataset {
  /// The first infinity or NaN in a record (at any depth): top-level field and value.
  static func firstNonFinite(_ object: JSONObject) -> (String, Double)? {
    func find(_ v: JSONValue) -> Double? {
      switch v {
      case .double(let d): return d.isFinite ? nil : d
      case .array(let a): return a.lazy.compactMap(find).first
      case .object(let o): return o.values.lazy.compactMap(find).first
      default: return nil
      }
    }
    for (k, v) in object { if let d = find(v) { return (k, d) } }
    return nil
  }
}

/// RFC 4180 CSV: a header of all keys in first-seen order, then one row per
/// record; strings as they are, other values as JSON, missing as empty.
enum CSVWriter {
  /// Every key of the objects, in first-seen order.
  static func columns<S: Sequence>(_ objects: S) -> [String] where S.Element == JSONObject {
    var columns: [String] = []
    var seen = Set<String>()
    for o in objects { for k in o.keys where seen.insert(k).inserted { columns.append(k) } }
    return columns
  }

  /// One row: cells quoted when they hold a comma, quote or line break, then CRLF.
  static func row(_ cells: [String], to out: inout [UInt8]) {
    for (i, s) in cells.enumerated() {
      if i > 0 { out.append(UInt8(ascii: ",")) }
      // Bytes, not Characters: "\r\n", and "," or "\"" before a combining mark, are single Characters.
      if s.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }) {
        out.append(UInt8(ascii: "\""))
        for b in s.utf8 {
          if b == UInt8(ascii: "\"") { out.append(b) }
          out.append(b)
        }
        out.append(UInt8(ascii: "\""))
      } else {
        out.append(contentsOf: s.utf8)
      }
    }
    out.append(contentsOf: "\r\n".utf8)
  }
}
