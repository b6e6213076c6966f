// Supervised fine-tuning end to end on a byte-level model: prompt masking,
// a tiny model learning a small instruction set and answering it through
// the loader's forward pass, bit-identical loss curves, cancellation.

import Foundation
import Testing
import RetortCompute
@testable import RetortModels

enum TinySFT {
  static let examples = [
    InstructionExample(instruction: "What is 2+3?", output: "5"),
    InstructionExample(instruction: "Capital of France?", output: "Paris"),
    InstructionExample(instruction: "Opposite of hot?", output: "cold"),
    InstructionExample(instruction: "Say hi", output: "hi there"),
    InstructionExample(instruction: "Color of the sky?", output: "blue"),
    InstructionExample(instruction: "Reverse", input: "abc", output: "cba"),
  ]

  static func model(seed: Int = 1) throws -> TrainableLlama {
    try TrainableLlama(vocab: 259, context: 64, layers: 2, heads: 2, kvHeads: 1, dim: 32, hidden: 64, seed: seed)
  }

  static func options(steps: Int) -> TrainOptions {
    var o = TrainOptions()
    o.steps = steps; o.lr = 1e-2; o.warmup = min(5, steps); o.batch = 6; o.seq = 48; o.template = .chat; o.packing = false
    o.seed = 4; o.clip = 1
    return o
  }

  /// Greedy answer through the loader's forward pass, stopping at <|im_end|>.
  static func answer(_ m: LlamaModel, _ trainer: TrainableLlama, _ e: InstructionExample) throws -> String {
    var toks = m.tokenizer.encode(try trainer.prompt(e, template: .chat))
    let cache = try m.makeCache(context: 64)
    var logits = try m.forward(toks, cache: cache)
    var out: [Int] = []
    let end = m.tokenizer.id(of: "<|im_end|>")
    for _ in 0..<12 {
      let next = logits.indices.max { logits[$0] < logits[$1] } ?? 0
      if next == end { break }
      out.append(next)
      toks.append(next)
      logits = try m.forward([next], cache: cache)
    }
    return m.tokenizer.decode(out)
  }
}

@Test func sftMasksThePromptAndTrainsResponsePlusEOS() throws {
  let m = try TinySFT.model()
  for (ex, template) in [(TinySFT.examples[0], PromptTemplate.alpaca), (TinySFT.examples[5], .alpaca), (TinySFT.examples[5], .chat)] {
    let t = try m.tokenize(.instructions([ex]), template: template)[0]
    let promptLen = m.tokenizer.encode(try m.prompt(ex, template: template)).count
    let response = m.tokenizer.encode(ex.output, addBOS: false) + [try m.endToken(template)]
    #expect(t.tokens.count == promptLen + response.count)
    // Positions before the last prompt token score nothing; from there on the next response token.
    #expect(t.targets[0..<(promptLen - 1)].allSatisfy { $0 == -1 })
    #expect(Array(t.targets[(promptLen - 1)..<(t.tokens.count - 1)]) == response.map(Int32.init))
    #expect(t.targets.last == -1)
  }
  #expect(try m.prompt(TinySFT.examples[5], template: .alpaca).contains("### Input:\nabc"))
  #expect(!(try m.prompt(TinySFT.examples[0], template: .alpaca)).contains("### Input:"))
  #expect(try m.endToken(.chat) == m.tokenizer.id(of: "<|im_end|>"))
  // A prompt-only change leaves nothing scored in the prompt: the loss over masked rows is zero-count.
  let rows = TokenRows.padded(try m.tokenize(.instructions([TinySFT.examples[0]]), template: .chat), seq: 8, pad: 256)
  #expect(rows.targets.allSatisfy { $0 == -1 })
}

