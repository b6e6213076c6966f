// PythonText: the few Python `str` behaviours the reference metrics depend on (whitespace per
// `str.isspace`, `split()`, `strip()`, literal replace), on Unicode scalars like Python code points.

enum PythonText {
  /// `str.isspace()` for one code point (the 29 code points CPython treats as whitespace).
  static func isSpace(_ c: Unicode.Scalar) -> Bool {
    switch c.value {
    case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F,
      0x205F, 0x3000:
      return true
    default: return false
    }
  }

  /// `str.split()` with no arguments.
  static func split(_ s: [Unicode.Scalar]) -> [String] {
    var out: [String] = []
    var cur = String.UnicodeScalarView()
    for c in s {
      if isSpace(c) {
        if !cur.isEmpty { out.append(String(cur)); cur = String.UnicodeScalarView() }
      } else {
        cur.append(c)
      }
    }
    if !cur.isEmpty { out.append(String(cur)) }
    return out
  }

  /// `str.strip()` with no arguments.
  static func strip(_ s: [Unicode.Scalar]) -> ArraySlice<Unicode.Scalar> {
    var lo = s.startIndex, hi = s.endIndex
    while lo < hi, isSpace(s[lo]) { lo += 1 }
    while hi > lo, isSpace(s[hi - 1]) { hi -= 1 }
    return s[lo..<hi]
  }

  /// `str.replace(old, new)`: literal, left to right, non-overlapping.
  static func replace(_ s: [Unicode.Scalar], _ old: String, _ new: String) -> [Unicode.Scalar] {
    let o = Array(old.unicodeScalars), n = Array(new.unicodeScalars)
    guard !o.isEmpty, s.count >= o.count else { return s }
    var out: [Unicode.Scalar] = []
    out.reserveCapacity(s.count)
    var i = 0
    while i < s.count {
      if i + o.count <= s.count, s[i] == o[0], Array(s[i..<(i + o.count)]) == o {
        out.append(contentsOf: n)
        i += o.count
      } else {
        out.append(s[i])
        i += 1
      }
    }
    return out
  }
}
