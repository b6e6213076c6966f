// Seeded random selections. Results keep the dataset's order except
// `sample` and `shuffle`, whose order is the random order.

extension Dataset {
  /// `n` records drawn without replacement, in random order.
  ///
  /// - Throws: `invalidArgument` if `n` is negative or larger than the dataset.
  public func sample(_ n: Int, seed: UInt64) throws -> Dataset {
    guard n >= 0 && n <= count else {
      throw DataError.invalidArgument(operation: "sample",
                                      message: "n=\(n) but the dataset has \(count) records (expected 0...\(count))")
    }
    var g = SeededGenerator(seed: seed)
    return with(g.choose(n, from: count).map { records[$0] })
  }

  /// All records in a random order fixed by `seed`.
  public func shuffle(seed: UInt64) -> Dataset {
    var g = SeededGenerator(seed: seed)
    return with(g.permutation(count).map { records[$0] })
  }

  /// Splits into (first, second) with round(count x fraction) records in the
  /// first; both keep the original order. With `stratify`, every value of
  /// that field (category: normalised) is split in about the same proportion:
  /// each stratum gives the whole part of its share, and the records still
  /// owed to the total go to the strata with the largest leftover fractions
  /// (ties drawn with `seed`), so small strata cannot push the split off its
  /// fraction (10 categories of 3 split 0.9 give 27 and 3, not 30 and 0).
  ///
  /// - Throws: `invalidArgument` unless 0 <= fraction <= 1; `unknownField`
  ///   for a stratify field no record has.
  public func split(_ fraction: Double, seed: UInt64, stratify: String? = nil) throws -> (Dataset, Dataset) {
    guard fraction >= 0 && fraction <= 1 else {
      throw DataError.invalidArgument(operation: "split", message: "fraction must be between 0 and 1, got \(fraction)")
    }
    var g = SeededGenerator(seed: seed)
    var inFirst = [Bool](repeating: false, count: count)
    let strata: [[Int]]
    if let field = stratify {
      try requireField(field, operation: "split")
      strata = strataIndexes(field)
    } else {
      strata = [Array(records.indices)]
    }
    for (members, k) in zip(strata, Self.apportion(strata.map(\.count), fraction, seed: seed)) {
      for j in g.choose(k, from: members.count) { inFirst[members[j]] = true }
    }
    var a: [Record] = [], b: [Record] = []
    for (i, r) in records.enumerated() { if inFirst[i] { a.append(r) } else { b.append(r) } }
    return (with(a), with(b))
  }

  /// How many of each stratum's `sizes` go to the first part: together
  /// round(total x fraction), each the floor or the ceiling of its own share
  /// (largest remainders; equal remainders in an order drawn from `seed`).
  static func apportion(_ sizes: [Int], _ fraction: Double, seed: UInt64) -> [Int] {
    let shares = sizes.map { Double($0) * fraction }
    var counts = shares.map { Int($0.rounded(.down)) }
    let target = Int((Double(sizes.reduce(0, +)) * fraction).rounded())
    var owed = target - counts.reduce(0, +)
    guard owed > 0 else { return counts }
    var tieBreak = SeededGenerator(seed: seed ^ 0x5EED_57A7)
    let rank = tieBreak.permutation(sizes.count)
    let order = sizes.indices.sorted {
      let a = shares[$0] - Double(counts[$0]), b = shares[$1] - Double(counts[$1])
      return a != b ? a > b : rank[$0] < rank[$1]
    }
    for i in order where owed > 0 && counts[i] < sizes[i] {
      counts[i] += 1
      owed -= 1
    }
    return counts
  }

  /// Indexes of records per distinct value of `field`, in first-appearance order.
  func strataIndexes(_ field: String) -> [[Int]] {
    let isCategory = field == "category"
    var index: [String: Int] = [:]
    var out: [[Int]] = []
    for (i, r) in records.enumerated() {
      let label = r[field]?.text ?? ""
      let key = isCategory ? CategoryLabel.normalize(label) : label
      if let j = index[key] { out[j].append(i) } else { index[key] = out.count; out.append([i]) }
    }
    return out
  }

  /// At most `perCategory` records of each category, drawn with `seed`,
  /// in the original order. Records without a category form one group.
  public func balance(perCategory: Int, seed: UInt64) throws -> Dataset {
    guard perCategory >= 0 else {
      throw DataError.invalidArgument(operation: "balance", message: "per_category must be >= 0, got \(perCategory)")
    }
    var g = SeededGenerator(seed: seed)
    var keep = [Bool](repeating: false, count: count)
    for members in strataIndexes("category") {
      for j in g.choose(perCategory, from: members.count) { keep[members[j]] = true }
    }
    return with(records.indices.filter { keep[$0] }.map { records[$0] })
  }
}
