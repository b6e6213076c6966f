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

  /// Writes the records to `path` atomically.
  ///
  /// - Parameters:
  ///   - format: default from the extension (see `SaveFormat.forPath`).
  ///   - canonical: write instruction/input/output/category/conversations
  ///     under those names first (instead of the original field names).
  /// - Throws: `DataError.io` naming the path when writing fails.
  public func save(_ path: String, format: SaveFormat? = nil, canonical: Bool = false) throws {
    guard !path.isEmpty else { throw DataError.invalidArgument(operation: "save", message: "the path is empty (expected a file name such as \"out.jsonl\")") }
    guard let fmt = format ?? SaveFormat.forPath(path) else {
      throw DataError.invalidArgument(operation: "save", message: "cannot tell the layout from the name \"\(path)\"; expected a name ending .jsonl, .json or .csv (or no extension, for JSON Lines)")
    }
    let objects = records.map { canonical ? $0.canonicalObject : $0.fields }
    if let (i, field, d) = Self.firstNonFinite(objects) {
      throw DataError.invalidArgument(
        operation: "save", message: "record \(i), field '\(field)' is \(d) and JSON numbers are finite (it would be written as null); replace it first")
    }
    var out: [UInt8] = []
    switch fmt {
    case .jsonl:
      for o in objects { JSONWriter.write(o, to: &out); out.append(0x0A) }
    case .json:
      out.append(UInt8(ascii: "["))
      for (i, o) in objects.enumerated() {
        out.append(contentsOf: (i == 0 ? "\n  " : ",\n  ").utf8)
        JSONWriter.write(o, to: &out)
      }
      out.append(contentsOf: (objects.isEmpty ? "]\n" : "\n]\n").utf8)
    case .csv:
      // No records, no fields to name: an empty file, which load reads back as no records.
      if !objects.isEmpty { CSVWriter.write(objects, to: &out) }
    }
    do {
      try AtomicFile.write(out, to: path)
    } catch let e as FileError {
      throw e.isDirectory ? DataError.isDirectory(path: path) : DataError.io(path: path, reason: "cannot save: " + e.reason)
    }
  }
}

extension Dataset {
  /// The first infinity or NaN in the records (at any depth): record index, top-level field, value.
  static func firstNonFinite(_ objects: [JSONObject]) -> (Int, String, Double)? {
    func find(_ v: JSONValue) -> Double? {
      switch v {
      case .double(let d): return d.isFinite ? nil : d
      case .array(let a): return a.lazy.compactMap(find).first
      case .object(let o): return o.values.lazy.compactMap(find).first
      default: return nil
      }
    }
    for (i, o) in objects.enumerated() {
      for (k, v) in o { if let d = find(v) { return (i, k, d) } }
    }
    return nil
  }
}

/// RFC 4180 CSV: a header of all keys in first-seen order, then one row per
/// record; strings as they are, other values as JSON, missing as empty.
enum CSVWriter {
  static func write(_ objects: [JSONObject], to out: inout [UInt8]) {
    var columns: [String] = []
    var seen = Set<String>()
    for o in objects { for k in o.keys where seen.insert(k).inserted { columns.append(k) } }
    func cell(_ s: String) {
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
    func row(_ cells: [String]) {
      for (i, c) in cells.enumerated() {
        if i > 0 { out.append(UInt8(ascii: ",")) }
        cell(c)
      }
      out.append(contentsOf: "\r\n".utf8)
    }
    row(columns)
    for o in objects { row(columns.map { o[$0]?.text ?? "" }) }
  }
}
