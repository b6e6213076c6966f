// NumericMatch: compares the final number of an answer with the final number of the reference
// (GSM8K / math-word-problem style).
//
// Numbers are scanned left to right after mapping full-width digits and `．－−／％` to ASCII:
//   [sign] digits with optional `,` thousands groups (exactly three digits each: "1,234,567")
//   [. decimals] | .decimals, an optional exponent ("2.5e3", "1E-4"; not when a letter follows it),
//   then optionally `/ denominator` (a fraction, "3/4" = 0.75) and `%`, or the Chinese magnitudes
//   `万` (10^4) and `亿` (10^8): "1.5万" = 15000.
// A sign counts only when not preceded by a Latin letter or a digit ("GPT-4" gives 4, "x = -4" gives -4);
// after a Chinese character it does ("结果为-5" gives -5: Chinese writes no space there).
// "1,2,3" is three numbers (groups must have three digits). Chinese numerals are not read.
// Two whole numbers written without a point, exponent or fraction ("2000000", "1,024", "3万") match
// only when equal: an answer one off is wrong however large the numbers. Otherwise they match when
// |a - b| <= tolerance * max(1, |b|) (a relative tolerance, absolute below 1). A percentage also
// matches the same number written without `%` on the other side ("50%" matches both "50" and "0.5").

import RetortFiles

/// A number found in text.
public struct ExtractedNumber: Sendable, Equatable {
  /// The value (percentages divided by 100, fractions divided out).
  public var value: Double
  /// The value before dividing by 100 for a percentage.
  public var rawValue: Double
  /// True when written with `%`.
  public var isPercent: Bool
  /// True when written as a whole number: digits (with thousands groups, 万 or 亿) and no
  /// point, exponent, fraction or `%`.
  public var isWhole: Bool = false
  /// A whole number's sign and digits without grouping or leading zeros, when no 万 or 亿
  /// scales it ("-0012,345" is "-12345"): compared as text, exact past Double's 2^53.
  public var wholeDigits: String? = nil
  /// The text the number was read from.
  public var text: String
}

