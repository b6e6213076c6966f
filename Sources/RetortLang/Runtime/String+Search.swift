// Substring search by code points, for `in`, find, count, split and replace.
// It runs on UTF-8 bytes: a match of valid UTF-8 in valid UTF-8 always
// starts and ends on code point boundaries, so byte offsets convert back
// exactly, and nothing is normalised ("e\u{301}" contains "e").

import Foundation

extension String {
  /// Byte offsets of the non-overlapping occurrences of `needle` (not
  /// empty), left to right, at most `limit` of them.
  func utf8Matches(of needle: String, limit: Int = .max) -> [Int] {
    let hay = Array(utf8), pin = Array(needle.utf8)
    var found: [Int] = []
    var from = 0
    while found.count < limit, let at = Self.firstMatch(hay, pin, from: from) {
      found.append(at)
      from = at + pin.count
    }
    return found
  }

  /// Whether `needle` occurs (the empty string occurs everywhere).
  func containsCodePoints(_ needle: String) -> Bool {
    needle.isEmpty || Self.firstMatch(Array(utf8), Array(needle.utf8), from: 0) != nil
  }

  /// The code point offset of the first `needle`, or nil.
  func codePointOffset(of needle: String) -> Int? {
    let hay = Array(utf8)
    guard let at = Self.firstMatch(hay, Array(needle.utf8), from: 0) else { return nil }
    return hay[..<at].reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }  // count lead bytes
  }

  /// The pieces between the first `limit` occurrences of `separator`.
  func splitByCodePoints(_ separator: String, limit: Int = .max) -> [String] {
    let bytes = Array(utf8), width = separator.utf8.count
    var pieces: [String] = []
    var start = 0
    for at in utf8Matches(of: separator, limit: limit) {
      pieces.append(String(decoding: bytes[start..<at], as: UTF8.self))
      start = at + width
    }
    pieces.append(String(decoding: bytes[start...], as: UTF8.self))
    return pieces
  }

  /// A copy with the first `limit` occurrences of `old` (not empty) replaced by `new`.
  func replacingCodePoints(_ old: String, with new: String, limit: Int = .max) -> String {
    let bytes = Array(utf8), width = old.utf8.count
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var start = 0
    for at in utf8Matches(of: old, limit: limit) {
      out += bytes[start..<at]
      out += new.utf8
      start = at + width
    }
    out += bytes[start...]
    return String(decoding: out, as: UTF8.self)
  }

  /// The first byte offset at or after `from` where `needle` (not empty)
  /// occurs in `hay`: memchr for its first byte, then memcmp.
  static func firstMatch(_ hay: [UInt8], _ needle: [UInt8], from: Int) -> Int? {
    let m = needle.count
    guard m > 0, from >= 0, hay.count - from >= m else { return nil }
    return hay.withUnsafeBufferPointer { h -> Int? in
      needle.withUnsafeBufferPointer { n -> Int? in
        guard let hb = h.baseAddress, let nb = n.baseAddress else { return nil }
        var i = from
        let last = h.count - m
        while i <= last {
          guard let p = memchr(hb + i, Int32(nb.pointee), last - i + 1) else { return nil }
          let at = hb.distance(to: p.assumingMemoryBound(to: UInt8.self))
          if memcmp(hb + at, nb, m) == 0 { return at }
          i = at + 1
        }
        return nil
      }
    }
  }
}
