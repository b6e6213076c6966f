// A dataset in the language: display, indexing, iteration and properties.
// Methods are registered in DatasetValue+Methods.swift.

import RetortData
import RetortLang

/// A dataset as a language value; every method returns a new dataset.
final class DatasetValue: HostObject {
  static let type = TypeInfo("Dataset", doc: "An ordered collection of instruction records.") { t in
    t.property("count", "Number of records.") { (d: DatasetValue) in .int(d.ds.count) }
    t.property("fields", "Field names in first-seen order, then canonical names reached through aliases.") {
      (d: DatasetValue) in .list(d.ds.fields.map { .string($0) })
    }
    t.property("categories", "Category label (as first written) -> count, in first-appearance order; labels compare normalised.") {
      (d: DatasetValue) in .map(d.ds.categories.map { ($0.label, .int($0.count)) })
    }
    t.property("fingerprint", "12 hex digits identifying the records' content and order.") {
      (d: DatasetValue) in .string(d.ds.fingerprint)
    }
    t.property("schema", "The schema recognised when loading (alpaca, belle_eval, seed_tasks, dolly, sharegpt, openai_chat, question_list, manual, generic), or nil.") {
      (d: DatasetValue) in d.ds.schema.map { .string($0.rawValue) } ?? .none
    }
    t.property("skipped", "Lines skipped by on_error=\"skip\", as \"line:column: message\".") {
      (d: DatasetValue) in .list((d.ds.loadReport?.skipped ?? []).map { .string($0.description) })
    }
    installMethods(t)
  }

  var typeInfo: TypeInfo { Self.type }
  let ds: Dataset

  init(_ ds: Dataset) { self.ds = ds }

  /// Size, schema, fingerprint, fields (with canonical aliases), categories, skipped lines.
  /// The first line of the display: size, schema and fingerprint.
  var headLine: String {
    var head = "Dataset(\(ds.count) record" + (ds.count == 1 ? "" : "s")
    if let s = ds.schema { head += ", \(s.rawValue)" }
    return head + ", fingerprint \(ds.fingerprint))"
  }

  var brief: String { headLine }

  func render(_ context: RenderContext) throws -> String {
    let width = max(40, context.width)
    var lines = [headLine]
    // Fields and categories are wrapped, never truncated: they are what a log must show.
    // `joined[i]` marks an item written after the one before it without a comma.
    func wrapped(_ label: String, _ items: [String], joined: Set<Int> = []) {
      var line = label
      for (i, item) in items.enumerated() {
        let piece = " " + item + (i + 1 < items.count && !joined.contains(i + 1) ? "," : "")
        if TextWidth.of(line + piece) > width && line != label {
          lines.append(line)
          line = "  "
        }
        line += piece
      }
      lines.append(line)
    }
    if !ds.isEmpty {
      // A canonical name is listed when some record has it under that name (not only as an alias).
      var fields = ds.fields.filter { f in !Record.canonicalNames.contains(f) || ds.records.contains { $0.fields[f] != nil } }
      // A very wide table (a CSV of thousands of columns) names its first fields only.
      let shownFields = 60
      if fields.count > shownFields {
        fields = Array(fields.prefix(shownFields)) + ["... \(fields.count - shownFields) more (ds.fields lists them)"]
      }
      // The mapping follows the last field in brackets, one piece per field, so it wraps too.
      var joined = Set<Int>()
      if let aliases = ds.records.first?.aliases, !aliases.isEmpty, !fields.isEmpty {
        var shown = Record.canonicalNames.compactMap { c in aliases[c].map { "\(c)=\($0)" } }
        if !shown.isEmpty {
          shown[0] = "(" + shown[0]
          shown[shown.count - 1] += ")"
          joined.insert(fields.count)
          fields += shown
        }
      }
      wrapped("fields:", fields, joined: joined)
    }
    let cats = ds.categories
    if !cats.isEmpty { wrapped("categories:", cats.map { "\($0.label.isEmpty ? "(none)" : $0.label) \($0.count)" }) }
    if let report = ds.loadReport, !report.skipped.isEmpty {
      let shown = report.skipped.prefix(3).map(\.description).joined(separator: "; ")
      lines.append(TextWidth.truncate("skipped \(report.skipped.count) line\(report.skipped.count == 1 ? "" : "s"): \(shown)\(report.skipped.count > 3 ? "; ..." : "")", to: width))
    }
    return lines.joined(separator: "\n")
  }

