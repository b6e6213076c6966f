// Per-category statistics: counts and length distributions of the
// instruction, input and output, in characters or in tokens.

extension Dataset {
  /// Mean, median, 95th percentile and maximum of a list of lengths.
  public struct LengthSummary: Sendable, Hashable {
    /// Arithmetic mean.
    public var mean: Double
    /// Middle value (mean of the middle two for an even count).
    public var median: Double
    /// 95th percentile, linear interpolation between ranks (NumPy's default).
    public var p95: Double
    /// Largest value.
    public var max: Int

    /// Summary of `values` (all zero when empty).
    public init(_ values: [Int]) {
      guard !values.isEmpty else { mean = 0; median = 0; p95 = 0; max = 0; return }
      let s = values.sorted()
      mean = s.reduce(0.0) { $0 + Double($1) } / Double(s.count)
      median = LengthSummary.percentile(s, 0.5)
      p95 = LengthSummary.percentile(s, 0.95)
      max = s[s.count - 1]
    }

    static func percentile(_ sorted: [Int], _ q: Double) -> Double {
      let pos = Double(sorted.count - 1) * q
      let lo = Int(pos.rounded(.down))
      let hi = Swift.min(lo + 1, sorted.count - 1)
      let frac = pos - Double(lo)
      return Double(sorted[lo]) + (Double(sorted[hi]) - Double(sorted[lo])) * frac
    }
  }

  /// Statistics of one category (or of all records).
  public struct CategoryStats: Sendable, Hashable {
    /// Normalised label ("" for records without a category, "all" for the total row, or
    /// "all (total)" when a category is named "all").
    public var key: String
    /// Label as first written.
    public var label: String
    /// Number of records.
    public var count: Int
    /// Instruction lengths.
    public var instruction: LengthSummary
    /// Input lengths.
    public var input: LengthSummary
    /// Output lengths.
    public var output: LengthSummary
  }

  /// Per-category statistics in first-appearance order, followed by a total
  /// row labelled "all". Lengths are characters (Unicode scalars, like
  /// Python's `len`) unless `tokenCount` is given (e.g. a model tokenizer);
  /// empty or missing text counts 0 either way.
  public func stats(tokenCount: ((String) throws -> Int)? = nil) rethrows -> [CategoryStats] {
    var order: [String] = []
    var labels: [String: String] = [:]
    var lengths: [String: ([Int], [Int], [Int])] = [:]
    var all: ([Int], [Int], [Int]) = ([], [], [])
    for r in records {
      let label = r.category ?? ""
      let key = CategoryLabel.normalize(label)
      if labels[key] == nil { labels[key] = label; order.append(key); lengths[key] = ([], [], []) }
      // Empty (or missing) text is 0 long: a tokenizer that adds BOS would count 1.
      func length(_ s: String) throws -> Int { s.isEmpty ? 0 : try tokenCount?(s) ?? s.unicodeScalars.count }
      let a = try length(r.instruction), b = try length(r.input), c = try length(r.output)
      lengths[key, default: ([], [], [])].0.append(a)
      lengths[key, default: ([], [], [])].1.append(b)
      lengths[key, default: ([], [], [])].2.append(c)
      all.0.append(a); all.1.append(b); all.2.append(c)
    }
    var out = order.map { k -> CategoryStats in
      let l = lengths[k] ?? ([], [], [])
      return CategoryStats(key: k, label: labels[k] ?? k, count: l.0.count, instruction: LengthSummary(l.0),
                           input: LengthSummary(l.1), output: LengthSummary(l.2))
    }
    // A category named "all" keeps its name; the total row then says it is the total.
    let total = lengths["all"] == nil ? "all" : "all (total)"
    out.append(CategoryStats(key: total, label: total, count: count, instruction: LengthSummary(all.0),
                             input: LengthSummary(all.1), output: LengthSummary(all.2)))
    return out
  }
}