@Test func packedExamplesDoNotSeeEachOther() throws {
  let m = try TinySFT.model(seed: 6)
  let ex = try m.tokenize(.instructions(Array(TinySFT.examples.prefix(2))), template: .chat)
  let seq = ex[0].tokens.count + ex[1].tokens.count + 3
  let packed = TokenRows.packed(ex, seq: seq, pad: 256)
  #expect(packed.count == 1 && packed.starts[ex[0].tokens.count] == Int32(ex[0].tokens.count))
  func losses(_ rows: TokenRows) throws -> [Float] {
    let b = try PassBuffers(model: m, batch: rows.count, seq: rows.seq, training: false)
    for i in 0..<b.n { b.tokens[i] = rows.tokens[i]; b.targets[i] = rows.targets[i]; b.starts[i] = rows.starts[i] }
    _ = m.pass(b, grads: nil, lossScale: 0, step: 0)
    return Array(UnsafeBufferPointer(start: b.losses, count: b.n))
  }
  let together = try losses(packed)
  let alone = try losses(TokenRows.padded([ex[1]], seq: seq, pad: 256))
  let n0 = ex[0].tokens.count, n1 = ex[1].tokens.count
  let worst = (0..<n1).map { abs(together[n0 + $0] - alone[$0]) }.max() ?? 1
  #expect(worst < 1e-4, "second example's token losses differ by \(worst) when packed")
  #expect(alone[0..<n1].contains { $0 > 0 })
}

@Test func packingMovesAnExampleToTheNextRowRatherThanSplitIt() {
  func ex(_ n: Int, _ base: Int32) -> TokenizedExample {
    TokenizedExample(tokens: (0..<Int32(n)).map { base + $0 }, targets: (0..<Int32(n)).map { $0 < 2 ? -1 : base + $0 + 1 })
  }
  // 5 + 4 fit a row of 10; the next 4 do not fit the one position left, so they start row 2 at position 0.
  let r = TokenRows.packed([ex(5, 100), ex(4, 200), ex(4, 300), ex(23, 400)], seq: 10, pad: 7)
  #expect(r.count == 5 && r.tokens.count == r.starts.count && r.targets.count == r.tokens.count)
  #expect(Array(r.tokens[0..<10]) == [100, 101, 102, 103, 104, 200, 201, 202, 203, 7])
  #expect(Array(r.starts[0..<10]) == [0, 0, 0, 0, 0, 5, 5, 5, 5, 9] && r.targets[9] == -1)
  #expect(Array(r.tokens[10..<14]) == [300, 301, 302, 303] && Array(r.starts[10..<14]) == [0, 0, 0, 0])
  #expect(r.tokens[14..<20].allSatisfy { $0 == 7 } && r.targets[14..<20].allSatisfy { $0 == -1 })
  // Longer than a row: it starts a row and is cut into rows (each row's part starts at 0), the last padded.
  #expect(Array(r.tokens[20..<43]) == (0..<23).map { 400 + Int32($0) })
  #expect(r.starts[20..<50].allSatisfy { $0 == 0 || $0 == 3 } && r.starts[42] == 0 && r.starts[43] == 3)
  #expect(r.tokens[43..<50].allSatisfy { $0 == 7 })
}

@Test func longExamplesAreTruncatedUnlessPackedTextsSpanRows() {
  func ex(_ n: Int, prompt: Int, _ base: Int32) -> TokenizedExample {
    TokenizedExample(tokens: (0..<Int32(n)).map { base + $0 },
                     targets: (0..<Int32(n)).map { $0 < Int32(prompt) || $0 == Int32(n) - 1 ? -1 : base + $0 + 1 })
  }
  let data = [ex(5, prompt: 2, 100), ex(23, prompt: 3, 200), ex(15, prompt: 12, 300)]
  // Instructions (or padded rows): cut to a row; the third's response starts past position 10, so it is
  // skipped (and counted only as skipped: each example is counted once).
  let cut = data.fitted(seq: 10, spanRows: false)
  #expect(cut.examples.count == 2 && cut.stats.examples == 3 && cut.stats.truncated == 1 && cut.stats.skipped == 1)
  #expect(cut.examples[1].tokens == (0..<10).map { 200 + Int32($0) } && cut.examples[1].targets.count == 10)
  #expect(cut.examples[1].targets[9] == 210, "the last kept position still predicts the next (cut) token")
  #expect(cut.stats.scoredTokens == 2 + 7 && cut.stats.spanning == 0)
  // Packed plain texts keep their whole length and span rows.
  let span = data.fitted(seq: 10, spanRows: true)
  #expect(span.examples.map(\.tokens.count) == [5, 23, 15] && span.stats.spanning == 2 && span.stats.truncated == 0)
  #expect(span.stats.skipped == 0 && span.stats.scoredTokens == 2 + 19 + 2)
}

