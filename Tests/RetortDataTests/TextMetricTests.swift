import Testing
@testable import RetortData

@Suite struct MetricTokenizerTests {
  @Test func latinWordsLowercasedPunctuationDropped() {
    #expect(MetricTokenizer.tokens("Hello, World! It's GPT-4o.") == ["hello", "world", "it", "s", "gpt", "4o"])
    #expect(MetricTokenizer.tokens("  3.14 + 42 = ?? ") == ["3", "14", "42"])
    #expect(MetricTokenizer.tokens("") == [])
    #expect(MetricTokenizer.tokens("... !!! ---") == [])
  }

  @Test func cjkCharactersAreTokens() {
    #expect(MetricTokenizer.tokens("Write a 5-line poem about 夏天!") ==
            ["write", "a", "5", "line", "poem", "about", "夏", "天"])
    #expect(MetricTokenizer.tokens("请你写出一个Python程序。") ==
            ["请", "你", "写", "出", "一", "个", "python", "程", "序"])
    // Hiragana, Katakana with the prolonged sound mark, middle dot dropped.
    #expect(MetricTokenizer.tokens("すし・ラーメン") == ["す", "し", "ラ", "ー", "メ", "ン"])
    #expect(MetricTokenizer.tokens("한국어 abc") == ["한", "국", "어", "abc"])
    // Extension B ideograph and a compatibility ideograph (NFKC -> U+8C48).
    #expect(MetricTokenizer.tokens("𠀀x") == ["𠀀", "x"])
    #expect(MetricTokenizer.tokens("\u{F900}") == ["\u{8C48}"])
    #expect(MetricTokenizer.tokens("々〇") == ["々", "〇"])
  }

  @Test func fullWidthAndAccentsNormalised() {
    #expect(MetricTokenizer.tokens("ＡＢＣ１２３，ｄｅｆ") == ["abc123", "def"])
    #expect(MetricTokenizer.tokens("Café NAÏVE") == ["café", "naïve"])
    #expect(MetricTokenizer.tokens("ﾗｰﾒﾝ") == ["ラ", "ー", "メ", "ン"])
    #expect(MetricTokenizer.tokens("a\u{00A0}b😀c") == ["a", "b", "c"])
  }

  @Test func internerIsStable() {
    var i = TokenInterner()
    #expect(i.tokenIds("a b a 中") == [0, 1, 0, 2])
    #expect(i.strings == ["a", "b", "中"])
  }
}

@Suite struct RougeLTests {
  @Test func knownValues() {
    // rouge-score: scorer.score("the cat sat on the mat", "the cat on the mat")
    let s = RougeL.score(candidate: "the cat on the mat", reference: "the cat sat on the mat")
    #expect(s.precision == 1.0)
    #expect(abs(s.recall - 5.0 / 6.0) < 1e-15)
    #expect(abs(s.f - 2 * (5.0 / 6.0) / (1 + 5.0 / 6.0)) < 1e-15)
    let z = RougeL.score(candidate: "", reference: "abc")
    #expect(z == RougeScore(precision: 0, recall: 0, f: 0))
    let zh = RougeL.score(candidate: "写一首诗", reference: "写一首关于夏天的诗")
    #expect(zh.precision == 1.0)
    #expect(abs(zh.recall - 4.0 / 9.0) < 1e-15)
  }

  @Test func bitParallelMatchesReferenceOnRandomData() {
    var rng = SplitMix(seed: 7)
    for trial in 0..<400 {
      let alphabet = Int32(1 + rng.next() % 8)
      let m = Int(rng.next() % (trial < 200 ? 70 : 300))
      let n = Int(rng.next() % 200)
      let a = (0..<m).map { _ in Int32(rng.next() % UInt64(alphabet)) }
      let b = (0..<n).map { _ in Int32(rng.next() % UInt64(alphabet)) }
      #expect(LCS.length(a, b) == LCS.referenceLength(a, b), "m=\(m) n=\(n)")
      #expect(LCSPattern(a).length(against: b) == LCS.referenceLength(a, b))
    }
  }

  @Test func wordBoundaries() {
    for m in [1, 63, 64, 65, 127, 128, 129] {
      let a = (0..<m).map { Int32($0 % 5) }
      let b = (0..<m).map { Int32(($0 * 3) % 5) }
      #expect(LCSPattern(a).length(against: b) == LCS.referenceLength(a, b))
      #expect(LCSPattern(a).length(against: a) == m)
    }
  }

  @Test func bestPossibleBoundsTheScore() {
    var rng = SplitMix(seed: 11)
    for _ in 0..<200 {
      let a = (0..<Int(rng.next() % 30)).map { _ in Int32(rng.next() % 4) }
      let b = (0..<Int(rng.next() % 30)).map { _ in Int32(rng.next() % 4) }
      #expect(RougeL.score(candidate: a, reference: b).f <= RougeL.bestPossibleF(a.count, b.count))
    }
  }
}

/// Small deterministic generator for tests.
struct SplitMix {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
