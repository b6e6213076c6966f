import Foundation
import RetortData
import Testing

@testable import RetortJudge

/// Compares every metric with the values Scripts/reference/metrics_reference.py computed with
/// rouge-score, rouge-chinese and sacrebleu (Fixtures/metric_reference.json).
struct MetricReferenceTests {
  struct Corpus: Decodable {
    struct Pair: Decodable { var id, lang, hypothesis, reference: String }
    struct Multi: Decodable { var id, hypothesis: String; var references: [String] }
    var pairs: [Pair]
    var multi_reference: [Multi]
  }
  struct PRF: Decodable { var precision, recall, f: Double }
  struct Bleu: Decodable {
    var score: Double; var counts, totals: [Double]; var precisions: [Double]
    var bp: Double; var sys_len, ref_len: Int
  }
  struct Tokens: Decodable { var hypothesis, reference: [String] }
  struct Entry: Decodable {
    var id: String
    var retort_tokens: Tokens
    var sacrebleu_tokens: [String: Tokens]
    var rouge_score_tokens: [String: PRF]
    var rouge_chinese: [String: PRF]?
    var rouge_score_raw: [String: PRF]?
    var sentence_bleu: [String: Bleu]
    var sentence_bleu_smoothing: [String: Bleu]
  }
  struct CorpusBleu: Decodable { var ids: [String]; var tokenizer: String; var bleu: Bleu }
  struct MultiEntry: Decodable {
    var id: String
    var v13a: Bleu, zh: Bleu
    enum CodingKeys: String, CodingKey { case id, v13a = "13a", zh }
  }
  struct Reference: Decodable {
    var pairs: [Entry]; var corpus_bleu: [CorpusBleu]; var multi_reference: [MultiEntry]
  }

  let corpus: Corpus
  let reference: Reference

  init() throws {
    corpus = try JSONDecoder().decode(Corpus.self, from: fixtureData("metric_corpus", "json"))
    reference = try JSONDecoder().decode(Reference.self, from: fixtureData("metric_reference", "json"))
  }

  func pairs() -> [(Corpus.Pair, Entry)] { Array(zip(corpus.pairs, reference.pairs)) }

