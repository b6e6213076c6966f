// Byte-level BPE tokenizer built from GGUF metadata (`tokenizer.ggml.model =
// gpt2`): vocabulary, merges, token types and special tokens.

/// Kinds of vocabulary entries (`tokenizer.ggml.token_type`).
public enum TokenType: Int, Sendable {
  case normal = 1, unknown = 2, control = 3, userDefined = 4, unused = 5, byte = 6
}

/// A byte-level BPE tokenizer. Immutable and safe to share between threads.
public final class Tokenizer: @unchecked Sendable {
  /// Token strings as stored (byte-mapped, e.g. "Ġthe").
  public let tokens: [String]
  /// Type of each token.
  public let types: [TokenType]
  /// The pre-tokenizer split.
  public let pre: PreTokenizer
  /// Beginning/end-of-sequence ids (nil when the file names none).
  public let bos: Int?, eos: Int?
  /// Whether `encode` adds BOS by default (`tokenizer.ggml.add_bos_token`).
  public let addBOS: Bool
  /// Control and user-defined tokens, matched in text before BPE.
  public let specialIDs: [Int]
  /// Tokens that end a generation: EOS and end-of-turn control tokens.
  public let endOfGeneration: Set<Int>

  let ids: [String: Int]
  /// Merge rank and result for a pair of ids packed as `left << 32 | right`.
  let merges: [UInt64: (rank: Int32, id: Int32)]
  /// Token id of each byte's single-character token.
  let byteToken: [Int32]
  /// Special tokens by first scalar, longest first.
  let specialByFirst: [UInt32: [(scalars: [Unicode.Scalar], id: Int)]]
  /// Decoded bytes of every token.
  let tokenBytes: [[UInt8]]

  /// Builds a tokenizer from vocabulary and merges.
  public init(tokens: [String], types: [TokenType]? = nil, merges mergeList: [String],
              pre: PreTokenizer, bos: Int? = nil, eos: Int? = nil, addBOS: Bool = false) throws {
    guard !tokens.isEmpty else { throw ModelError("tokenizer has an empty vocabulary") }
    let types = types ?? [TokenType](repeating: .normal, count: tokens.count)
    guard types.count == tokens.count else {
      throw ModelError("tokenizer has \(tokens.count) tokens but \(types.count) token types")
    }
    for (name, id) in [("bos", bos), ("eos", eos)] {
      if let id, !(0..<tokens.count).contains(id) {
        throw ModelError("tokenizer \(name) token id \(id) is outside the vocabulary of \(tokens.count)")
      }
    }
    self.tokens = tokens
    self.types = types
    self.pre = pre
    self.bos = bos
    self.eos = eos
    self.addBOS = addBOS
    var ids: [String: Int] = [:]
    ids.reserveCapacity(tokens.count)
    for (i, t) in tokens.enumerated() where ids[t] == nil { ids[t] = i }
    self.ids = ids

    var merges: [UInt64: (rank: Int32, id: Int32)] = [:]
    merges.reserveCapacity(mergeList.count)
    for (rank, m) in mergeList.enumerated() {
      let parts = m.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
      guard parts.count == 2 else { throw ModelError("tokenizer merge \(rank) '\(m)' is not two tokens separated by a space") }
      let a = String(parts[0]), b = String(parts[1])
      guard let l = ids[a], let r = ids[b], let res = ids[a + b] else { continue }
      let key = UInt64(l) << 32 | UInt64(r)
      if merges[key] == nil { merges[key] = (Int32(rank), Int32(res)) }
    }
    self.merges = merges

    byteToken = (0..<256).map { b in Int32(ids[String(Character(ByteUnicode.encoder[b]))] ?? -1) }

    var special: [Int] = []
    var byFirst: [UInt32: [(scalars: [Unicode.Scalar], id: Int)]] = [:]
    for (i, t) in types.enumerated() where (t == .control || t == .userDefined) && !tokens[i].isEmpty {
      special.append(i)
      let sc = Array(tokens[i].unicodeScalars)
      byFirst[sc[0].value, default: []].append((sc, i))
    }
    for k in byFirst.keys { byFirst[k]?.sort { $0.scalars.count > $1.scalars.count } }
    specialIDs = special
    var eog: Set<Int> = eos.map { [$0] } ?? []
    for i in special where ["<|endoftext|>", "<|im_end|>", "<|eot_id|>", "<|end|>", "<|end_of_text|>"].contains(tokens[i]) {
      eog.insert(i)
    }
    endOfGeneration = eog
    specialByFirst = byFirst

    tokenBytes = tokens.enumerated().map { i, t in
      if types[i] == .userDefined || types[i] == .control { return Array(t.utf8) }
      var out: [UInt8] = []
      for s in t.unicodeScalars {
        if let b = ByteUnicode.decoder[s.value] { out.append(b) } else { out.append(contentsOf: Array(String(Character(s)).utf8)) }
      }
      return out
    }
  }

