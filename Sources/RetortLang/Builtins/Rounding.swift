// `round`, as Python's: correctly rounded, half to even on the exact binary
// value (round(2.675, 2) is 2.67, since the double is 2.67499999...), never
// overflowing on the way (round(1e308, 2) is 1e308), and an int stays an int
// (round(7, -1) is 10).
//
// Rationale: scaling by 10**n rounds twice and overflows near the top of the
// range. As CPython does with dtoa, the value is rounded in decimal text:
// glibc's printf gives the exactly rounded digits, and Double(text) reads
// them back correctly rounded.

import Foundation

enum Rounding {
  /// `round(x)` (nil digits: an int) or `round(x, digits)`.
  static func round(_ x: Value, digits: Int?) throws -> Value {
    switch x {
    case .int(let i): return .int(try digits.map { try round(i, $0) } ?? i)
    case .bool(let b): return .int(try digits.map { try round(b ? 1 : 0, $0) } ?? (b ? 1 : 0))
    default:
      guard let d = x.number else { throw ScriptError("round(): argument 'x' expects a number, got \(x.typeName)") }
      guard let n = digits else {
        guard let i = Int(exactly: d.rounded(.toNearestOrEven)) else {
          throw ScriptError("round(): cannot round \(Display.formatFloat(d)) to an int")
        }
        return .int(i)
      }
      return .float(try round(d, n))
    }
  }

  /// A float to `n` decimals (negative: to tens, hundreds, ...).
  static func round(_ x: Double, _ n: Int) throws -> Double {
    guard x.isFinite, x != 0 else { return x }
    // CPython's limits: past 323 decimals nothing changes; above 10**308 everything rounds to 0.
    if n > 323 { return x }
    if n < -308 { return 0.0 * x }
    let text: String
    if n >= 0 {
      text = String(format: "%.\(n)f", x)
    } else {
      let whole = abs(x).rounded(.towardZero)
      let digits = roundedDigits(String(format: "%.0f", whole), dropping: -n, sticky: whole != abs(x))
      text = (x < 0 ? "-" : "") + digits
    }
    guard let r = Double(text), r.isFinite else {
      throw ScriptError("round(): \(Display.formatFloat(x)) rounded to \(n) digits is too large for a float")
    }
    return r
  }

  /// An int to `n` decimals: itself for n >= 0, else to a multiple of 10**-n.
  static func round(_ i: Int, _ n: Int) throws -> Int {
    guard n < 0 else { return i }
    let digits = roundedDigits(String(i.magnitude), dropping: -n, sticky: false)
    guard let r = Int((i < 0 ? "-" : "") + digits) else {
      throw ScriptError("round(): integer overflow rounding \(i) to \(n) digits")
    }
    return r
  }

  /// The decimal digits of a non-negative integer rounded half to even at
  /// their last `k` (>= 1) digits, which become zeros. `sticky`: a nonzero
  /// fraction follows the digits, so a 5 there is above half.
  static func roundedDigits(_ digits: String, dropping k: Int, sticky: Bool) -> String {
    var d = digits.utf8.map { Int($0) - 48 }
    if d.count <= k { d = [Int](repeating: 0, count: k + 1 - d.count) + d }
    let keep = d.count - k
    let above = sticky || d[(keep + 1)...].contains { $0 != 0 }
    var kept = Array(d[..<keep])
    if d[keep] > 5 || (d[keep] == 5 && (above || kept[keep - 1] % 2 == 1)) {
      var i = keep - 1
      while i >= 0 && kept[i] == 9 { kept[i] = 0; i -= 1 }
      if i >= 0 { kept[i] += 1 } else { kept.insert(1, at: 0) }
    }
    let text = String(kept.map { Character(String($0)) }.drop { $0 == "0" })
    return text.isEmpty ? "0" : text + String(repeating: "0", count: k)
  }
}
