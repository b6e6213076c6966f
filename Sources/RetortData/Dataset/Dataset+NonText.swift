// Text fields that hold something else: `"output": 42` or `"input": {...}`
// is read as its JSON text ("42") wherever text is needed (templates,
// training, judging), which a load says rather than doing it silently; so
// are turns whose content is OpenAI's list of parts with some that are not
// text (images), which are left out.

extension Dataset {
  /// For each of instruction, input and output: how many records hold a number,
  /// boolean, list or object there (not a string or null), and the first one.
  public var nonTextFields: [(canonical: String, count: Int, first: Int)] {
    var out: [(canonical: String, count: Int, first: Int)] = []
    for name in ["instruction", "input", "output"] {
      var count = 0, first = -1
      for (i, r) in records.enumerated() {
        switch r[name] {
        case nil, .null?, .string?: continue
        default:
          if count == 0 { first = i }
          count += 1
        }
      }
      if count > 0 { out.append((name, count, first)) }
    }
    return out
  }

  /// Records with a turn whose content lists parts that are not text (OpenAI's
  /// multimodal form: images, audio), which reading leaves out: how many
  /// records, how many parts, the first record and the first part's type.
  public var nonTextParts: (records: Int, parts: Int, first: Int, type: String)? {
    var withParts = 0, parts = 0, first = -1, type = ""
    for (i, r) in records.enumerated() {
      guard let turns = r.conversationValues else { continue }
      var here = 0
      for t in turns {
        guard let c = t.objectValue?["content"] ?? t.objectValue?["value"] else { continue }
        let n = Turn.contentText(c).otherParts
        if n > 0, type.isEmpty, let list = c.arrayValue {
          type = list.first { $0.objectValue?["text"]?.stringValue == nil }?.objectValue?["type"]?.stringValue ?? ""
        }
        here += n
      }
      if here > 0 {
        if withParts == 0 { first = i }
        withParts += 1
        parts += here
      }
    }
    return withParts > 0 ? (withParts, parts, first, type) : nil
  }
}