@Test func trainReportsTruncatedAndSkippedExamples() throws {
  let m = try TinySFT.model(seed: 3)
  let long = InstructionExample(instruction: "Spell it out", output: String(repeating: "ab", count: 60))
  let wordy = InstructionExample(instruction: String(repeating: "why ", count: 30), output: "because")
  var o = TinySFT.options(steps: 2)
  o.packing = true
  var seen: [TrainDataStats] = []
  var stepsBeforeData = 0
  let run = try m.train(.instructions(TinySFT.examples + [long, wordy]), options: o,
                        eval: .instructions([TinySFT.examples[0], long, wordy]),
                        prepared: { seen.append($0) }, progress: { _ in if seen.isEmpty { stepsBeforeData += 1 } })
  #expect(run.data.evalExamples == 3 && run.data.evalTruncated == 1 && run.data.evalSkipped == 1)
  #expect(run.evalLoss.count == 1 && run.evalLoss[0] > 0)
  #expect(seen.count == 1 && seen.first == run.data && stepsBeforeData == 0)
  #expect(run.data.examples == 8 && run.data.truncated == 1 && run.data.skipped == 1 && run.data.spanning == 0)
  #expect(run.data.rows >= 2 && run.data.fill > 0.5 && run.data.fill <= 1)
  let rows = TokenRows.packed(try m.tokenize(.instructions([long]), template: .chat).fitted(seq: 48, spanRows: false).examples,
                              seq: 48, pad: 256)
  #expect(rows.count == 1, "a truncated example fills exactly one row")
  // Nothing left to train anywhere: a clear error, not an empty run.
  #expect(throws: ModelError.self) { try m.train(.instructions([wordy]), options: o) }
}