/// Final-number comparison between an answer and a reference.
public enum NumericMatch {
  /// All numbers in `text`, in order.
  public static func numbers(in text: String) -> [ExtractedNumber] {
    let s = text.unicodeScalars.map(asciiFold)
    var out: [ExtractedNumber] = []
    var i = 0
    func isDigit(_ k: Int) -> Bool { k < s.count && s[k].value >= 0x30 && s[k].value <= 0x39 }
    // A hyphen after these is part of a word or a range ("GPT-4", "3-5"), not a sign.
    func joinsSign(_ k: Int) -> Bool {
      k >= 0 && k < s.count && ((s[k].isASCII && s[k].properties.isAlphabetic) || s[k].properties.numericType == .decimal)
    }
    while i < s.count {
      let startsNumber = isDigit(i) || (s[i] == "." && isDigit(i + 1) && !isDigit(i - 1))
      let signed = (s[i] == "-" || s[i] == "+") && !joinsSign(i - 1)
        && (isDigit(i + 1) || (i + 2 < s.count && s[i + 1] == "." && isDigit(i + 2)))
      guard startsNumber || signed else { i += 1; continue }
      let start = i
      var negative = false
      if signed { negative = s[i] == "-"; i += 1 }
      var digits = ""
      var groupLen = 0
      while isDigit(i) { digits.unicodeScalars.append(s[i]); i += 1; groupLen += 1 }
      // Thousands groups: ",ddd" not followed by another digit, after a first group of 1-3 digits.
      if groupLen >= 1 && groupLen <= 3 {
        while i + 3 < s.count + 0 && s[i] == "," && isDigit(i + 1) && isDigit(i + 2) && isDigit(i + 3)
          && !isDigit(i + 4)
        {
          for k in 1...3 { digits.unicodeScalars.append(s[i + k]) }
          i += 4
        }
      }
      if i < s.count && s[i] == "." && isDigit(i + 1) {
        digits += "."
        i += 1
        while isDigit(i) { digits.unicodeScalars.append(s[i]); i += 1 }
      }
      if i < s.count && (s[i] == "e" || s[i] == "E") {
        var k = i + 1
        var exponent = "e"
        if k < s.count && (s[k] == "-" || s[k] == "+") { exponent.unicodeScalars.append(s[k]); k += 1 }
        if isDigit(k) {
          while isDigit(k) { exponent.unicodeScalars.append(s[k]); k += 1 }
          if !(k < s.count && s[k].properties.isAlphabetic) { digits += exponent; i = k }
        }
      }
      guard var value = Double(digits.hasPrefix(".") ? "0" + digits : digits) else { continue }
      var whole = !digits.contains(".") && !digits.contains("e")
      var j = i
      while j < s.count && s[j] == " " { j += 1 }
      if j < s.count && s[j] == "/" {
        var k = j + 1
        while k < s.count && s[k] == " " { k += 1 }
        var den = ""
        while isDigit(k) { den.unicodeScalars.append(s[k]); k += 1 }
        if k < s.count && s[k] == "." && isDigit(k + 1) {
          den += "."; k += 1
          while isDigit(k) { den.unicodeScalars.append(s[k]); k += 1 }
        }
        if let d = Double(den), d != 0 { value /= d; i = k; j = k; whole = false }
      }
      while j < s.count && s[j] == " " { j += 1 }
      let percent = j < s.count && s[j] == "%"
      if percent { i = j + 1 }
      // Chinese magnitudes: "1.5万" is 15000, "3亿" 300000000, "2万亿" 2e12.
      if !percent, j < s.count, s[j] == "万" || s[j] == "亿" {
        while j < s.count, s[j] == "万" || s[j] == "亿" { value *= s[j] == "万" ? 1e4 : 1e8; j += 1 }
        i = j
      }
      if negative { value = -value }
      var digitsText: String? = nil
      if whole && !percent, !s[start..<i].contains(where: { $0 == "万" || $0 == "亿" }) {
        let trimmed = digits.drop { $0 == "0" }
        digitsText = trimmed.isEmpty ? "0" : (negative ? "-" : "") + trimmed
      }
      var scalars = String.UnicodeScalarView()
      scalars.append(contentsOf: s[start..<i])
      out.append(ExtractedNumber(
        value: percent ? value / 100 : value, rawValue: value, isPercent: percent,
        isWhole: whole && !percent && value.isFinite, wholeDigits: digitsText, text: String(scalars)))
    }
    return out
  }

  /// The last number in `text`, if any.
  public static func finalNumber(in text: String) -> ExtractedNumber? { numbers(in: text).last }

  /// True when the final numbers of `answer` and `reference` agree: exactly when both are written
  /// as whole numbers, otherwise within `tolerance` (relative, with an absolute floor of `tolerance`
  /// near zero). An answer with no number does not match.
  /// - Throws: `JudgeError.invalidArgument` when the reference has no number.
  public static func matches(_ answer: String, _ reference: String, tolerance: Double = 1e-6) throws -> Bool {
    guard let r = finalNumber(in: reference) else {
      throw JudgeError.invalidArgument("numeric: the reference has no number: \(reference.excerpt(80).quotedLiteral)")
    }
    guard let a = finalNumber(in: answer) else { return false }
    // Numbers past Double's range read as infinity: those match only an equal infinity (inf - inf is NaN,
    // and any difference is within a tolerance scaled by inf).
    func close(_ x: Double, _ y: Double) -> Bool {
      x.isFinite && y.isFinite ? abs(x - y) <= tolerance * max(1, abs(y)) : x == y
    }
    if a.isWhole && r.isWhole {
      if let x = a.wholeDigits, let y = r.wholeDigits { return x == y }
      return a.value == r.value
    }
    if close(a.value, r.value) { return true }
    if a.isPercent != r.isPercent { return close(a.rawValue, r.rawValue) }
    return false
  }

  static func asciiFold(_ c: Unicode.Scalar) -> Unicode.Scalar {
    switch c.value {
    case 0xFF10...0xFF19: return Unicode.Scalar(c.value - 0xFF10 + 0x30) ?? c
    case 0xFF0E: return "."
    case 0xFF0D, 0x2212: return "-"
    case 0xFF0F: return "/"
    case 0xFF05: return "%"
    case 0x00A0, 0x202F, 0x3000: return " "
    default: return c
    }
  }
}