  /// `ds[i]` a record (negative from the end), `ds[a:b]` a dataset, `ds["field"]` a list of values.
  func getIndex(_ index: [IndexValue]) throws -> Value? {
    guard index.count == 1 else { throw ScriptError("a dataset takes one index: ds[i], ds[a:b] or ds[\"field\"]") }
    switch index[0] {
    case .value(.int(let i)):
      do { return .object(RecordValue(try ds.record(at: i))) } catch { throw ScriptError("\(error)") }
    case .value(.string(let field)):
      guard ds.isEmpty || ds.records.contains(where: { $0.has(field) }) || Record.canonicalNames.contains(field) else {
        throw ScriptError("\(DataError.unknownField(operation: "dataset[\"\(field)\"]", field: field, available: ds.fields))")
      }
      return .list(ds.records.map { $0[field]?.value ?? .none })
    case .slice(let a, let b, let step):
      let picked = sliceIndices(a, b, step, count: ds.count).map { ds.records[$0] }
      var d = Dataset(picked, source: ds.source, schema: ds.schema)
      d.loadReport = nil
      return .object(DatasetValue(d))
    case .value(let v):
      throw ScriptError("a dataset is indexed by an int, a slice or a field name, not a \(v.typeName)")
    }
  }

  func elements() throws -> [Value]? { ds.records.map { .object(RecordValue($0)) } }

  var length: Int? { ds.count }

  var truthiness: Bool? { !ds.isEmpty }
}

/// `ds.head(n)`: the first records as a table (cells truncated, wide characters aligned).
final class DatasetTableValue: HostObject {
  static let type = TypeInfo("DatasetTable", doc: "The first records of a dataset, shown as a table.")
  var typeInfo: TypeInfo { Self.type }
  let ds: Dataset
  /// Columns chosen by `head(n, fields=[...])`; nil picks them.
  let fields: [String]?

  init(_ ds: Dataset, fields: [String]? = nil) {
    self.ds = ds
    self.fields = fields
  }

  /// The canonical columns that have content, then results of the usual
  /// workflow (`answer`, `score`); a dataset with no text among them (BELLE's
  /// eval_prompt.json: class and prompt) adds its own other fields.
  var columns: [String] {
    if let f = fields { return f }
    var columns: [String] = []
    let hasCategory = ds.records.contains(where: { $0.category != nil })
    for c in ["instruction", "input", "output", "answer", "score"]
    where ds.records.contains(where: { !$0.text(c).isEmpty }) {
      columns.append(c)
    }
    if columns.isEmpty {
      // The field the category is read from is shown as the category column.
      let source = ds.records.first(where: { $0.category != nil })?.aliases["category"] ?? "category"
      columns = Array(ds.fields.filter { $0 != "category" && $0 != source }.prefix(hasCategory ? 4 : 5))
    }
    return (hasCategory ? ["category"] : []) + columns
  }

  func render(_ context: RenderContext) throws -> String {
    let columns = self.columns
    let rows = ds.records.enumerated().map { i, r in
      [String(i)] + columns.map { c in
        // A table shows numbers to 6 significant digits (0.7, not 0.7000000000000001).
        if case .double(let x)? = r[c], x.isFinite { return Self.sixDigits(x) }
        return r.text(c).replacingNewlines()
      }
    }
    // Columns of numbers (a score) are never cut: "0.83…" would read as another number.
    let numeric = Set([0] + columns.indices.map { $0 + 1 }.filter { i in
      rows.allSatisfy { $0[i].isEmpty || Double($0[i]) != nil } && rows.contains { !$0[i].isEmpty }
    })
    return Table(headers: ["#"] + columns, rows: rows, rightAligned: [0], whole: numeric).render(width: context.width)
  }

  func elements() throws -> [Value]? { ds.records.map { .object(RecordValue($0)) } }
  var length: Int? { ds.count }

  /// `x` to 6 significant digits, without trailing zeros (always with a point or exponent).
  static func sixDigits(_ x: Double) -> String {
    var s = String(format: "%.6g", x)
    if !s.contains(".") && !s.contains("e") { s += ".0" }
    return s
  }
}

extension String {
  /// One-line text for a table cell: newlines shown as ↵.
  func replacingNewlines() -> String {
    var out = ""
    for c in self { out += c == "\n" || c == "\r\n" ? " ↵ " : (c == "\t" ? " " : String(c)) }
    return out
  }
}
