// Turns a stream of token bytes into text, holding back an incomplete UTF-8
// sequence at the end until the token that completes it arrives. A sequence
// still incomplete when generation ends (the token limit cut a character in
// two) is dropped: it is not text, and U+FFFD in its place would go on into
// answer caches, ROUGE scores and judge prompts.

/// Incremental UTF-8 decoding of token bytes.
struct UTF8Stream {
  private var pending: [UInt8] = []

  /// Adds bytes; returns the text that is now complete.
  mutating func append(_ bytes: [UInt8]) -> String {
    pending += bytes
    // Find where a trailing incomplete sequence starts (at most 3 bytes back).
    var cut = pending.count
    var k = pending.count - 1
    var back = 0
    while k >= 0, back < 4 {
      let b = pending[k]
      if b & 0xC0 != 0x80 {  // a lead byte or ASCII
        let need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
        if pending.count - k < need { cut = k }
        break
      }
      k -= 1
      back += 1
    }
    let ready = Array(pending[..<cut])
    pending.removeFirst(cut)
    return String(decoding: ready, as: UTF8.self)
  }

  /// True while the bytes so far end inside a character.
  var hasIncompleteCharacter: Bool { !pending.isEmpty }
}
