// Stop strings during streaming: text is released only once it cannot be
// the start of a stop string, so a stop string never reaches the screen.

/// Tracks generated text against stop strings.
public struct StopMatcher: Sendable {
  public let stops: [String]
  /// All text accepted so far (without any stop string).
  public private(set) var text = ""
  /// Whether a stop string was seen.
  public private(set) var stopped = false
  private var released = 0  // characters of `text` already handed out

  public init(stops: [String]) { self.stops = stops.filter { !$0.isEmpty } }

  /// Adds newly decoded text; returns the part that is now safe to show.
  public mutating func append(_ piece: String) -> String {
    guard !stopped else { return "" }
    text += piece
    for s in stops {
      if let r = text.range(of: s) {
        text = String(text[..<r.lowerBound])
        stopped = true
        return flush()
      }
    }
    // Hold back the longest suffix that is a prefix of some stop string.
    var hold = 0
    for s in stops {
      var n = min(s.count, text.count)
      while n > hold {
        if text.hasSuffix(String(s.prefix(n))) { hold = n; break }
        n -= 1
      }
    }
    let safe = text.count - hold
    guard safe > released else { return "" }
    let start = text.index(text.startIndex, offsetBy: released)
    let end = text.index(text.startIndex, offsetBy: safe)
    released = safe
    return String(text[start..<end])
  }

  /// Releases whatever is held back (at the end of generation).
  public mutating func flush() -> String {
    guard text.count > released else { return "" }
    let out = String(text.dropFirst(released))
    released = text.count
    return out
  }
}
