// Byte-level BPE training and vocabulary extension (BELLE's LLaMA-EXT).

import Foundation
import Testing
@testable import RetortModels

private let corpus = [
  "the cat sat on the mat. the cat ate the rat.",
  "a theory of the thing that the other thought",
  "我们是中国人。中国很大，我们爱中国。",
  "今天天气很好，我们去公园。",
  "def add(a, b):\n    return a + b\n",
]

@Test func bpeTrainingLearnsMergesAndRoundTrips() throws {
  let tok = try BPETrainer.train(corpus, vocab: 330)
  #expect(tok.vocabularySize > 259 && tok.vocabularySize <= 330)
  #expect(tok.eos == 256 && tok.id(of: "<|im_end|>") == 258)
  #expect(tok.tokens[259...].contains("Ġthe"))
  for t in corpus + ["unseen text 你好 🙂"] { #expect(tok.decode(tok.encode(t)) == t) }
  let bytes = try Tokenizer.byteLevel()
  #expect(tok.tokensPerCharacter(corpus) < 0.8 * bytes.tokensPerCharacter(corpus))
  let again = try BPETrainer.train(corpus, vocab: 330)
  #expect(again.tokens == tok.tokens && again.mergeList == tok.mergeList)
  #expect(throws: ModelError.self) { try BPETrainer.train(corpus, vocab: 100) }
  // A model with this tokenizer exports it: the loader's tokenizer gives the same ids.
  let m = try TrainableLlama(vocab: 340, context: 32, layers: 1, heads: 2, dim: 16, hidden: 32, tokenizer: tok)
  #expect(m.tokenizer.vocabularySize == 340)
  let loaded = try m.makeLlamaModel()
  for t in corpus { #expect(loaded.tokenizer.encode(t) == tok.encode(t)) }
}

@Test func extendVocabAddsTokensWithMeanEmbeddings() throws {
  let m = try TrainableLlama(vocab: 259, context: 32, layers: 1, heads: 2, dim: 16, hidden: 32, seed: 2)
  let chinese = Array(corpus[2...3])
  let before = m.tokenizer.tokensPerCharacter(chinese)
  let probe = [72, 105, 10]
  let logitsBefore = try m.logits(probe)
  let emb = try m.tensorValues("token_embd.weight")
  let zh = try BPETrainer.train(chinese, vocab: 340)
  let n = try m.extendVocab(from: zh).added
  #expect(n > 0 && m.config.vocabularySize == 259 + n && m.tokenizer.vocabularySize == 259 + n)
  let after = m.tokenizer.tokensPerCharacter(chinese)
  #expect(after < before / 1.5, "tokens per character \(before) -> \(after)")
  for t in chinese { #expect(m.tokenizer.decode(m.tokenizer.encode(t)) == t) }
  let newEmb = try m.tensorValues("token_embd.weight")
  #expect(Array(newEmb[0..<emb.count]) == emb)
  var mean = [Float](repeating: 0, count: 16)
  for r in 0..<259 { for j in 0..<16 { mean[j] += emb[r * 16 + j] } }
  for j in 0..<16 { #expect(abs(newEmb[259 * 16 + j] - mean[j] / 259) < 1e-5) }
  // Old tokens' logits are unchanged; the model still trains and exports.
  let logitsAfter = try m.logits(probe)
  for p in 0..<probe.count {
    #expect(Array(logitsAfter[(p * m.config.vocabularySize)..<(p * m.config.vocabularySize + 259)])
            == Array(logitsBefore[(p * 259)..<(p * 259 + 259)]))
  }
  #expect(try m.extendVocab(["中国"]) == 0)
  let loaded = try m.makeLlamaModel()
  #expect(loaded.tokenizer.encode(chinese[0]) == m.tokenizer.encode(chinese[0]))
}

@Test func extendingAVocabularyWithMergesKeepsItsEnglishAndReportsWhatItSkipped() throws {
  // A model whose tokenizer has learnt merges (as SmolLM2's has) reads English
  // well; ASCII pieces of a Chinese BPE ("Ġthe", "at") would be matched before
  // BPE and re-cut that English.
  let english = try BPETrainer.train([corpus[0], corpus[4]], vocab: 300)
  let m = try TrainableLlama(vocab: 300, context: 32, layers: 1, heads: 2, dim: 16, hidden: 32, tokenizer: english)
  let probe = "a theory of the cat that the other thought"
  let before = m.tokenizer.encode(probe)
  let mixed = try BPETrainer.train(corpus, vocab: 340)
  let r = try m.extendVocab(from: mixed)
  #expect(r.added > 0 && r.ascii > 0 && r.partial > 0, "\(r)")
  #expect(m.tokenizer.encode(probe) == before)
  #expect(m.tokenizer.tokensPerCharacter([corpus[2]]) < english.tokensPerCharacter([corpus[2]]))
  // ascii: true adds them too; a byte-level model takes them by default.
  let all = try TrainableLlama(vocab: 300, context: 32, layers: 1, heads: 2, dim: 16, hidden: 32, tokenizer: english)
  #expect(try all.extendVocab(from: mixed, ascii: true).added == r.added + r.ascii)
  let bytes = try TrainableLlama(vocab: 259, context: 32, layers: 1, heads: 2, dim: 16, hidden: 32, seed: 2)
  #expect(try bytes.extendVocab(from: mixed).ascii == 0)
}

@Test func addedTokensAreMatchedWhenSpecialTokensAreNot() throws {
  // Perplexity encodes without parsing control tokens (as llama.cpp); the
  // tokens extend_vocab adds must still be matched there, as llama.cpp matches
  // user-defined tokens, or perplexity measures the old vocabulary.
  let m = try TrainableLlama(vocab: 259, context: 32, layers: 1, heads: 2, dim: 16, hidden: 32, seed: 2)
  #expect(try m.extendVocab(["中国"]) == 1)
  let id = m.config.vocabularySize - 1
  #expect(m.tokenizer.encode("我爱中国", addBOS: false, parseSpecial: false).contains(id))
  #expect(!m.tokenizer.encode("<|im_end|>", addBOS: false, parseSpecial: false).contains(258))
  let loaded = try m.makeLlamaModel()
  #expect(loaded.tokenizer.encode("我爱中国", addBOS: false, parseSpecial: false).contains(id))
}

@Test func anAdapterOverAnExtendedVocabularyNamesItsAddedTokens() throws {
  // save_lora wrote the new tokens' embedding rows but not which text they stand for.
  let m = try TrainableLlama(vocab: 259, context: 32, layers: 1, heads: 2, dim: 16, hidden: 32, seed: 2)
  #expect(try m.extendVocab(["中国", "我们"]) == 2)
  try m.attachLoRA(LoRAOptions(rank: 2, alpha: 4, trainEmbeddings: true))
  let dir = NSTemporaryDirectory() + "added-\(UUID().uuidString)"
  defer { try? FileManager.default.removeItem(atPath: dir) }
  try m.saveLoRA(dir)
  let added = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/added_tokens.json")))
  #expect(added as? [String: Int] == ["中国": 259, "我们": 260])
  // Without added tokens there is no such file.
  let plain = try TrainableLlama(vocab: 259, context: 32, layers: 1, heads: 2, dim: 16, hidden: 32, seed: 2)
  try plain.attachLoRA(LoRAOptions(rank: 2, alpha: 4))
  let other = dir + "-plain"
  defer { try? FileManager.default.removeItem(atPath: other) }
  try plain.saveLoRA(other)
  #expect(!FileManager.default.fileExists(atPath: other + "/added_tokens.json"))
}
