// Saving reports and score sets: JSON (the whole value) and CSV (one row per category or item).
// `save(to: "out/report")` writes out/report.json and out/report.csv; a path ending in .json or
// .csv writes only that file.

import Foundation
import RetortFiles

enum CSV {
  static func field(_ s: String) -> String {
    s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
      ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
  }
  /// A summary number (reports), to six decimals.
  static func number(_ v: Double?) -> String { v.map { String(format: "%.6f", $0) } ?? "" }
  /// A data number (item scores): the shortest text that reads back as the same Double, so an
  /// item's score recomputes exactly from its repeat scores.
  static func exact(_ v: Double?) -> String { v.map { "\($0)" } ?? "" }

  /// Writes `path` as JSON or CSV by its extension, or both (`path.json`,
  /// `path.csv`) when it has none; returns the paths written.
  @discardableResult
  static func write(json: Data?, csv: String?, to path: String) throws -> [String] {
    // "out/", "." or "..": a directory, where the name would be only the extension (".json").
    let last = path.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
    guard !last.isEmpty, last != ".", last != ".." else {
      throw JudgeError.badFile(path: path, line: nil, column: nil,
                               message: "is a directory; give a file name in it, such as \"report\" (for .json and .csv) or \"report.json\"")
    }
    let url = URL(fileURLWithPath: path)
    let ext = url.pathExtension.lowercased()
    guard ["", "json", "csv"].contains(ext) else {
      throw JudgeError.badFile(path: path, line: nil, column: nil,
                               message: "cannot save as .\(url.pathExtension): give a .json or .csv path, or one without an extension for both")
    }
    var written: [String] = []
    do {
      if ext != "csv", let json {
        let p = ext == "json" ? path : path + ".json"
        try AtomicFile.write([UInt8](json), to: p)
        written.append(p)
      }
      if ext != "json", let csv {
        let p = ext == "csv" ? path : path + ".csv"
        try AtomicFile.write(csv, to: p)
        written.append(p)
      }
    } catch let e as FileError {
      throw JudgeError.badFile(path: e.path, line: nil, column: nil, message: "cannot write: \(e.reason)")
    }
    return written
  }

  static func encode<T: Encodable>(_ value: T) throws -> Data {
    let enc = JSONEncoder()
    enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return try enc.encode(value)
  }
}

extension JudgeReport {
  /// CSV: one row per category, then overall, macro and without-others rows.
  public func csv() -> String {
    var lines = ["category,count,failures,mean,sd,ci_low,ci_high"]
    for r in rows + [micro] {
      lines.append([CSV.field(r.category), "\(r.count)", "\(r.failures)", CSV.number(r.stats.mean),
                    CSV.number(r.stats.standardDeviation), CSV.number(r.stats.ciLow), CSV.number(r.stats.ciHigh)]
        .joined(separator: ","))
    }
    lines.append("macro,,,\(CSV.number(macro)),,,")
    lines.append("without others,,,\(CSV.number(macroWithoutOthers)),,,")
    return lines.joined(separator: "\n") + "\n"
  }

  /// Writes JSON and CSV (see the file header for the paths).
  /// - Throws: `JudgeError.badFile` when a file cannot be written.
  @discardableResult
  public func save(to path: String) throws -> [String] {
    try CSV.write(json: try CSV.encode(self), csv: csv(), to: path)
  }
}

extension ScoreSet {
  /// CSV: one row per item with its score, per-repeat scores and failures.
  public func csv() -> String {
    var lines = ["id,category,score,repeat_scores,failures"]
    for s in items {
      let reps = s.repeatScores.map { CSV.exact($0) }.joined(separator: ";")
      lines.append([CSV.field(s.item.id), CSV.field(s.item.category), CSV.exact(s.score), CSV.field(reps),
                    CSV.field(s.failures.map(\.description).joined(separator: "; "))].joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Writes the items (with replies) as JSON and CSV.
  @discardableResult
  public func save(to path: String) throws -> [String] {
    try CSV.write(json: try CSV.encode(self), csv: csv(), to: path)
  }

  /// Loads a score set saved as JSON.
  /// - Throws: `JudgeError.badFile` when the file is missing or not a saved score set.
  public static func load(from path: String) throws -> ScoreSet {
    var isDirectory: ObjCBool = false
    if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
      throw JudgeError.badFile(path: path, line: nil, column: nil, message: "no such file")
    }
    if isDirectory.boolValue {
      throw JudgeError.badFile(path: path, line: nil, column: nil, message: "is a directory; give the .json file scores.save wrote")
    }
    do {
      return try JSONDecoder().decode(ScoreSet.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    } catch let e as DecodingError {
      // A report (report.save) has the per-category rows but not the items a report is made from.
      if let data = try? Data(contentsOf: URL(fileURLWithPath: path)), (try? JSONDecoder().decode(JudgeReport.self, from: data)) != nil {
        throw JudgeError.badFile(path: path, line: nil, column: nil,
                                 message: "is a saved report, not a score set; load the scores (s.save(...)) and call .report() on them")
      }
      throw JudgeError.badFile(path: path, line: nil, column: nil, message: "not a saved score set (\(e.plainDescription))")
    } catch {
      throw JudgeError.badFile(path: path, line: nil, column: nil, message: "cannot read: \(error.localizedDescription)")
    }
  }
}

extension ReportComparison {
  /// Writes JSON and CSV of the comparison.
  @discardableResult
  public func save(to path: String) throws -> [String] {
    try CSV.write(json: try CSV.encode(self), csv: csv(), to: path)
  }
}
