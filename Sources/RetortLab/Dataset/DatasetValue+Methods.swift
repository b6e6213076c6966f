// The methods of a dataset in the language. Each returns a new dataset (the
// original is untouched) unless it says otherwise.

import RetortData
import RetortLang

extension DatasetValue {
  static func wrap(_ d: Dataset) -> Value { .object(DatasetValue(d)) }

  static func seed(_ a: Args) throws -> UInt64 { UInt64(bitPattern: Int64(try a.int("seed", default: 0))) }

  static func predicate(_ a: Args, _ name: String, _ tick: @escaping () -> Void = {}) throws -> (Record) throws -> Bool {
    let f = try a.callable(name)
    return { r in
      tick()
      return try f([.object(RecordValue(r))]).isTruthy
    }
  }

  /// Runs work that calls the user's function once per record, with `tick` to count them: a
  /// progress line (count, rate, ETA) appears once it has run for a second, as for other long work.
  static func perRecord<T>(_ a: Args, _ label: String, total: Int, _ body: (_ tick: @escaping () -> Void) throws -> T) rethrows -> T {
    let c = RecordProgress(label, total: total, a.interpreter)
    defer { c.finish() }
    return try body {
      c.done += 1
      if c.done & 63 == 0 { c.show(c.done) }
    }
  }

  /// The `tokenizer` argument as a function of a string: a language function,
  /// or a host object (a model's tokenizer) with an `encode`, `tokenize` or
  /// `count` method.
  static func tokenizerFunction(_ a: Args) throws -> ([Value]) throws -> Value {
    if case .object(let o)? = a.value("tokenizer"), o.callParameters == nil {
      for name in ["encode", "tokenize", "count"] {
        if let m = o.typeInfo.method(named: name) {
          let fn = m.bound(to: o, typeName: o.typeInfo.name)
          let interp = a.interpreter
          return { args in try interp.call(.native(fn), args) }
        }
      }
      throw ScriptError("stats(): tokenizer must be a function or have an encode/tokenize/count method; a \(o.typeInfo.name) has neither")
    }
    return try a.callable("tokenizer")
  }

