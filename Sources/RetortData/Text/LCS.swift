// Longest common subsequence length, two ways:
// - `LCS.referenceLength`: the textbook O(m*n) dynamic programme, kept as the
//   plain reference that tests compare the fast path against;
// - `LCSPattern`: bit-parallel LCS (Allison-Dix 1986, in Hyyrö's 2004 form
//   V' = (V + (V & M)) | (V & ~M)), O(ceil(m/64) * n) word operations.
//   The pattern (one side) is preprocessed once into per-token match masks and
//   then compared against many texts, which is what dedup does.

/// Longest-common-subsequence helpers.
public enum LCS {
  /// LCS length of `a` and `b` by dynamic programming (the reference).
  ///
  /// - Complexity: O(a.count * b.count) time, O(b.count) memory.
  public static func referenceLength<T: Equatable>(_ a: [T], _ b: [T]) -> Int {
    if a.isEmpty || b.isEmpty { return 0 }
    var prev = [Int](repeating: 0, count: b.count + 1)
    var cur = prev
    for i in 0..<a.count {
      for j in 0..<b.count {
        cur[j + 1] = a[i] == b[j] ? prev[j] + 1 : max(prev[j + 1], cur[j])
      }
      swap(&prev, &cur)
    }
    return prev[b.count]
  }

  /// LCS length of two token-id sequences, bit-parallel.
  public static func length(_ a: [Int32], _ b: [Int32]) -> Int {
    if a.isEmpty || b.isEmpty { return 0 }
    // The shorter side as the pattern needs fewer words per step.
    return a.count <= b.count ? LCSPattern(a).length(against: b) : LCSPattern(b).length(against: a)
  }
}

/// A token sequence preprocessed for bit-parallel LCS against many texts.
public struct LCSPattern: Sendable {
  /// Pattern length in tokens.
  public let count: Int
  /// 64-bit words per mask.
  let words: Int
  /// Open-addressing table: token id per slot (-1 = empty) and its mask row.
  let slotTokens: [Int32]
  let slotRows: [Int32]
  let slotMask: Int
  /// Match masks, `words` words per distinct token (row-major).
  let masks: [UInt64]

  /// Preprocesses `tokens` (the pattern).
  public init(_ tokens: [Int32]) {
    count = tokens.count
    words = max(1, (tokens.count + 63) / 64)
    var capacity = 4
    while capacity < tokens.count * 2 { capacity <<= 1 }
    var slotTokens = [Int32](repeating: -1, count: capacity)
    var slotRows = [Int32](repeating: 0, count: capacity)
    var masks: [UInt64] = []
    var rows: Int32 = 0
    for (pos, t) in tokens.enumerated() {
      var s = LCSPattern.hash(t) & (capacity - 1)
      while slotTokens[s] != -1 && slotTokens[s] != t { s = (s + 1) & (capacity - 1) }
      if slotTokens[s] == -1 {
        slotTokens[s] = t
        slotRows[s] = rows
        rows += 1
        masks.append(contentsOf: repeatElement(0, count: words))
      }
      let row = Int(slotRows[s])
      masks[row * words + pos >> 6] |= 1 << UInt64(pos & 63)
    }
    self.slotTokens = slotTokens
    self.slotRows = slotRows
    self.slotMask = capacity - 1
    self.masks = masks
  }

  @inline(__always) static func hash(_ t: Int32) -> Int {
    Int(truncatingIfNeeded: (UInt64(UInt32(bitPattern: t)) &* 0x9E37_79B9_7F4A_7C15) >> 32)
  }

  /// Mask row of token `t`, or -1 when the pattern does not contain it.
  @inline(__always) func row(_ t: Int32) -> Int {
    var s = LCSPattern.hash(t) & slotMask
    while true {
      let k = slotTokens[s]
      if k == t { return Int(slotRows[s]) }
      if k == -1 { return -1 }
      s = (s + 1) & slotMask
    }
  }

  /// LCS length of the pattern and `text`.
  public func length(against text: [Int32]) -> Int {
    if count == 0 || text.isEmpty { return 0 }
    return masks.withUnsafeBufferPointer { m in
      if words == 1 {
        var v: UInt64 = ~0
        for t in text {
          let r = row(t)
          if r < 0 { continue }
          let x = m[r]
          v = (v &+ (v & x)) | (v & ~x)
        }
        let valid: UInt64 = count == 64 ? ~0 : (1 << UInt64(count)) - 1
        return count - (v & valid).nonzeroBitCount
      }
      var v = [UInt64](repeating: ~0, count: words)
      return v.withUnsafeMutableBufferPointer { vp in
        for t in text {
          let r = row(t)
          if r < 0 { continue }
          let base = r * words
          var carry: UInt64 = 0
          for w in 0..<words {
            let old = vp[w]
            let x = m[base + w]
            let (s1, o1) = old.addingReportingOverflow(old & x)
            let (s2, o2) = s1.addingReportingOverflow(carry)
            carry = (o1 || o2) ? 1 : 0
            vp[w] = s2 | (old & ~x)
          }
        }
        var ones = 0
        for w in 0..<words - 1 { ones += vp[w].nonzeroBitCount }
        let tail = count - (words - 1) * 64
        let valid: UInt64 = tail == 64 ? ~0 : (1 << UInt64(tail)) - 1
        ones += (vp[words - 1] & valid).nonzeroBitCount
        return count - ones
      }
    }
  }
}
