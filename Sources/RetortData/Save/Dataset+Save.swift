// Saving: JSON Lines by default, a JSON array for `.json`, CSV for `.csv`;
// UTF-8, keys in each record's own order, written to a temporary file in
// the same directory and renamed over the target, so an interrupted save
// never leaves a half-written file.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

#if canImport(Glibc)
private let sysWrite = Glibc.write
#elseif canImport(Darwin)
private let sysWrite = Darwin.write
#endif

extension Dataset {
  /// File layouts `save` can write.
  public enum SaveFormat: String, Sendable {
    /// One JSON object per line.
    case jsonl
    /// A JSON array, one record per line.
    case json
    /// RFC 4180 CSV with a header row.
    case csv

    /// The layout for a path: `.json` -> array, `.csv` -> CSV, else JSON Lines.
    public static func forPath(_ path: String) -> SaveFormat {
      let lower = path.lowercased()
      if lower.hasSuffix(".json") { return .json }
      if lower.hasSuffix(".csv") { return .csv }
      return .jsonl
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
    let fmt = format ?? SaveFormat.forPath(path)
    let objects = records.map { canonical ? $0.canonicalObject : $0.fields }
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
      CSVWriter.write(objects, to: &out)
    }
    try AtomicFile.replace(path, with: out)
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
      if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
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

/// Write-to-temporary-then-rename.
enum AtomicFile {
  static func replace(_ path: String, with bytes: [UInt8]) throws {
    let dir: String
    if let slash = path.lastIndex(of: "/") { dir = String(path[..<slash]).isEmpty ? "/" : String(path[..<slash]) } else { dir = "." }
    var isDir = stat()
    if stat(path, &isDir) == 0 && (isDir.st_mode & S_IFMT) == S_IFDIR { throw DataError.isDirectory(path: path) }
    guard stat(dir, &isDir) == 0, (isDir.st_mode & S_IFMT) == S_IFDIR else {
      throw DataError.io(path: path, reason: "cannot save: directory '\(dir)' does not exist")
    }
    var template = Array((dir + "/.retort-save-XXXXXX").utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { buf in buf.baseAddress.map { mkstemp($0) } ?? -1 }
    guard fd >= 0 else { throw DataError.io(path: path, reason: "cannot save: " + String(cString: strerror(errno))) }
    let tmp = String(cString: template)
    var ok = false
    defer { if !ok { unlink(tmp) } }
    var written = 0
    while written < bytes.count {
      let n = bytes.withUnsafeBytes { raw in raw.baseAddress.map { sysWrite(fd, $0 + written, bytes.count - written) } ?? -1 }
      if n < 0 {
        if errno == EINTR { continue }
        let reason = String(cString: strerror(errno))
        close(fd)
        throw DataError.io(path: path, reason: "cannot save: " + reason)
      }
      written += n
    }
    fchmod(fd, 0o644)
    if fsync(fd) != 0 || close(fd) != 0 {
      throw DataError.io(path: path, reason: "cannot save: " + String(cString: strerror(errno)))
    }
    guard rename(tmp, path) == 0 else {
      throw DataError.io(path: path, reason: "cannot save: " + String(cString: strerror(errno)))
    }
    ok = true
  }
}
