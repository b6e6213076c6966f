// Turns parsed objects into records: fixes the schema from the first
// object, checks a manual `fields` mapping against it, and reuses one
// alias table for every object with the same keys.

/// Maps parsed JSON objects onto records for one file.
struct RecordBuilder {
  let path: String
  let manual: [String: String]?
  private(set) var schema: Schema?
  private var detected: Schema = .generic
  private var lastKeys: [String] = []
  private var lastAliases: [String: String] = [:]

  init(path: String, manual: [String: String]?) {
    self.path = path
    self.manual = manual
  }

  /// The records of `object` (several for a seed task with several instances).
  mutating func records(from object: JSONObject) throws -> [Record] {
    if schema == nil {
      detected = Schema.detect(object)
      schema = manual == nil ? detected : .manual
      if let manual {
        for (canonical, field) in manual.sorted(by: { $0.key < $1.key }) where object[field] == nil {
          throw DataError.invalidArgument(
            operation: "load",
            message: "fields maps '\(canonical)' to '\(field)', but \(path) has no field '\(field)'; its fields are: "
              + object.keys.joined(separator: ", "))
        }
      }
      lastKeys = object.keys
      lastAliases = detected.aliases(for: object, manual: manual)
    } else if object.keys != lastKeys {
      lastKeys = object.keys
      lastAliases = detected.aliases(for: object, manual: manual)
    }
    var object = object
    object.shareKeys(lastKeys)
    return detected.records(from: object, aliases: lastAliases)
  }
}