  func expectBleu(_ got: BLEUScore, _ want: Bleu, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
    expectClose(got.score, want.score, tolerance: 1e-9, "\(what) score", sourceLocation: sourceLocation)
    #expect(got.counts == want.counts, "\(what) counts", sourceLocation: sourceLocation)
    #expect(got.totals == want.totals, "\(what) totals", sourceLocation: sourceLocation)
    #expect(got.hypothesisLength == want.sys_len && got.referenceLength == want.ref_len,
            "\(what) lengths", sourceLocation: sourceLocation)
    expectClose(got.brevityPenalty, want.bp, tolerance: 1e-12, "\(what) bp", sourceLocation: sourceLocation)
    for (g, w) in zip(got.precisions, want.precisions) {
      expectClose(g, w, tolerance: 1e-9, "\(what) precision", sourceLocation: sourceLocation)
    }
  }

  @Test func fixturesLineUp() {
    #expect(corpus.pairs.count == reference.pairs.count && corpus.pairs.count >= 20)
    #expect(corpus.pairs.map(\.id) == reference.pairs.map(\.id))
    #expect(corpus.pairs.contains { $0.lang == "zh" } && corpus.pairs.contains { $0.lang == "en" })
  }

  @Test func sharedTokenizerMatchesPythonMirror() {
    for (p, e) in pairs() {
      #expect(MetricTokenizer.tokens(p.hypothesis) == e.retort_tokens.hypothesis, "\(p.id) hypothesis")
      #expect(MetricTokenizer.tokens(p.reference) == e.retort_tokens.reference, "\(p.id) reference")
    }
  }

  @Test func rougeMatchesRougeScoreAndRougeChinese() {
    for (p, e) in pairs() {
      let got: [String: RougeScore] = [
        "rouge1": RougeN.score(candidate: p.hypothesis, reference: p.reference, n: 1),
        "rouge2": RougeN.score(candidate: p.hypothesis, reference: p.reference, n: 2),
        "rougeL": RougeL.score(candidate: p.hypothesis, reference: p.reference),
      ]
      for (k, g) in got {
        let w = e.rouge_score_tokens[k]
        #expect(w != nil)
        guard let w else { continue }
        expectClose(g.precision, w.precision, "\(p.id) \(k) precision")
        expectClose(g.recall, w.recall, "\(p.id) \(k) recall")
        expectClose(g.f, w.f, "\(p.id) \(k) f")
        if let c = e.rouge_chinese?[k] {
          expectClose(g.f, c.f, tolerance: 1e-7, "\(p.id) \(k) f vs rouge-chinese")
          expectClose(g.precision, c.precision, "\(p.id) \(k) p vs rouge-chinese")
          expectClose(g.recall, c.recall, "\(p.id) \(k) r vs rouge-chinese")
        }
        if let raw = e.rouge_score_raw?[k] {
          expectClose(g.f, raw.f, "\(p.id) \(k) f vs rouge-score default tokenizer")
        }
      }
    }
  }

  @Test func bleuTokenizersMatchSacreBLEU() {
    for (p, e) in pairs() {
      for tok in [BLEUTokenizer.v13a, .zh] {
        let want = e.sacrebleu_tokens[tok.rawValue]
        #expect(tok.tokens(p.hypothesis) == want?.hypothesis, "\(p.id) \(tok) hypothesis")
        #expect(tok.tokens(p.reference) == want?.reference, "\(p.id) \(tok) reference")
      }
    }
  }

  @Test func sentenceBleuMatchesSacreBLEU() throws {
    for (p, e) in pairs() {
      for tok in [BLEUTokenizer.v13a, .zh] {
        let want = try #require(e.sentence_bleu[tok.rawValue])
        expectBleu(BLEU.sentence(tokenizer: tok).sentenceScore(p.hypothesis, references: [p.reference]),
                   want, "\(p.id) \(tok)")
      }
      for (name, smoothing) in [("none", BLEUSmoothing.none), ("floor", .floor), ("add-k", .addK)] {
        let want = try #require(e.sentence_bleu_smoothing[name])
        let bleu = BLEU(smoothing: smoothing, effectiveOrder: true)
        expectBleu(bleu.sentenceScore(p.hypothesis, references: [p.reference]), want, "\(p.id) \(name)")
      }
    }
    for (m, e) in zip(corpus.multi_reference, reference.multi_reference) {
      expectBleu(BLEU.sentence().sentenceScore(m.hypothesis, references: m.references), e.v13a, "\(m.id) 13a")
      expectBleu(BLEU.sentence(tokenizer: .zh).sentenceScore(m.hypothesis, references: m.references), e.zh, "\(m.id) zh")
    }
  }

  @Test func corpusBleuMatchesSacreBLEU() throws {
    let byId = Dictionary(uniqueKeysWithValues: corpus.pairs.map { ($0.id, $0) })
    for c in reference.corpus_bleu {
      let sel = c.ids.compactMap { byId[$0] }
      #expect(sel.count == c.ids.count)
      let tok = try #require(BLEUTokenizer(rawValue: c.tokenizer))
      let got = try BLEU(tokenizer: tok).corpusScore(sel.map(\.hypothesis), references: sel.map { [$0.reference] })
      expectBleu(got, c.bleu, "corpus \(c.tokenizer) \(c.ids.count) pairs")
    }
  }

  @Test func corpusBleuRejectsMismatchedLists() {
    #expect(throws: JudgeError.self) { try BLEU().corpusScore(["a"], references: []) }
    #expect(throws: JudgeError.self) { try BLEU().corpusScore(["a"], references: [[]]) }
  }
}
