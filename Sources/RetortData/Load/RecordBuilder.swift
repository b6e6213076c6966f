// Turns parsed objects into records: recognises each object's layout (once
// per set of keys, so a file whose first line is odd, or that mixes Alpaca
// and BELLE records, reads each record by its own layout), checks a manual
// `fields` mapping against the first object, and counts the records per layout:
// the dataset's schema is the most common one.

/// Maps parsed JSON objects onto records for one file.
struct RecordBuilder {
  let path: String
  let manual: [String: String]?
  /// The most common layout so far (nil before the first object).
  var schema: Schema? { counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key.rawValue > $1.key.rawValue) }?.key }
  /// Records per layout.
  private(set) var counts: [Schema: Int] = [:]
  private var started = false
  private var detected: Schema = .generic
  private var lastKeys: [String] = []
  private var lastAliases: [String: String] = [:]

  init(path: String, manual: [String: String]?) {
    self.path = path
    self.manual = manual
  }

  /// The records of `object` (several for a seed task with several instances), after checking
  /// the manual `fields` mapping against the first object.
  mutating func records(from object: JSONObject) throws -> [Record] {
    if !started, let manual {
      for (canonical, field) in manual.sorted(by: { $0.key < $1.key }) where object[field] == nil {
        throw DataError.invalidArgument(
          operation: "load",
          message: "fields maps '\(canonical)' to '\(field)', but \(path) has no field '\(field)'; its fields are: "
            + object.keys.joined(separator: ", "))
      }
    }
    return build(object)
  }

  /// The records of `object`, its layout recognised once per set of keys (`dataset.from`,
  /// which checks no mapping, calls this directly).
  mutating func build(_ object: JSONObject) -> [Record] {
    if !started || object.keys != lastKeys {
      if manual == nil { detected = Schema.detect(object) } else { detected = .manual }
      started = true
      lastKeys = object.keys
      lastAliases = detected.aliases(for: object, manual: manual)
    }
    var object = object
    object.shareKeys(lastKeys)
    let records = detected.records(from: object, aliases: lastAliases)
    counts[detected, default: 0] += records.count
    return records
  }
}
