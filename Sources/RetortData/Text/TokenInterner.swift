// Maps token strings to small integers so that LCS and ROUGE-L work on
// `[Int32]` (a comparison is one integer compare, and bit-parallel LCS can
// index masks by id).

/// Assigns each distinct token string a stable `Int32` id, in first-seen order.
public struct TokenInterner: Sendable {
  private var ids: [String: Int32] = [:]
  /// The token strings, indexed by id.
  public private(set) var strings: [String] = []

  /// An empty interner.
  public init() {}

  /// Number of distinct tokens seen so far.
  public var count: Int { strings.count }

  /// The id of `token`, assigning the next free id if it is new.
  public mutating func id(_ token: String) -> Int32 {
    if let id = ids[token] { return id }
    let id = Int32(strings.count)
    ids[token] = id
    strings.append(token)
    return id
  }

  /// The ids of `tokens`, in order.
  public mutating func ids(_ tokens: [String]) -> [Int32] {
    tokens.map { id($0) }
  }

  /// Tokenizes `text` with `MetricTokenizer` and returns the token ids.
  public mutating func tokenIds(_ text: String) -> [Int32] {
    var out: [Int32] = []
    MetricTokenizer.tokenize(text) { out.append(id($0)) }
    return out
  }
}
