// The self-instruct filters besides ROUGE-L: blacklisted words, lengths,
// empty fields.

extension Dataset {
  /// Drops records whose `fields` mention any of `words` (BELLE and Alpaca
  /// drop tasks about images, pictures, charts, links ...). Matching ignores
  /// case; a word that starts or ends with a Latin letter or digit must
  /// stand alone there (as Alpaca's `\bword\b`), so "image" does not drop
  /// "imagine"; CJK words match anywhere ("图片").
  public func blacklist(_ words: [String], fields: [String] = ["instruction", "input"]) throws -> Dataset {
    for f in fields { try requireField(f, operation: "blacklist") }
    let needles = words.filter { !$0.isEmpty }.map { Array($0.lowercased().unicodeScalars) }
    return with(records.filter { r in
      for f in fields {
        let hay = Array(r.text(f).lowercased().unicodeScalars)
        for w in needles where BlacklistMatch.contains(hay, w) { return false }
      }
      return true
    })
  }

  /// How `length` measures text.
  public enum LengthUnit: String, Sendable {
    /// Unicode scalars (Python's `len`).
    case characters
    /// Whitespace-separated words (Alpaca's `len(inst.split())`).
    case words
    /// `MetricTokenizer` tokens (one per CJK character, Latin words).
    case tokens
  }

  /// Keeps records whose `field` length is within `min...max` (either bound optional).
  public func length(min lo: Int? = nil, max hi: Int? = nil, field: String = "instruction",
                     unit: LengthUnit = .characters) throws -> Dataset {
    try requireField(field, operation: "length")
    if let lo, let hi, lo > hi {
      throw DataError.invalidArgument(operation: "length", message: "min (\(lo)) is greater than max (\(hi))")
    }
    return with(records.filter { r in
      let n = Dataset.measure(r.text(field), unit)
      if let lo, n < lo { return false }
      if let hi, n > hi { return false }
      return true
    })
  }

  /// Length of `text` in `unit`.
  public static func measure(_ text: String, _ unit: LengthUnit) -> Int {
    switch unit {
    case .characters: return text.unicodeScalars.count
    case .words: return text.split(whereSeparator: { $0.isWhitespace }).count
    case .tokens:
      var n = 0
      MetricTokenizer.tokenize(text) { _ in n += 1 }
      return n
    }
  }

  /// Drops records where any of `fields` is missing, null or only whitespace.
  public func dropEmpty(_ fields: [String] = ["instruction", "output"]) throws -> Dataset {
    for f in fields { try requireField(f, operation: "drop_empty") }
    return with(records.filter { r in
      fields.allSatisfy { f in
        guard let v = r[f], v != .null else { return false }
        return !v.text.allSatisfy(\.isWhitespace)
      }
    })
  }
}

/// Word matching for `blacklist`.
enum BlacklistMatch {
  static func isWordScalar(_ u: Unicode.Scalar) -> Bool {
    if MetricTokenizer.isCJK(u.value) { return false }
    return u == "_" || u.properties.isAlphabetic || u.properties.numericType != nil
  }

  /// True if `needle` occurs in `hay` with word boundaries at Latin edges.
  static func contains(_ hay: [Unicode.Scalar], _ needle: [Unicode.Scalar]) -> Bool {
    guard let first = needle.first, let last = needle.last, needle.count <= hay.count else { return false }
    let checkStart = isWordScalar(first), checkEnd = isWordScalar(last)
    var i = 0
    while i + needle.count <= hay.count {
      if hay[i] == first && Array(hay[i..<i + needle.count]) == needle {
        let okStart = !checkStart || i == 0 || !isWordScalar(hay[i - 1])
        let j = i + needle.count
        let okEnd = !checkEnd || j == hay.count || !isWordScalar(hay[j])
        if okStart && okEnd { return true }
      }
      i += 1
    }
    return false
  }
}
