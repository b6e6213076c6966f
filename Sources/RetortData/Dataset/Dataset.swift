// An instruction dataset: an ordered, immutable-by-value list of records.
// Every operation returns a new dataset and leaves the original untouched.

import RetortFiles

/// An ordered collection of records.
public struct Dataset: Sendable {
  /// The records, in order.
  public var records: [Record]
  /// Where the data came from (a path, or the operation that made it).
  public var source: String?
  /// The schema recognised at load time, if any.
  public var schema: Schema?
  /// What loading skipped (only for `onError: .skip` loads).
  public var loadReport: LoadReport?

  /// A dataset of `records`.
  public init(_ records: [Record], source: String? = nil, schema: Schema? = nil) {
    self.records = records
    self.source = source
    self.schema = schema
  }

  /// Builds a dataset from plain objects (`dataset.from([...])`), recognising
  /// their schema as `load` does. `fields` maps canonical names by hand.
  public static func from(_ objects: [JSONObject], fields: [String: String]? = nil) -> Dataset {
    // Each set of keys is recognised on its own, as load does; the schema is the most common.
    var builder = RecordBuilder(path: "from", manual: fields)
    var records: [Record] = []
    records.reserveCapacity(objects.count)
    for o in objects { records.append(contentsOf: builder.build(o)) }
    return Dataset(records, source: "from", schema: builder.schema)
  }

  /// Number of records.
  public var count: Int { records.count }
  /// True when there are no records.
  public var isEmpty: Bool { records.isEmpty }

  /// The record at `index`; negative indexes count from the end (-1 = last).
  public func record(at index: Int) throws -> Record {
    let i = index < 0 ? records.count + index : index
    guard i >= 0 && i < records.count else {
      throw DataError.invalidArgument(
        operation: "dataset[\(index)]",
        message: "index out of range for a dataset of \(records.count) records")
    }
    return records[i]
  }

  /// Field names across all records in first-seen order, then canonical
  /// names that resolve through aliases.
  public var fields: [String] {
    var seen = Set<String>()
    var out: [String] = []
    var lastKeys: [String] = []
    var lastAliases: [String: String] = [:]
    for r in records {
      if r.fields.keys == lastKeys && r.aliases == lastAliases { continue }
      lastKeys = r.fields.keys
      lastAliases = r.aliases
      for k in r.names where !seen.contains(k) {
        seen.insert(k)
        out.append(k)
      }
    }
    return out
  }

  /// A category with its normalised key, the label as first written, and its count.
  public struct CategoryCount: Sendable, Hashable {
    /// Normalised label (see `CategoryLabel.normalize`).
    public var key: String
    /// The label as it first appears in the data.
    public var label: String
    /// Number of records with this category.
    public var count: Int
  }

  /// Categories in first-appearance order. When some records have one, the
  /// records without one (or with an empty label) count under the label ""
  /// as `stats()` and `group_by` count them; when none has one, it is empty.
  public var categories: [CategoryCount] {
    guard records.contains(where: { $0.category != nil }) else { return [] }
    var index: [String: Int] = [:]
    var out: [CategoryCount] = []
    var cache: [String: String] = [:]
    for r in records {
      let label = r.category ?? ""
      let key: String
      if let k = cache[label] { key = k } else { key = CategoryLabel.normalize(label); cache[label] = key }
      if let i = index[key] {
        out[i].count += 1
      } else {
        index[key] = out.count
        out.append(CategoryCount(key: key, label: label, count: 1))
      }
    }
    return out
  }

  /// Throws `unknownField` unless some record has `field`. The canonical
  /// names are always accepted (a record without them reads as empty).
  func requireField(_ field: String, operation: String) throws {
    if Record.canonicalNames.contains(field) { return }
    if records.isEmpty || records.contains(where: { $0.has(field) }) { return }
    throw DataError.unknownField(operation: operation, field: field, available: fields)
  }

  /// A copy with other records, keeping source and schema.
  func with(_ records: [Record], source: String? = nil) -> Dataset {
    var d = Dataset(records, source: source ?? self.source, schema: schema)
    d.loadReport = nil
    return d
  }
}

extension Dataset: CustomStringConvertible {
  /// Size, fields, per-category counts and fingerprint, e.g.
  /// `Dataset(1000 records; fields: question, std_answer, class; categories: open qa 285, ...; fingerprint 3f2a9c01d4e5)`.
  public var description: String {
    var parts = [counted(count, "record")]
    let f = fields
    parts.append("fields: " + (f.isEmpty ? "none" : f.joined(separator: ", ")))
    let cats = categories
    if !cats.isEmpty {
      parts.append("categories: " + cats.map { "\($0.label.isEmpty ? "(none)" : $0.label) \($0.count)" }.joined(separator: ", "))
    }
    parts.append("fingerprint \(fingerprint)")
    return "Dataset(" + parts.joined(separator: "; ") + ")"
  }
}

extension Dataset {
  /// Canonical fields whose source field (from the schema, or `fields=`) no
  /// record has, as (canonical, source): `output` reading a `std_answer` that a
  /// rename took away reads "" everywhere, so a load names the gap.
  public var absentMappings: [(canonical: String, source: String)] {
    guard let first = records.first else { return [] }
    return first.aliases.sorted { $0.key < $1.key }.filter { canonical, source in
      canonical != source && !records.contains { $0.fields[source] != nil }
    }.map { (canonical: $0.key, source: $0.value) }
  }
}
