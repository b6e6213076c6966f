// JudgeItem+Records: items from plain string records (rows of a dataset, lines of BELLE's
// eval_set.json joined with model answers), with the field names given by the caller.

extension JudgeItem {
  /// Field names to read items from records. Defaults accept Alpaca/Retort and BELLE names.
  public struct FieldNames: Sendable, Equatable {
    /// Candidate names of the question field, first present wins.
    public var instruction: [String] = ["instruction", "question"]
    /// Candidate names of the reference field (optional field).
    public var reference: [String] = ["output", "reference", "std_answer"]
    /// Candidate names of the answer field.
    public var answer: [String] = ["answer"]
    /// Candidate names of the category field.
    public var category: [String] = ["category", "class"]
    /// Candidate names of the id field (optional; the row number otherwise).
    public var id: [String] = ["id"]

    /// The defaults.
    public init() {}
  }

  /// Items from records.
  /// - Throws: `JudgeError.missingFields` naming the absent required fields and the first rows (0-based) lacking them.
  public static func fromRecords(_ records: [[String: String]], fields: FieldNames = FieldNames()) throws -> [JudgeItem] {
    var missing: [String: [Int]] = [:]
    var items: [JudgeItem] = []
    func pick(_ r: [String: String], _ names: [String]) -> String? { names.lazy.compactMap { r[$0] }.first }
    for (i, r) in records.enumerated() {
      let q = pick(r, fields.instruction), a = pick(r, fields.answer), c = pick(r, fields.category)
      if q == nil { missing[fields.instruction.joined(separator: "|"), default: []].append(i) }
      if a == nil { missing[fields.answer.joined(separator: "|"), default: []].append(i) }
      if c == nil { missing[fields.category.joined(separator: "|"), default: []].append(i) }
      guard let q, let a, let c else { continue }
      items.append(JudgeItem(id: pick(r, fields.id) ?? "\(i)", instruction: q, reference: pick(r, fields.reference),
                             answer: a, category: c))
    }
    if !missing.isEmpty {
      let names = missing.keys.sorted()
      let rows = Array(Set(missing.values.flatMap { $0 })).sorted()
      throw JudgeError.missingFields(fields: names, items: rows)
    }
    return items
  }
}