  // swiftlint:disable:next function_body_length
  static func installMethods(_ t: TypeInfo) {
    t.method("head", [.optional("n", "5"), .optional("fields")],
             "The first n records as a table (canonical fields, answer and score; or the given fields).") {
      (d: DatasetValue, a: inout Args) in
      let fields = a.has("fields") ? try a.strings("fields") : nil
      // A field no record has would show an empty column: name it instead, as other operations do.
      if let missing = fields?.first(where: { f in !Record.canonicalNames.contains(f) && f != "answer" && f != "score" && !d.ds.fields.contains(f) }) {
        throw ScriptError("head(): no field '\(missing)'; fields are: \(d.ds.fields.joined(separator: ", "))")
      }
      return .object(DatasetTableValue(d.ds.take(a.has("n") ? try count(a, "head") : 5), fields: fields))
    }
    t.method("stats", [.optional("tokenizer")],
             "Per category: count and length (mean, median, p95, max) of instruction, input, output; in characters, or tokens when given a tokenizer (a function of a string returning a count or a list).") {
      (d: DatasetValue, a: inout Args) in
      guard a.has("tokenizer") else { return .object(DatasetStatsValue(d.ds.stats(), unit: "characters")) }
      let f = try tokenizerFunction(a)
      let st = try d.ds.stats(tokenCount: { text in
        switch try f([.string(text)]) {
        case .int(let n) where n >= 0: return n
        case .int(let n): throw ScriptError("stats(): the tokenizer returned \(n); a count must be 0 or more")
        case .list(let l): return l.items.count
        case let v: throw ScriptError("stats(): the tokenizer must return a count or a list, got \(v.typeName)"
                                       + " (for a model's tokens give m.tokenizer.encode; m.tokenize shows a table)")
        }
      })
      return .object(DatasetStatsValue(st, unit: "tokens"))
    }
    t.method("where", [.optional("fn"), .keywords("fields")],
             "Records matching fn(r), or with field=value for each keyword (category compares normalised; numbers as numbers, 1 == 1.0; a string also matches a field whose JSON text it is, as CSV cells are text): ds.where(category=\"math\").") {
      (d: DatasetValue, a: inout Args) in
      var out = d.ds
      if a.has("fn") {
        let args = a, all = out
        out = try perRecord(args, "where", total: all.count) { tick in try all.filter(try predicate(args, "fn", tick)) }
      }
      for (field, v) in a.keywords { out = try out.where(field, equals: try JSONValue(v, what: "where()")) }
      if !a.has("fn") && a.keywords.isEmpty { throw ScriptError("where() needs a function or field=value, e.g. where(category=\"math\")") }
      return wrap(out)
    }
    t.method("filter", [.required("fn")], "Records for which fn(r) is true.") { (d: DatasetValue, a: inout Args) in
      let args = a
      return wrap(try perRecord(args, "filter", total: d.ds.count) { tick in try d.ds.filter(try predicate(args, "fn", tick)) })
    }
    t.method("map", [.required("fn")], "Each record replaced by the map fn(r) returns.") { (d: DatasetValue, a: inout Args) in
      let f = try a.callable("fn")
      return wrap(try perRecord(a, "map", total: d.ds.count) { tick in
        try d.ds.map { r in
          tick()
          return try recordFields(try f([.object(RecordValue(r))]), what: "map()")
        }
      })
    }
    t.method("sample", [.required("n"), .optional("seed", "0")], "n records drawn without replacement, in random order.") {
      (d: DatasetValue, a: inout Args) in wrap(try d.ds.sample(try a.int("n"), seed: try seed(a)))
    }
    t.method("shuffle", [.optional("seed", "0")], "All records in a random order.") { (d: DatasetValue, a: inout Args) in
      wrap(d.ds.shuffle(seed: try seed(a)))
    }
    t.method("take", [.required("n")], "The first n records (all of them if n is larger).") { (d: DatasetValue, a: inout Args) in
      wrap(d.ds.take(try count(a, "take")))
    }
    t.method("skip", [.required("n")], "All but the first n records.") { (d: DatasetValue, a: inout Args) in
      wrap(d.ds.skip(try count(a, "skip")))
    }
    t.method("split", [.required("fraction"), .optional("seed", "0"), .optional("stratify")],
             "[first, second] with about fraction of the records in first, both in the original order; stratify=\"category\" keeps proportions per category.") {
      (d: DatasetValue, a: inout Args) in
      let (x, y) = try d.ds.split(try a.double("fraction"), seed: try seed(a), stratify: try a.optionalString("stratify"))
      return .list([wrap(x), wrap(y)])
    }
    t.method("concat", [.required("other")], "This dataset's records followed by other's.") { (d: DatasetValue, a: inout Args) in
      wrap(d.ds.concat(try a.object("other", as: DatasetValue.self, expected: "a dataset").ds))
    }
    t.method("sort_by", [.required("key"), .optional("reverse", "false")],
             "Records ordered by a field name or by key(r) (stable).") { (d: DatasetValue, a: inout Args) in
      let reverse = try a.bool("reverse", default: false)
      if case .string(let field)? = a.value("key") { return wrap(try d.ds.sort(by: field, descending: reverse)) }
      let f = try a.callable("key")
      return wrap(try d.ds.sort(descending: reverse) { r in try JSONValue(try f([.object(RecordValue(r))]), what: "sort_by()") })
    }
    t.method("unique", [.optional("by")], "The first record of each distinct value of the field(s) by (whole records when omitted).") {
      (d: DatasetValue, a: inout Args) in wrap(try d.ds.unique(by: a.has("by") ? try a.strings("by") : []))
    }
    t.method("group_by", [.required("field")], "A map from each value of field (category: as first written) to its records.") {
      (d: DatasetValue, a: inout Args) in
      .map(try d.ds.group(by: try a.string("field")).map { ($0.label, wrap($0.dataset)) })
    }
    t.method("balance", [.required("per_category"), .optional("seed", "0")],
             "At most per_category records of each category, drawn with seed, in the original order.") {
      (d: DatasetValue, a: inout Args) in wrap(try d.ds.balance(perCategory: try a.int("per_category"), seed: try seed(a)))
    }
    t.method("tidy_categories", [], "The same records with each category label in its compared form (\"Open\\u00a0QA\" -> \"open qa\"), so r.category == \"open qa\" holds in functions as it does in where(category=).") {
      (d: DatasetValue, _: inout Args) in wrap(d.ds.tidyCategories())
    }
    t.method("rename", [.keywords("mapping")], "Fields renamed in place: rename(std_answer=\"output\").") {
      (d: DatasetValue, a: inout Args) in
      var mapping: [String: String] = [:]
      for (old, v) in a.keywords {
        guard case .string(let new) = v else { throw ScriptError("rename(): \(old)= expects the new name as a string") }
        mapping[old] = new
      }
      if mapping.isEmpty { throw ScriptError("rename() needs old=\"new\" pairs, e.g. rename(std_answer=\"output\")") }
      return wrap(try d.ds.rename(mapping))
    }
    t.method("select", [.required("fields")], "Only these fields, in this order (canonical names written under their own names).") {
      (d: DatasetValue, a: inout Args) in wrap(try d.ds.select(try a.strings("fields")))
    }
    installFilterMethods(t)
  }
}

/// Argument `n` of take and skip: a record count, so not negative.
private func count(_ a: Args, _ method: String) throws -> Int {
  let n = try a.int("n")
  guard n >= 0 else { throw ScriptError("\(method)(): argument 'n' must be >= 0 (a number of records), got \(n)") }
  return n
}

/// The count and, once shown, the progress line of record-by-record work (`perRecord`, `save`):
/// the line (count, rate, ETA) appears once the work has run for a second, as for other long work.
final class RecordProgress {
  var done = 0
  private var sink: ProgressSink?
  private let start = monotonicSeconds()
  private let label: String, total: Int, interp: Interpreter

  init(_ label: String, total: Int, _ interp: Interpreter) { self.label = label; self.total = total; self.interp = interp }

  /// Shows `done` of the total, once a second has passed.
  func show(_ done: Int) {
    if sink == nil {
      guard monotonicSeconds() - start > 1 else { return }
      sink = interp.progressFactory(label, total)
    }
    sink?.update(done: done, note: "")
  }

  func finish() { sink?.finish() }
}
