// Code-point positions of a long non-ASCII string, so a loop that indexes it
// (`for i in range(len(s)) { s[i] }` over a Chinese document) is linear, not
// quadratic: Swift finds the n-th code point of UTF-8 text by walking to it.
// The table marks every 64th code point; one table, for the string indexed
// last, is kept. A string is recognised by its buffer: the table holds the
// string, so the buffer cannot be freed and reused by another one meanwhile.

import Synchronization

final class CodePointTable: @unchecked Sendable {  // immutable after init
  /// Strings shorter than this (in UTF-8 bytes) are walked directly.
  static let minimumBytes = 512
  static let stride = 64
  private static let last = Mutex<CodePointTable?>(nil)

  let string: String
  /// The UTF-8 buffer, compared by address only (never read through).
  let base: UnsafeRawPointer
  let count: Int
  /// The index of code point k * stride, for every k.
  let marks: [String.Index]

  private init(_ s: String, base: UnsafeRawPointer) {
    string = s
    self.base = base
    var marks: [String.Index] = []
    var n = 0
    var i = s.unicodeScalars.startIndex
    while i != s.unicodeScalars.endIndex {
      if n % Self.stride == 0 { marks.append(i) }
      n += 1
      i = s.unicodeScalars.index(after: i)
    }
    count = n
    self.marks = marks
  }

  /// The table for `s`, built on first use; nil for short or ASCII strings.
  static func of(_ s: String) -> CodePointTable? {
    guard s.utf8.count >= minimumBytes,
          let base = s.utf8.withContiguousStorageIfAvailable({ $0.baseAddress.map(UnsafeRawPointer.init) }) ?? nil
    else { return nil }
    return last.withLock { cached in
      if let t = cached, t.base == base, t.string.utf8.count == s.utf8.count { return t }
      let t = CodePointTable(s, base: base)
      cached = t
      return t
    }
  }

  /// The index of code point `p` (0...count).
  func index(_ p: Int) -> String.Index {
    if p == count { return string.endIndex }
    let mark = marks[p / Self.stride]
    return string.unicodeScalars.index(mark, offsetBy: p % Self.stride)
  }
}
