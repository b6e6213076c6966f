import Testing
@testable import RetortData

@Suite struct DedupTests {
  /// The self-instruct loop, literally: tokenize, compare with every kept text.
  func bruteForce(_ texts: [String], pool: [String] = [], threshold: Double) -> [String] {
    var kept: [[String]] = pool.map(MetricTokenizer.tokens)
    var out: [String] = []
    for t in texts {
      let tok = MetricTokenizer.tokens(t)
      let best = kept.map { k -> Double in
        let l = LCS.referenceLength(tok, k)
        return RougeL.score(lcs: l, candidateCount: tok.count, referenceCount: k.count).f
      }.max() ?? 0
      // Self-instruct drops a text whose best ROUGE-L is above the threshold (at 1: the same tokens).
      if !(best > threshold || (threshold >= 1 && best >= 1)) {
        kept.append(tok)
        out.append(t)
      }
    }
    return out
  }

  /// Random short texts over a tiny vocabulary, so many pairs are similar.
  func randomTexts(_ n: Int, seed: UInt64) -> [String] {
    var g = SeededGenerator(seed: seed)
    let words = ["a", "b", "c", "d", "写", "诗", "Cat", "dog", "x1"]
    return (0..<n).map { _ in (0..<g.below(12)).map { _ in words[g.below(words.count)] }.joined(separator: " ") }
  }

  @Test func equalsBruteForceOnRandomData() throws {
    for (seed, threshold) in [(1 as UInt64, 0.7), (2, 0.5), (3, 0.9), (4, 1.0), (5, 0.3)] {
      let texts = randomTexts(400, seed: seed)
      let ds = Dataset.from(texts.map { ["instruction": .string($0)] })
      let expected = bruteForce(texts, threshold: threshold)
      for threads in [1, 2, 3] {
        let got = try ds.dedup(threshold: threshold, threads: threads).records.map(\.instruction)
        #expect(got == expected, "seed \(seed) threshold \(threshold) threads \(threads)")
      }
    }
  }

  @Test func longTextsUseMultiWordMasks() throws {
    // 60-140 tokens: the bit-parallel LCS spans two or three 64-bit words.
    var g = SeededGenerator(seed: 21)
    let words = ["a", "b", "c", "写", "诗"]
    var texts: [String] = []
    for i in 0..<40 {
      if i > 0 && g.below(3) == 0 {
        var t = texts[g.below(texts.count)].split(separator: " ").map(String.init)
        for _ in 0..<g.below(30) { t[g.below(t.count)] = words[g.below(words.count)] }
        texts.append(t.joined(separator: " "))
      } else {
        texts.append((0..<(60 + g.below(80))).map { _ in words[g.below(words.count)] }.joined(separator: " "))
      }
    }
    let ds = Dataset.from(texts.map { ["instruction": .string($0)] })
    for threshold in [0.75, 0.85] {
      let expected = bruteForce(texts, threshold: threshold)
      #expect(expected.count > 5 && expected.count < texts.count)
      #expect(try ds.dedup(threshold: threshold, threads: 2).records.map(\.instruction) == expected)
    }
  }

  @Test func againstPoolAndOtherField() throws {
    let pool = randomTexts(50, seed: 10)
    let texts = randomTexts(300, seed: 11)
    let ds = Dataset.from(texts.map { ["instruction": "same", "output": .string($0)] })
    let poolDs = Dataset.from(pool.map { ["output": .string($0)] })
    let got = try ds.dedup(threshold: 0.7, by: "output", against: poolDs).records.map(\.output)
    #expect(got == bruteForce(texts, pool: pool, threshold: 0.7))
  }

  @Test func realLookingInstructions() throws {
    let ds = Dataset.from([
      ["instruction": "Write a poem about the summer."],
      ["instruction": "Write a poem about summer!"],
      ["instruction": "请以下面词语为主题写一首诗"],
      ["instruction": "请以下面的词语为主题写一首诗"],
      ["instruction": "给出下面词语的同义词"],
      ["instruction": ""],
      ["instruction": ""],
    ])
    let kept = try ds.dedup()
    #expect(kept.records.map(\.instruction) == ["Write a poem about the summer.", "请以下面词语为主题写一首诗",
                                                 "给出下面词语的同义词", "", ""])
    #expect(throws: DataError.self) { try ds.dedup(threshold: 0) }
    #expect(throws: DataError.self) { try ds.dedup(by: "nope") }
  }

  @Test func progressAndCancellation() throws {
    let ds = Dataset.from(randomTexts(1000, seed: 3).map { ["instruction": .string($0)] })
    var reports: [Int] = []
    _ = try ds.dedup(progress: { done, total in reports.append(done); #expect(total == 1000) })
    #expect(reports.last == 1000 && reports == reports.sorted())
    var calls = 0
    do {
      _ = try ds.dedup(isCancelled: { calls += 1; return calls >= 2 })
      Issue.record("expected cancellation")
    } catch DataError.cancelled(let op, let done, let total, _, let partial) {
      #expect(op == "dedup" && done == 256 && total == 1000)
      let full = try ds.take(256).dedup()
      #expect(partial.records == full.records)
    }
  }
}

@Suite struct DedupAuditTests {
  @Test func aTextExactlyAtTheThresholdIsKeptAsSelfInstructKeepsIt() throws {
    // F = 0.7 exactly: Alpaca and BELLE drop a task only when max(rouge_scores) > 0.7.
    let ds = Dataset([Record(["instruction": "a b c d e f g h i j"]), Record(["instruction": "a b c d e f g x y z"])])
    #expect(try ds.dedup(threshold: 0.7).count == 2)
    #expect(try ds.dedup(threshold: 0.69).count == 1)
    // At 1, texts with the same tokens go.
    let same = Dataset([Record(["instruction": "Hello, world"]), Record(["instruction": "hello world!"])])
    #expect(try same.dedup(threshold: 1).count == 1)
  }

  @Test func aPoolWithoutTheFieldIsAnError() throws {
    let ds = Dataset([Record(["question": "q1"])])
    let pool = Dataset([Record(["instruction": "q1"])])
    #expect(throws: DataError.self) { try ds.dedup(by: "question", against: pool) }
  }
}