  /// Vocabulary size.
  public var vocabularySize: Int { tokens.count }

  /// The id of token string `piece` (as stored, e.g. "<|im_end|>"), or nil.
  public func id(of piece: String) -> Int? { ids[piece] }

  /// Token ids for `text`. Control tokens written in the text are matched
  /// first when `parseSpecial`; user-defined tokens (those `extend_vocab` adds)
  /// always are, as llama.cpp does. BOS is prepended when `addBOS` (default: the
  /// file's setting).
  public func encode(_ text: String, addBOS: Bool? = nil, parseSpecial: Bool = true) -> [Int] {
    var out: [Int] = []
    if addBOS ?? self.addBOS, let bos { out.append(bos) }
    let scalars = Array(text.unicodeScalars)
    var start = 0
    var i = 0
    while i < scalars.count {
      if let cands = specialByFirst[scalars[i].value],
         let hit = cands.first(where: { (parseSpecial || types[$0.id] == .userDefined) && matches($0.scalars, scalars, at: i) }) {
        if start < i { encodeOrdinary(scalars[start..<i], into: &out) }
        out.append(hit.id)
        i += hit.scalars.count
        start = i
      } else {
        i += 1
      }
    }
    if start < scalars.count { encodeOrdinary(scalars[start..<scalars.count], into: &out) }
    return out
  }

  private func matches(_ needle: [Unicode.Scalar], _ hay: [Unicode.Scalar], at i: Int) -> Bool {
    guard i + needle.count <= hay.count else { return false }
    for k in 0..<needle.count where hay[i + k] != needle[k] { return false }
    return true
  }

  private func encodeOrdinary(_ text: ArraySlice<Unicode.Scalar>, into out: inout [Int]) {
    let s = Array(text)
    for r in pre.split(s) {
      var bytes: [UInt8] = []
      for c in s[r] { bytes.append(contentsOf: Array(String(Character(c)).utf8)) }
      bpe(bytes, into: &out)
    }
  }

  /// Applies the merges to one piece's bytes: repeatedly merges the
  /// adjacent pair with the lowest rank (leftmost on ties), using a heap of
  /// candidate pairs over a linked list, so long pieces (runs of spaces)
  /// take O(n log n).
  func bpe(_ bytes: [UInt8], into out: inout [Int]) {
    let n = bytes.count
    var sym: [Int32] = bytes.map { byteToken[Int($0)] }
    if sym.contains(-1) {
      // A byte with no token (not a well-formed byte-level vocabulary): emit id 0 for it.
      for s in sym { out.append(s >= 0 ? Int(s) : 0) }
      return
    }
    if n == 1 { out.append(Int(sym[0])); return }
    var next = Array(1...n), prev = Array(-1..<(n - 1))
    var alive = [Bool](repeating: true, count: n)
    var heap = PairHeap()
    func consider(_ i: Int) {
      let j = next[i]
      guard i >= 0, j < n, let m = merges[UInt64(UInt32(sym[i])) << 32 | UInt64(UInt32(sym[j]))] else { return }
      heap.push(.init(rank: m.rank, left: Int32(i), leftID: sym[i], rightID: sym[j], result: m.id))
    }
    for i in 0..<(n - 1) { consider(i) }
    while let c = heap.pop() {
      let i = Int(c.left)
      let j = next[i]
      // Skip stale candidates whose symbols changed since they were queued.
      guard alive[i], j < n, sym[i] == c.leftID, sym[j] == c.rightID else { continue }
      sym[i] = c.result
      alive[j] = false
      next[i] = next[j]
      if next[j] < n { prev[next[j]] = i }
      if prev[i] >= 0 { consider(prev[i]) }
      consider(i)
    }
    var i = 0
    while i < n { out.append(Int(sym[i])); i = next[i] }
  }

  /// The bytes of `ids` concatenated (special tokens as their text).
  public func decodeBytes(_ ids: [Int]) -> [UInt8] {
    var out: [UInt8] = []
    for id in ids where id >= 0 && id < tokenBytes.count { out.append(contentsOf: tokenBytes[id]) }
    return out
  }

  /// The text of `ids`; invalid UTF-8 becomes U+FFFD. Out-of-range ids are skipped.
  public func decode(_ ids: [Int]) -> String {
    String(decoding: decodeBytes(ids), as: UTF8.self)
  }

  /// The text of one token, as a display piece (e.g. " the").
  public func piece(_ id: Int) -> String {
    guard id >= 0 && id < tokenBytes.count else { return "<invalid \(id)>" }
    return String(decoding: tokenBytes[id], as: UTF8.self)
  }

  /// A table of ids and pieces for display (`m.tokenize(text)`).
  public func table(_ text: String) -> [(id: Int, piece: String)] {
    encode(text).map { ($0, piece($0)) }
  }
}
