// Sampling determinism, stop strings, streaming, cancellation, chat,
// perplexity and resumable batch answering, on the tiny model.

import Foundation
import Testing
@testable import RetortModels

struct GenerationTests {
  @Test func samplerIsDeterministicAndGreedyIsArgmax() throws {
    let logits: [Float] = (0..<50).map { Float(($0 * 37) % 50) / 10 }
    func run(_ o: SamplingOptions) throws -> [Int] {
      var s = try Sampler(o)
      return logits.withUnsafeBufferPointer { b in (0..<20).map { _ in s.sample(b, history: []) } }
    }
    let hot = SamplingOptions(temperature: 1.5, topK: 0, topP: 1, minP: 0, seed: 3)
    #expect(try run(hot) == run(hot))
    var other = hot; other.seed = 4
    #expect(try run(hot) != run(other))
    let argmax = logits.indices.max { logits[$0] < logits[$1] }
    #expect(try run(.greedy) == [Int](repeating: argmax ?? -1, count: 20))
    var k1 = hot; k1.topK = 1
    #expect(try run(k1) == run(.greedy))
    // min_p close to 1 keeps only the best token.
    var mp = hot; mp.minP = 0.999
    #expect(try run(mp) == run(.greedy))
    // A strong repeat penalty moves greedy off a token already seen.
    var s = try Sampler(SamplingOptions(temperature: 0, repeatPenalty: 100))
    let best = argmax ?? 0
    #expect(logits.withUnsafeBufferPointer { s.sample($0, history: [best]) } != best)
    #expect(throws: ModelError.self) { _ = try Sampler(SamplingOptions(topP: 0)) }
    #expect(throws: ModelError.self) { _ = try Sampler(SamplingOptions(temperature: -1)) }
  }

  @Test func stopMatcherHoldsBackPrefixes() {
    var m = StopMatcher(stops: ["END", "\n\n"])
    var shown = ""
    for piece in ["Hel", "lo E", "N", "D more"] { shown += m.append(piece) }
    #expect(m.stopped && m.text == "Hello " && shown == "Hello ")
    var n = StopMatcher(stops: ["END"])
    shown = n.append("abc E") + n.append("x")
    #expect(!n.stopped && shown == "abc Ex")
  }

  @Test func utf8StreamWaitsForCompleteCharacters() {
    var s = UTF8Stream()
    let bytes = Array("é😀".utf8)
    var out = ""
    for b in bytes { out += s.append([b]) }
    #expect(out == "é😀")
    #expect(s.append([0xF0, 0x9F]) == "" && s.hasIncompleteCharacter)
    #expect(s.append([0x98, 0x80, 0x41]) == "😀A" && !s.hasIncompleteCharacter)
    // A lone continuation byte is not held back: it is shown as U+FFFD at once.
    #expect(s.append([0x80]) == "\u{FFFD}" && !s.hasIncompleteCharacter)
  }

  @Test func generationIsSeededStreamedAndCancellable() throws {
    let m = try TinyModel.model()
    var opts = GenerationOptions(maxTokens: 12, sampling: SamplingOptions(temperature: 1.0, seed: 11))
    opts.stopAtEndOfSequence = false
    var streamed = ""
    let a = try m.generate("hello", options: opts, onText: { streamed += $0 })
    let b = try m.generate("hello", options: opts)
    #expect(a.tokens == b.tokens && a.tokens.count == 12 && a.finishReason == .length)
    #expect(streamed == a.text && a.text == m.tokenizer.decode(a.tokens))
    // Greedy equals argmax of the forward pass.
    let g = try m.generate("hello", options: GenerationOptions(maxTokens: 1, sampling: .greedy))
    let logits = try m.forward(m.tokenizer.encode("hello"), cache: m.makeCache(context: 16))
    #expect(g.tokens == [logits.indices.max { logits[$0] < logits[$1] } ?? -1])
    // Cancellation keeps what was generated.
    var calls = 0
    let c = try m.generate("hello", options: opts, isCancelled: { calls += 1; return calls > 4 })
    #expect(c.finishReason == .cancelled && c.tokens == Array(a.tokens.prefix(c.tokens.count)) && c.tokens.count == 3)
  }

