// Byte-level BPE training (as GPT-2's tokenizer was built): texts are split
// by the pre-tokenizer, each piece starts as its bytes, and the most frequent
// adjacent pair is merged repeatedly until the vocabulary is full. Pair counts
// are updated incrementally for the words a merge touches, and the best pair
// comes from a lazy max-heap; ties go to the smaller (left, right) ids, so the
// result is deterministic.

/// Learns byte-level BPE tokenizers from text.
public enum BPETrainer {
  /// Special tokens every trained tokenizer gets (ids 256, 257, 258; 256 is EOS).
  public static let specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]

  /// A tokenizer with 256 byte tokens, the special tokens and up to `vocab - 259`
  /// merges learned from `texts` (pairs seen fewer than `minFrequency` times are not merged).
  /// `isCancelled` stops early, keeping the merges learned so far.
  public static func train(_ texts: [String], vocab: Int, pre: PreTokenizer = .gpt2, minFrequency: Int = 2,
                           progress: ((Int, Int) -> Void)? = nil, isCancelled: () -> Bool = { false }) throws -> Tokenizer {
    guard vocab >= 259, vocab <= 1 << 20 else {
      throw ModelError("train_bpe: vocab must be in 259...1048576 (256 bytes + 3 special tokens at least), got \(vocab)")
    }
    // Unique pieces with counts.
    var pieceIndex: [[UInt8]: Int] = [:]
    var words: [[Int32]] = []
    var counts: [Int] = []
    for t in texts {
      let scalars = Array(t.unicodeScalars)
      for r in pre.split(scalars) {
        var bytes: [UInt8] = []
        for s in scalars[r] { bytes += Array(String(Character(s)).utf8) }
        if let i = pieceIndex[bytes] { counts[i] += 1 } else {
          pieceIndex[bytes] = words.count
          words.append(bytes.map { Int32($0) })
          counts.append(1)
        }
      }
    }
    var tokens = ByteUnicode.encoder.map { String(Character($0)) } + specials
    var merges: [String] = []
    var pairCount: [UInt64: Int] = [:]
    var wordsOf: [UInt64: [Int]] = [:]
    @inline(__always) func key(_ a: Int32, _ b: Int32) -> UInt64 { UInt64(UInt32(a)) << 32 | UInt64(UInt32(b)) }
    for (w, syms) in words.enumerated() where syms.count > 1 {
      for k in 0..<(syms.count - 1) {
        let p = key(syms[k], syms[k + 1])
        pairCount[p, default: 0] += counts[w]
        wordsOf[p, default: []].append(w)
      }
    }
    var heap = MergeHeap()
    for (p, c) in pairCount { heap.push(c, p) }
    let target = vocab - tokens.count
    while merges.count < target {
      if isCancelled() { break }
      guard let (c, p) = heap.pop() else { break }
      guard pairCount[p] == c else { continue }  // stale entry
      guard c >= minFrequency else { break }
      let a = Int32(truncatingIfNeeded: p >> 32), b = Int32(truncatingIfNeeded: p & 0xffff_ffff)
      let new = Int32(tokens.count)
      tokens.append(tokens[Int(a)] + tokens[Int(b)])
      merges.append(tokens[Int(a)] + " " + tokens[Int(b)])
      var touched = Set<UInt64>()
      var seen = Set<Int>()
      for w in wordsOf[p] ?? [] where seen.insert(w).inserted {
        let old = words[w]
        guard old.count > 1 else { continue }
        var merged: [Int32] = []
        merged.reserveCapacity(old.count)
        var i = 0, changed = false
        while i < old.count {
          if i + 1 < old.count && old[i] == a && old[i + 1] == b {
            merged.append(new); i += 2; changed = true
          } else {
            merged.append(old[i]); i += 1
          }
        }
        guard changed else { continue }
        for k in 0..<(old.count - 1) {
          let q = key(old[k], old[k + 1])
          pairCount[q, default: 0] -= counts[w]
          touched.insert(q)
        }
        if merged.count > 1 {
          for k in 0..<(merged.count - 1) {
            let q = key(merged[k], merged[k + 1])
            pairCount[q, default: 0] += counts[w]
            if merged[k] == new || merged[k + 1] == new { wordsOf[q, default: []].append(w) }
            touched.insert(q)
          }
        }
        words[w] = merged
      }
      wordsOf[p] = nil
      pairCount[p] = nil
      for q in touched.sorted() {
        if let c = pairCount[q], c > 0 { heap.push(c, q) } else { pairCount[q] = nil }
      }
      progress?(merges.count, target)
    }
    let types = [TokenType](repeating: .normal, count: 256) + [.control, .control, .control]
      + [TokenType](repeating: .normal, count: tokens.count - 259)
    return try Tokenizer(tokens: tokens, types: types, merges: merges, pre: pre, bos: nil, eos: 256, addBOS: false)
  }
}

/// A binary max-heap of (count, pair); ties pop the smaller pair first.
struct MergeHeap {
  private var items: [(count: Int, pair: UInt64)] = []

  private static func above(_ x: (count: Int, pair: UInt64), _ y: (count: Int, pair: UInt64)) -> Bool {
    x.count != y.count ? x.count > y.count : x.pair < y.pair
  }

  mutating func push(_ count: Int, _ pair: UInt64) {
    items.append((count, pair))
    var i = items.count - 1
    while i > 0 {
      let parent = (i - 1) / 2
      guard MergeHeap.above(items[i], items[parent]) else { break }
      items.swapAt(i, parent)
      i = parent
    }
  }

  mutating func pop() -> (Int, UInt64)? {
    guard let top = items.first else { return nil }
    let last = items.removeLast()
    if !items.isEmpty {
      items[0] = last
      var i = 0
      while true {
        let l = 2 * i + 1, r = l + 1
        var best = i
        if l < items.count && MergeHeap.above(items[l], items[best]) { best = l }
        if r < items.count && MergeHeap.above(items[r], items[best]) { best = r }
        if best == i { break }
        items.swapAt(i, best)
        i = best
      }
    }
    return (top.count, top.pair)
  }
}

extension Tokenizer {
  /// Mean tokens per character of `texts` (lower is more compact).
  public func tokensPerCharacter(_ texts: [String]) -> Double {
    var toks = 0, chars = 0
    for t in texts {
      toks += encode(t, addBOS: false).count
      chars += t.count
    }
    return chars > 0 ? Double(toks) / Double(chars) : 0
  }
}
