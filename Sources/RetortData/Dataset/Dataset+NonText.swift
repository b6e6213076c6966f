// Text fields that hold something else: `"output": 42` or `"input": {...}`
// is read as its JSON text ("42") wherever text is needed (templates,
// training, judging), which a load says rather than doing it silently.

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
}