@Test func tinyModelLearnsInstructionsAndAnswersThem() throws {
  let m = try TinySFT.model()
  var seen = 0
  let run = try m.train(.instructions(TinySFT.examples), options: TinySFT.options(steps: 80),
                        eval: .instructions(Array(TinySFT.examples.prefix(2))),
                        progress: { p in seen = p.step; #expect(p.tokensPerSecond > 0) })
  #expect(seen == 80 && run.steps == 80)
  #expect(run.loss[0] > 3 && run.loss.last! < 0.1, "loss \(run.loss[0]) -> \(run.loss.last!)")
  #expect(run.evalLoss.last! < 0.1 && run.evalSteps == [80])
  #expect(run.lr[0] < run.lr[4] && run.lr.last! < 1e-4)
  #expect(run.chart().contains("*"))
  // The step axis: "step 1" under the first column and the last step ending under the last.
  // (With the eval loss drawn as o and a legend line.)
  let lines = run.chart(width: 40, height: 4).split(separator: "\n")
  #expect(lines.count == 7 && lines[4].hasSuffix("+" + String(repeating: "-", count: 40)) && lines[6].contains("o eval loss"))
  #expect(lines[5].hasPrefix("          step 1 ") && lines[5].hasSuffix(" 80") && lines[5].count == lines[4].count, "\(lines)")
  var one = run
  one.loss = [2.5]
  one.evalLoss = []; one.evalSteps = []
  #expect(one.chart().hasSuffix("+-\n          step 1"))
  let loaded = try m.makeLlamaModel()
  for e in TinySFT.examples {
    let got = try TinySFT.answer(loaded, m, e)
    #expect(got == e.output, "\(e.instruction): \(got) (final loss \(run.loss.last!))")
  }
}

@Test func lossCurveIsBitIdenticalForTheSameSeed() throws {
  var curves: [[UInt32]] = []
  var weights: [[Float]] = []
  for _ in 0..<2 {
    let m = try TinySFT.model(seed: 9)
    var o = TinySFT.options(steps: 6)
    o.gradAccum = 2; o.batch = 3; o.weightDecay = 0.1; o.packing = true
    let run = try m.train(.instructions(TinySFT.examples), options: o)
    curves.append(run.loss.map(\.bitPattern))
    weights.append(try m.tensorValues("blk.1.ffn_down.weight"))
  }
  #expect(curves[0] == curves[1])
  #expect(weights[0] == weights[1])
  let other = try TinySFT.model(seed: 9)
  var o = TinySFT.options(steps: 6)
  o.seed = 5; o.gradAccum = 2; o.batch = 3; o.packing = true
  #expect(try other.train(.instructions(TinySFT.examples), options: o).loss.map(\.bitPattern) != curves[0])
}

@Test func lossCurveDoesNotDependOnTheThreadCount() throws {
  var curves: [[UInt32]] = []
  for threads in [1, 2, 3] {
    let m = try TinySFT.model(seed: 10)
    try m.attachLoRA(LoRAOptions(rank: 4, alpha: 8, dropout: 0.1, seed: 2))
    let run = try WorkerPool.with(WorkerPool.pool(threads: threads)) {
      try m.train(.instructions(TinySFT.examples), options: TinySFT.options(steps: 4))
    }
    curves.append(run.loss.map(\.bitPattern))
  }
  #expect(curves[0] == curves[1] && curves[1] == curves[2])
}

@Test func gradientCheckpointingGivesTheSameCurveWithLessMemory() throws {
  var curves: [[UInt32]] = []
  for ckpt in [false, true] {
    let m = try TinySFT.model(seed: 12)
    try m.attachLoRA(LoRAOptions(rank: 2, alpha: 4, dropout: 0.2, targets: [.q, .down], seed: 1))
    var o = TinySFT.options(steps: 3)
    o.gradientCheckpointing = ckpt
    curves.append(try m.train(.instructions(TinySFT.examples), options: o).loss.map(\.bitPattern))
  }
  #expect(curves[0] == curves[1])
  let m = try TinySFT.model()
  let plain = try PassBuffers(model: m, batch: 4, seq: 32, training: true)
  let ckpt = try PassBuffers(model: m, batch: 4, seq: 32, training: true, checkpointing: true)
  #expect(ckpt.arena.floats < plain.arena.floats * 3 / 4)
  let full = try TinySFT.model(seed: 3), again = try TinySFT.model(seed: 3)
  var o = TinySFT.options(steps: 2)
  let a = try full.train(.instructions(TinySFT.examples), options: o)
  o.gradientCheckpointing = true
  let b = try again.train(.instructions(TinySFT.examples), options: o)
  #expect(a.loss.map(\.bitPattern) == b.loss.map(\.bitPattern))
  #expect(try full.tensorValues("blk.0.attn_q.weight") == again.tensorValues("blk.0.attn_q.weight"))
}

@Test func cancellationStopsAfterTheCurrentStepAndKeepsTheRun() throws {
  let m = try TinySFT.model()
  let before = try m.tensorValues("token_embd.weight")
  var steps = 0
  let run = try m.train(.instructions(TinySFT.examples), options: TinySFT.options(steps: 50),
                        progress: { p in steps = p.step }, isCancelled: { steps >= 3 })
  #expect(run.cancelled && run.steps == 3 && run.loss.count == 3)
  #expect(try m.tensorValues("token_embd.weight") != before)
}

@Test func trainingRejectsBadOptions() throws {
  let m = try TinySFT.model()
  var o = TrainOptions()
  o.seq = 1000
  #expect(throws: ModelError.self) { try m.train(.instructions(TinySFT.examples), options: o) }
  o.seq = 32; o.lr = -1
  do {
    _ = try m.train(.instructions(TinySFT.examples), options: o)
    Issue.record("expected an error")
  } catch let e as ModelError {
    #expect(e.description.contains("lr"))
  }
  #expect(throws: ModelError.self) { try m.train(.instructions([]), options: TrainOptions()) }
  let bytesOnly = try TrainableLlama(vocab: 256, context: 32, layers: 1, heads: 2, dim: 16, hidden: 32)
  #expect(throws: ModelError.self) { try bytesOnly.train(.instructions(TinySFT.examples), options: TrainOptions()) }
}

@Test func paddedRowsRunAtTheWidthOfTheLongestInTheirBatch() throws {
  // packing=false padded every row to seq: a larger seq did the same training
  // several times slower, and counted the padding as tokens trained.
  var runs: [TrainRun] = []
  for seq in [48, 64] {
    let m = try TinySFT.model()
    var o = TinySFT.options(steps: 4)
    o.seq = seq
    runs.append(try m.train(.instructions(TinySFT.examples), options: o, eval: .instructions(TinySFT.examples)))
  }
  #expect(runs[0].loss.map(\.bitPattern) == runs[1].loss.map(\.bitPattern))
  #expect(runs[0].evalLoss.map(\.bitPattern) == runs[1].evalLoss.map(\.bitPattern))
  #expect(runs[0].tokens == runs[1].tokens && runs[0].tokens < 4 * 6 * 48, "\(runs[0].tokens)")
}
