// Strings are sequences of Unicode code points, as in Python: len, indexing,
// slicing, iteration, search and comparison count and compare code points
// (Swift's unicodeScalars), never grapheme clusters: "\r\n" and "e\u{301}"
// are two each, and a string equals only the same code points (Swift's own
// == would also equal "é" to "e\u{301}").
//
// Rationale: a user's text (a CRLF file, decomposed accents) must look the
// same to every operation; Swift's Character view made split and count miss
// the "\n" of "\r\n" that `in` and replace found.

extension String {
  /// Whether every code point is ASCII; O(1) for native strings (the UTF-16
  /// count of ASCII text is its UTF-8 count, and the string knows it is ASCII).
  var isASCIIText: Bool { utf8.count == utf16.count }

  /// Number of code points (Python's `len`): O(1) for ASCII, else one pass
  /// (once for a long string: see `CodePointTable`).
  var codePointCount: Int {
    if isASCIIText { return utf8.count }
    return CodePointTable.of(self)?.count ?? unicodeScalars.count
  }

  /// The index of code point `offset` counted from the start (or, for a
  /// negative offset, from the end); nil past either end. O(1) for ASCII,
  /// O(1) after the first use for a long string (`CodePointTable`), else O(|offset|).
  func codePointIndex(_ offset: Int) -> String.Index? {
    if isASCIIText {
      let p = offset < 0 ? offset + utf8.count : offset
      guard p >= 0 && p <= utf8.count else { return nil }
      return utf8.index(startIndex, offsetBy: p)
    }
    if let t = CodePointTable.of(self) {
      let p = offset < 0 ? offset + t.count : offset
      guard p >= 0 && p <= t.count else { return nil }
      return t.index(p)
    }
    if offset < 0 { return unicodeScalars.index(endIndex, offsetBy: offset, limitedBy: startIndex) }
    return unicodeScalars.index(startIndex, offsetBy: offset, limitedBy: endIndex)
  }

  /// The code point at `offset` (negative counts from the end) as a string,
  /// or nil when out of range.
  func codePoint(at offset: Int) -> String? {
    guard let i = codePointIndex(offset), i != endIndex else { return nil }
    return String(unicodeScalars[i])
  }

  /// The code points a Python slice `[start:stop:step]` selects.
  func codePoints(_ start: Int?, _ stop: Int?, _ step: Int?) -> String {
    let picked = sliceIndices(start, stop, step, count: codePointCount)
    guard let first = picked.first, let last = picked.last else { return "" }
    if (step ?? 1) == 1, let lo = codePointIndex(first), let hi = codePointIndex(last + 1) {
      return String(Substring(unicodeScalars[lo..<hi]))
    }
    let scalars = Array(unicodeScalars)
    var out = String.UnicodeScalarView()
    for i in picked { out.append(scalars[i]) }
    return String(out)
  }

  /// Each code point as a one-code-point string (`for c in s`, `list(s)`).
  var codePointStrings: [String] { unicodeScalars.map { String($0) } }

  /// Equality of code points (Python's ==): the UTF-8 bytes are the same.
  func sameCodePoints(_ other: String) -> Bool { utf8.elementsEqual(other.utf8) }

  /// Ordering by code points (Python's <); UTF-8 byte order is code point order.
  func precedesByCodePoints(_ other: String) -> Bool { utf8.lexicographicallyPrecedes(other.utf8) }
}
