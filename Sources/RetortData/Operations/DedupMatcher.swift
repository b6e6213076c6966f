// Bit-parallel LCS for dedup with a dense token table. Token ids in dedup
// are interned 0..<vocabulary, so a per-thread array maps a token straight
// to its mask row (no hashing): set for the candidate's tokens before a
// scan, cleared after. Same recurrence as `LCSPattern`, which tests compare
// it against through `dedup`'s brute-force reference.

/// One candidate's match masks over a dense token table owned by one thread.
struct DedupMatcher {
  /// rowOf[token] = mask row, or -1; all -1 between candidates.
  private var rowOf: [Int32]
  private var masks: [UInt64] = []
  private var tokens: [Int32] = []
  private var words = 1
  /// Candidate length in tokens.
  private(set) var count = 0

  init(vocabulary: Int) {
    rowOf = [Int32](repeating: -1, count: max(1, vocabulary))
  }

  /// Makes `candidate` the pattern (clearing the previous one).
  mutating func load(_ candidate: [Int32]) {
    for t in tokens { rowOf[Int(t)] = -1 }
    tokens = candidate
    count = candidate.count
    words = max(1, (count + 63) / 64)
    masks.removeAll(keepingCapacity: true)
    var rows: Int32 = 0
    for (pos, t) in candidate.enumerated() {
      var r = rowOf[Int(t)]
      if r < 0 {
        r = rows
        rowOf[Int(t)] = r
        rows += 1
        masks.append(contentsOf: repeatElement(0, count: words))
      }
      masks[Int(r) * words + pos >> 6] |= 1 << UInt64(pos & 63)
    }
  }

  /// LCS length of the loaded candidate and `text`.
  func lcs(_ text: [Int32]) -> Int {
    if count == 0 || text.isEmpty { return 0 }
    return rowOf.withUnsafeBufferPointer { rowOf in
      masks.withUnsafeBufferPointer { m in
        text.withUnsafeBufferPointer { text in
          if words == 1 {
            var v: UInt64 = ~0
            for t in text {
              let r = rowOf[Int(t)]
              if r < 0 { continue }
              let x = m[Int(r)]
              v = (v &+ (v & x)) | (v & ~x)
            }
            let valid: UInt64 = count == 64 ? ~0 : (1 << UInt64(count)) - 1
            return count - (v & valid).nonzeroBitCount
          }
          var v = [UInt64](repeating: ~0, count: words)
          for t in text {
            let r = rowOf[Int(t)]
            if r < 0 { continue }
            let base = Int(r) * words
            var carry: UInt64 = 0
            for w in 0..<words {
              let old = v[w]
              let x = m[base + w]
              let (s1, o1) = old.addingReportingOverflow(old & x)
              let (s2, o2) = s1.addingReportingOverflow(carry)
              carry = (o1 || o2) ? 1 : 0
              v[w] = s2 | (old & ~x)
            }
          }
          var ones = 0
          for w in 0..<words - 1 { ones += v[w].nonzeroBitCount }
          let tail = count - (words - 1) * 64
          let valid: UInt64 = tail == 64 ? ~0 : (1 << UInt64(tail)) - 1
          ones += (v[words - 1] & valid).nonzeroBitCount
          return count - ones
        }
      }
    }
  }
}