  @Test func chatTemplateRendersChatML() throws {
    let smol = try GGUFFile(path: Fixtures.url("smollm2-tokenizer.gguf").path)
    let t = try ChatTemplate(ggufTemplate: smol["tokenizer.chat_template"]?.string)
    let sys = "You are a helpful AI assistant named SmolLM, trained by Hugging Face"
    #expect(t == .chatML(defaultSystem: sys))
    #expect(t.render([ChatMessage(role: "user", content: "What is 2+3?")]) ==
            "<|im_start|>system\n\(sys)<|im_end|>\n<|im_start|>user\nWhat is 2+3?<|im_end|>\n<|im_start|>assistant\n")
    #expect(t.render([ChatMessage(role: "system", content: "Be brief."), ChatMessage(role: "user", content: "Hi")],
                     addGenerationPrompt: false) == "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n")
    #expect(ChatTemplate.alpaca.render([ChatMessage(role: "user", content: "Sum 2 and 3.")]).hasSuffix("### Instruction:\nSum 2 and 3.\n\n### Response:\n"))
    #expect(try ChatTemplate.named("Q: {prompt}\nA:", model: nil).render([ChatMessage(role: "user", content: "x")]) == "Q: x\nA:")
    #expect(throws: ModelError.self) { _ = try ChatTemplate.named("no placeholder", model: nil) }
    #expect(throws: ModelError.self) { _ = try ChatTemplate(ggufTemplate: "{{ bos_token }}[INST]") }
  }

  @Test func conversationKeepsTurnsAndCache() throws {
    let m = try TinyModel.model()
    let conv = try Conversation(model: m, system: "sys", options: GenerationOptions(maxTokens: 5, sampling: .greedy), context: 128)
    let r1 = try conv.send("hello")
    #expect(conv.messages.map(\.role) == ["system", "user", "assistant"])
    #expect(conv.messages[2].content == r1.text)
    let before = conv.cache.count
    try conv.send("more")
    #expect(conv.messages.count == 5 && conv.cache.count > before)
    // The second turn reused the first turn's prefix instead of recomputing it.
    #expect(conv.cachedTokens.count == conv.cache.count)
  }

  @Test func perplexityFollowsLlamaCppWindows() throws {
    let m = try TinyModel.model()
    let text = String(repeating: "hello world, the tiny model speaks. ", count: 3)
    let ctx = 16
    let r = try m.perplexity(text, context: ctx)
    let toks = m.tokenizer.encode(text, parseSpecial: false)
    #expect(r.windows == toks.count / ctx && r.scoredTokens == r.windows * (ctx - 1 - ctx / 2))
    // Independent recomputation: whole window, all logits, second half scored.
    var nll = 0.0
    let v = m.config.vocabularySize
    for w in 0..<r.windows {
      let chunk = Array(toks[(w * ctx)..<((w + 1) * ctx)])
      let lg = try m.forward(chunk, cache: m.makeCache(context: ctx), outputs: 0..<ctx)
      for j in (ctx / 2)..<(ctx - 1) {
        let row = Array(lg[(j * v)..<((j + 1) * v)]).map(Double.init)
        let mx = row.max() ?? 0
        nll += mx + Foundation.log(row.map { Foundation.exp($0 - mx) }.reduce(0, +)) - row[toks[w * ctx + j + 1]]
      }
    }
    #expect(abs(r.perplexity - Foundation.exp(nll / Double(r.scoredTokens))) < 1e-3 * r.perplexity)
    #expect(throws: ModelError.self) { _ = try m.perplexity("short", context: 16) }
  }

  @Test func batchAnswersResumeFromCacheFile() throws {
    let m = try TinyModel.model()
    let prompts = ["hello", "world", "tiny"]
    let path = Fixtures.tempPath(".jsonl")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let opts = GenerationOptions(maxTokens: 4, sampling: .greedy)
    var answered = 0
    let first = try m.answer(prompts, template: .alpaca, options: opts, cacheFile: path,
                             progress: { answered = $0.done }, isCancelled: { answered >= 1 })
    #expect(first[0] != nil && first[1] == nil && first[2] == nil)
    var progressCalls: [Int] = []
    let second = try m.answer(prompts, template: .alpaca, options: opts, cacheFile: path, progress: { progressCalls.append($0.done) })
    #expect(second[0] == first[0])
    #expect(second.allSatisfy { $0 != nil } && progressCalls == [1, 2, 3])
    let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
    #expect(lines.count == 4)
    #expect(lines[1].contains("\"completion_tokens\":") && lines[1].contains("\"finish_reason\":"))
    let fresh = try m.answer(prompts, template: .alpaca, options: opts)
    #expect(fresh.map { $0?.answer } == second.map { $0?.answer })
    // A cache in a directory that does not exist yet: the directory is made.
    let dir = Fixtures.tempPath("")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let nested = try m.answer(prompts, template: .alpaca, options: opts, cacheFile: dir + "/run/answers.jsonl")
    #expect(nested.map { $0?.answer } == second.map { $0?.answer } && FileManager.default.fileExists(atPath: dir + "/run/answers.jsonl"))
    // Answers made with other settings are not reused: the error names what changed.
    func refusal(_ options: GenerationOptions, _ template: ChatTemplate = .alpaca) -> String {
      do { _ = try m.answer(prompts, template: template, options: options, cacheFile: path); return "reused" } catch { return "\(error)" }
    }
    #expect(refusal(GenerationOptions(maxTokens: 8, sampling: .greedy)).contains("answers were made with other settings: max_tokens 4 (now 8)"))
    #expect(refusal(opts, .chatML(defaultSystem: nil)).contains("template \""))
    var warm = opts
    warm.sampling.temperature = 0.7
    #expect(refusal(warm).contains("temperature 0.0 (now 0.7)"))
    // Under greedy decoding the seed does not matter, so it is not compared.
    var seeded = opts
    seeded.sampling.seed = 7
    #expect(refusal(seeded) == "reused")
  }

  @Test func logprobMatchesTheLogitsChainsAndAgreesWithGreedyDecoding() throws {
    let m = try TinyModel.model()
    let prompt = m.tokenizer.encode("hello there"), completion = m.tokenizer.encode(" general kenobi", addBOS: false)
    let r = try m.logprob(prompt: prompt, completion: completion)
    #expect(r.tokens == completion && r.logprobs.count == completion.count && r.logprobs.allSatisfy { $0 < 0 })
    // Against a direct log-softmax of the full sequence's logits.
    let all = prompt + completion, v = m.config.vocabularySize
    let logits = try m.forward(all, cache: m.makeCache(context: all.count), outputs: 0..<all.count)
    for (j, lp) in r.logprobs.enumerated() {
      let row = Array(logits[((prompt.count - 1 + j) * v)..<((prompt.count + j) * v)]).map(Double.init)
      let mx = row.max() ?? 0
      let want = row[all[prompt.count + j]] - mx - log(row.reduce(0) { $0 + exp($1 - mx) })
      #expect(abs(lp - want) < 1e-4, "token \(j): \(lp) vs \(want)")
    }
    // In chunks of 3 tokens through the cache, or with fewer than four completion
    // tokens (the sizes decoding runs with 8-bit activations): the same numbers.
    let chunked = try m.logprob(prompt: prompt, completion: completion, chunk: 3)
    #expect(zip(chunked.logprobs, r.logprobs).allSatisfy { abs($0 - $1) < 1e-4 }, "\(chunked.logprobs) vs \(r.logprobs)")
    for k in 1...3 {
      let prefix = try m.logprob(prompt: prompt, completion: Array(completion.prefix(k)))
      #expect(zip(prefix.logprobs, r.logprobs).allSatisfy { abs($0 - $1) < 1e-4 }, "\(k) tokens: \(prefix.logprobs) vs \(r.logprobs)")
    }
    // The chain rule: log p(a b | p) = log p(a | p) + log p(b | p a).
    let a = Array(completion.prefix(4)), b = Array(completion.dropFirst(4))
    let split = try m.logprob(prompt: prompt, completion: a).total + m.logprob(prompt: prompt + a, completion: b).total
    #expect(abs(split - r.total) < 1e-4)
    // Greedy decoding's own output is greedy; the hand-written completion is not.
    let g = try m.generate(tokens: prompt, options: GenerationOptions(maxTokens: 6, sampling: .greedy, stopAtEndOfSequence: false))
    #expect(try m.logprob(prompt: prompt, completion: g.tokens).greedy)
    #expect(!r.greedy)
    #expect(throws: ModelError.self) { try m.logprob(prompt: prompt, completion: []) }
    #expect(throws: ModelError.self) { try m.logprob(prompt: prompt, completion: Array(repeating: 65, count: 300)) }
  }
}
