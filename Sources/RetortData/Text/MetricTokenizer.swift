// The one text tokenizer shared by every metric (ROUGE-L, judge scores) and
// by `dedup`. The rule, applied to the text after Unicode NFKC normalisation
// (so full-width Latin letters and digits become ASCII, half-width kana
// become full-width, compatibility ideographs become unified ones):
//
// 1. Each CJK character is one token: Han ideographs (URO, extensions A-I,
//    compatibility ideographs and their supplement, radicals, strokes,
//    々 〆 〇 and Hangzhou numerals), Hiragana, Katakana (with the phonetic
//    extensions and the kana supplements; the prolonged sound mark ー is a
//    token, the middle dot ・ is punctuation), Hangul (syllables, Jamo and
//    its extensions, compatibility Jamo), enclosed CJK letters and the CJK
//    compatibility block (U+3200-U+33FF).
// 2. Any other run of letters, digits and combining marks is one word,
//    lower-cased ("GPT-4o" -> "gpt", "4o"; "3.14" -> "3", "14"). Digits are
//    words like any other, as in rouge-score's `[a-z0-9]+` tokens.
// 3. Everything else (spaces, punctuation, symbols, emoji) separates tokens
//    and is dropped.
//
// For pure English ASCII text this is exactly rouge-score's default
// tokenizer without stemming (lower-case, split on `[^a-z0-9]+`), which is
// what Alpaca's self-instruct filter uses.

import Foundation

/// Splits text into metric tokens: one token per CJK character, lower-cased
/// words for everything else, punctuation dropped (see the file header).
public enum MetricTokenizer {
  /// The tokens of `text`, in order.
  ///
  /// `MetricTokenizer.tokens("Write a 5-line poem about 夏天!")`
  /// is `["write", "a", "5", "line", "poem", "about", "夏", "天"]`.
  public static func tokens(_ text: String) -> [String] {
    var out: [String] = []
    tokenize(text) { out.append($0) }
    return out
  }

  /// Calls `emit` with each token of `text`, in order, without building an array.
  public static func tokenize(_ text: String, _ emit: (String) -> Void) {
    let source = isASCII(text) ? text : text.precomposedStringWithCompatibilityMapping
    var word = String.UnicodeScalarView()
    var wordHasUpper = false
    func flush() {
      if word.isEmpty { return }
      let w = String(word)
      emit(wordHasUpper ? w.lowercased() : w)
      word.removeAll(keepingCapacity: true)
      wordHasUpper = false
    }
    for u in source.unicodeScalars {
      let v = u.value
      if v < 0x80 {
        if (v >= 0x61 && v <= 0x7A) || (v >= 0x30 && v <= 0x39) {
          word.append(u)
        } else if v >= 0x41 && v <= 0x5A {
          word.append(u)
          wordHasUpper = true
        } else {
          flush()
        }
        continue
      }
      if isCJK(v) {
        flush()
        emit(String(Character(u)))
        continue
      }
      let p = u.properties
      switch p.generalCategory {
      case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
           .decimalNumber, .letterNumber, .otherNumber:
        word.append(u)
        if p.changesWhenLowercased { wordHasUpper = true }
      case .nonspacingMark, .spacingMark, .enclosingMark:
        // A combining mark belongs to the word it follows; alone it is dropped.
        if !word.isEmpty { word.append(u) }
      default:
        flush()
      }
    }
    flush()
  }

  /// True when `v` is a code point that forms a token on its own (rule 1).
  public static func isCJK(_ v: UInt32) -> Bool {
    switch v {
    case 0x4E00...0x9FFF, 0x3400...0x4DBF,          // URO, extension A
         0x20000...0x2A6DF, 0x2A700...0x2EE5F,      // extensions B-F, I
         0x30000...0x323AF,                         // extensions G, H
         0xF900...0xFAFF, 0x2F800...0x2FA1F,        // compatibility ideographs
         0x2E80...0x2EFF, 0x2F00...0x2FDF, 0x31C0...0x31EF, // radicals, strokes
         0x3005...0x3007, 0x3021...0x3029, 0x3038...0x303B, // 々〆〇, Hangzhou numerals
         0x3031...0x3035,                           // kana repeat marks
         0x3041...0x3096, 0x309D...0x309F,          // Hiragana
         0x30A1...0x30FA, 0x30FC...0x30FF,          // Katakana (not ゠ or ・)
         0x31F0...0x31FF, 0x1B000...0x1B16F,        // Katakana ext, kana supplements
         0xAC00...0xD7AF, 0x1100...0x11FF,          // Hangul syllables, Jamo
         0x3131...0x318E, 0xA960...0xA97F, 0xD7B0...0xD7FF, // Jamo compat, ext A/B
         0x3200...0x33FF:                           // enclosed CJK, CJK compatibility
      return true
    default:
      return false
    }
  }

  private static func isASCII(_ s: String) -> Bool {
    s.utf8.allSatisfy { $0 < 0x80 }
  }
}
