// Exact match and containment after SQuAD-style normalisation, kept sound for numbers and CJK:
// the texts are NFKC-normalised and lower-cased; punctuation inside a word is deleted ("U.S.A." is
// "usa", "it's" is "its", "e-mail" is "email"), but numbers stay whole: punctuation between digits
// stays ("3.14" is neither "3 14" nor "314", "1/2" is not "12") except a thousands comma ("1,000"
// is "1000"), and so do a minus sign before a number ("-5" is not "5") and an exponent's sign
// ("1e-5" is not "1e5"); other punctuation and spacing separate words; each CJK character is a
// word of its own, so spacing between them does not matter ("北 京！" is "北京").
// Texts with no words at all (only punctuation or empty) are compared as trimmed NFKC strings.

import Foundation
import RetortData

/// Exact-match and containment checks on normalised text.
public enum TextMatch {
  /// True when `answer` equals `reference` after normalisation.
  public static func exact(_ answer: String, _ reference: String) -> Bool {
    let a = words(answer), r = words(reference)
    if a.isEmpty && r.isEmpty { return trimmed(answer) == trimmed(reference) }
    return a == r
  }

  /// True when the normalised `reference` occurs as a contiguous run inside the normalised `answer`.
  /// A reference with no words is contained only if its trimmed text occurs in the answer.
  public static func contains(_ answer: String, _ reference: String) -> Bool {
    let a = words(answer), r = words(reference)
    if r.isEmpty {
      let t = trimmed(reference)
      return !t.isEmpty && trimmed(answer).contains(t)
    }
    guard a.count >= r.count else { return false }
    for i in 0...(a.count - r.count) where a[i] == r[0] {
      if a[i..<(i + r.count)].elementsEqual(r) { return true }
    }
    return false
  }

  /// The normalised words of `text` (see the file comment).
  public static func words(_ text: String) -> [String] {
    let u = Array(text.precomposedStringWithCompatibilityMapping.unicodeScalars)
    func isWord(_ k: Int) -> Bool {
      guard k >= 0, k < u.count, !MetricTokenizer.isCJK(u[k].value) else { return false }
      switch u[k].properties.generalCategory {
      case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
           .decimalNumber, .letterNumber, .otherNumber, .nonspacingMark, .spacingMark, .enclosingMark:
        return true
      default:
        return false
      }
    }
    func isDigit(_ k: Int) -> Bool { k >= 0 && k < u.count && u[k].properties.numericType == .decimal }
    var out: [String] = []
    var word = String.UnicodeScalarView()
    func flush() {
      if !word.isEmpty { out.append(String(word).lowercased()) }
      word.removeAll()
    }
    for i in u.indices {
      if MetricTokenizer.isCJK(u[i].value) {
        flush()
        out.append(String(u[i]))
      } else if isWord(i) {
        word.append(u[i])
      } else if !u[i].properties.isWhitespace, isWord(i - 1), isWord(i + 1) {
        let c = u[i]
        if isDigit(i - 1) && isDigit(i + 1) {
          if c != "," { word.append(c) }
        } else if c == "-" || c == "+", u[i - 1] == "e" || u[i - 1] == "E", i >= 2, isDigit(i - 2), isDigit(i + 1) {
          word.append(c)
        }
      } else if u[i] == "-", i + 1 < u.count, isDigit(i + 1) {
        flush()
        word.append(u[i])
      } else {
        flush()
      }
    }
    flush()
    return out
  }

  static func trimmed(_ s: String) -> String {
    s.precomposedStringWithCompatibilityMapping.trimmingCharacters(in: .whitespacesAndNewlines)
  }
}
