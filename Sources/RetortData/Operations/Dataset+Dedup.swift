// Self-instruct filtering as Alpaca and BELLE do it: walk the records in
// order and keep one only if its ROUGE-L F-measure against every record
// already kept (and every record of `against`) is not above the threshold
// (their scripts drop a task when `max(rouge_scores) > 0.7`).
//
// Exact speedups (the result equals the plain O(N^2) loop, which the tests
// check): texts are tokenized once and interned to Int32; LCS is
// bit-parallel; length buckets skip pairs whose best possible F is below the
// threshold; candidates are processed in blocks whose comparisons against
// the records kept before the block run on several threads, and only the
// comparisons inside a block run in order. Whether a record survives does
// not depend on which thread finds a match, so results are deterministic.

import Foundation

extension Dataset {
  /// Records whose `by` text has ROUGE-L F <= `threshold` (at 1: are not the same tokens) against every
  /// earlier kept record and every record of `pool`, in order.
  ///
  /// - Parameters:
  ///   - threshold: in (0, 1]; self-instruct uses 0.7.
  ///   - by: the field compared (default "instruction").
  ///   - pool: existing records that new ones must also differ from (not returned).
  ///   - threads: worker threads (default: all cores).
  ///   - progress: called with (records examined, total) after each block.
  ///   - isCancelled: polled after each block; true stops with
  ///     `DataError.cancelled` holding the records kept so far.
  /// - Complexity: O(N * K * n/64 * L) worst case for N records, K kept,
  ///   texts of L tokens; far less when lengths differ.
  public func dedup(threshold: Double = 0.7, by field: String = "instruction", against pool: Dataset? = nil,
                    threads: Int? = nil, progress: ((Int, Int) -> Void)? = nil,
                    isCancelled: (() -> Bool)? = nil) throws -> Dataset {
    guard threshold > 0 && threshold <= 1 else {
      throw DataError.invalidArgument(operation: "dedup", message: "threshold must be in (0, 1], got \(threshold)")
    }
    try requireField(field, operation: "dedup")
    // A pool without the field would compare every record against empty texts, and remove nothing.
    if let pool, !pool.records.isEmpty, !pool.records.contains(where: { $0[field] != nil }) {
      throw DataError.invalidArgument(
        operation: "dedup",
        message: "the pool (against=) has no field '\(field)' to compare by; its fields: \(pool.fields.joined(separator: ", "))")
    }
    var interner = TokenInterner()
    let index = DedupIndex(threshold: threshold)
    for r in pool?.records ?? [] { index.add(interner.tokenIds(r.text(field))) }
    let tokens = records.map { interner.tokenIds($0.text(field)) }
    let vocabulary = interner.count
    var mainMatcher = DedupMatcher(vocabulary: vocabulary)
    let workers = max(1, threads ?? ProcessInfo.processInfo.activeProcessorCount)
    let blockSize = 128
    var keep = [Bool](repeating: false, count: count)
    var start = 0
    while start < count {
      let end = min(count, start + blockSize)
      let limit = index.texts.count
      // Phase 1, in parallel: each candidate against the records kept before this block.
      var rejected = [Bool](repeating: false, count: end - start)
      rejected.withUnsafeMutableBufferPointer { out in
        let out = UncheckedBuffer(out)
        let run = { (w: Int) in
          var matcher = DedupMatcher(vocabulary: vocabulary)
          var i = start + w
          while i < end {
            if !tokens[i].isEmpty {
              matcher.load(tokens[i])
              out.base[i - start] = index.anyMatch(matcher, limit: limit)
            }
            i += workers
          }
        }
        if workers == 1 || limit < 64 { run(0); for w in 1..<workers { run(w) } }
        else { DispatchQueue.concurrentPerform(iterations: workers, execute: run) }
      }
      // Phase 2, in order: survivors against the records kept inside this block.
      var blockKept: [Int] = []
      for i in start..<end where !rejected[i - start] {
        let t = tokens[i]
        var ok = true
        if !t.isEmpty && !blockKept.isEmpty {
          mainMatcher.load(t)
          for j in blockKept where !tokens[j].isEmpty {
            if index.matches(lcs: mainMatcher.lcs(tokens[j]), m: t.count, n: tokens[j].count) { ok = false; break }
          }
        }
        if ok { keep[i] = true; blockKept.append(i) }
      }
      for j in blockKept { index.add(tokens[j]) }
      start = end
      progress?(start, count)
      if start < count, isCancelled?() == true {
        let partial = with((0..<start).filter { keep[$0] }.map { records[$0] })
        throw DataError.cancelled(operation: "dedup", done: start, total: count, unit: "records", partial: partial)
      }
    }
    return with(records.indices.filter { keep[$0] }.map { records[$0] })
  }
}

/// A mutable buffer shared by worker threads that write disjoint elements.
struct UncheckedBuffer<T>: @unchecked Sendable {
  let base: UnsafeMutableBufferPointer<T>
  init(_ base: UnsafeMutableBufferPointer<T>) { self.base = base }
}
