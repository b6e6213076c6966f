// An interrupted run resumed with `train(resume:)` gives the same loss curve
// and weights, to the bit, as the run that was never interrupted (full
// fine-tuning and LoRA, across epochs, with accumulation and eval); and a run
// that cannot resume says why.

import Foundation
import Testing
@testable import RetortModels

private func options() -> TrainOptions {
  var o = TinySFT.options(steps: 9)
  o.gradAccum = 2; o.batch = 2; o.weightDecay = 0.1; o.packing = true; o.evalEvery = 4
  return o
}

private let data = TrainingData.instructions(TinySFT.examples)
private let eval = TrainingData.instructions(Array(TinySFT.examples.prefix(2)))

/// Trains `options()`, stopping after `stopAt` steps and resuming (twice when given two stops).
private func curve(lora: Bool, stops: [Int]) throws -> (loss: [UInt32], eval: [UInt32], weights: [Float], run: TrainRun) {
  let m = try TinySFT.model(seed: 12)
  if lora { try m.attachLoRA(LoRAOptions(rank: 4, alpha: 8, dropout: 0.1, seed: 3)) }
  var run: TrainRun? = nil
  for stop in stops + [Int.max] {
    var done = 0
    run = try m.train(data, options: options(), eval: eval, resume: run, progress: { done = $0.step },
                      isCancelled: { done >= stop })
  }
  guard let run else { throw ModelError("no run") }
  let weights = lora ? Array(UnsafeBufferPointer(start: m.lora!.values.pointer, count: m.lora!.values.count))
                     : try m.tensorValues("blk.1.ffn_down.weight")
  return (run.loss.map(\.bitPattern), run.evalLoss.map(\.bitPattern), weights, run)
}

@Test(arguments: [false, true])
func resumedRunMatchesTheUninterruptedOne(lora: Bool) throws {
  let whole = try curve(lora: lora, stops: [])
  // Stops at step 3 (inside the first epoch's rows) and 7 (after an epoch boundary).
  let resumed = try curve(lora: lora, stops: [3, 7])
  #expect(whole.run.steps == 9 && resumed.run.steps == 9 && !resumed.run.cancelled && resumed.run.state == nil)
  #expect(resumed.loss == whole.loss, "loss curves differ after resuming")
  #expect(resumed.eval == whole.eval && resumed.run.evalSteps == whole.run.evalSteps)
  #expect(resumed.weights == whole.weights, "weights differ after resuming")
  #expect(resumed.run.tokens == whole.run.tokens)
}

@Test func runsThatCannotResumeSayWhy() throws {
  let m = try TinySFT.model(seed: 13)
  var done = 0
  let stopped = try m.train(data, options: options(), progress: { done = $0.step }, isCancelled: { done >= 2 })
  #expect(stopped.cancelled && stopped.steps == 2 && stopped.state != nil)
  func message(_ body: () throws -> Void) -> String {
    do { try body(); return "(no error)" } catch { return "\(error)" }
  }
  // Other data, another model, a completed run.
  #expect(message { _ = try m.train(.instructions(Array(TinySFT.examples.prefix(3))), resume: stopped) }
            .contains("needs the run's own training data"))
  #expect(message { _ = try TinySFT.model(seed: 13).train(data, resume: stopped) }.contains("another model"))
  let finished = try m.train(data, resume: stopped)
  #expect(finished.steps == 9 && finished.state == nil)
  #expect(message { _ = try m.train(data, resume: stopped) }.contains("already resumed"))
  #expect(message { _ = try m.train(data, resume: finished) }.contains("nothing to resume"))
  // The model changed after the run stopped.
  done = 0
  let again = try m.train(data, options: options(), progress: { done = $0.step }, isCancelled: { done >= 2 })
  try m.attachLoRA(LoRAOptions(rank: 2))
  #expect(message { _ = try m.train(data, resume: again) }.contains("the model changed since the run stopped"))
}

/// Ctrl-C during an evaluation stops it between batches; the resumed run evaluates that step
/// first, so its eval series is the uninterrupted run's, and eval time is kept out of tokens/s.
@Test func aRunStoppedDuringAnEvaluationResumesWithIt() throws {
  let wide = TrainingData.instructions(TinySFT.examples)  // several eval batches of 2
  let whole = try TinySFT.model(seed: 12).train(data, options: options(), eval: wide)
  let m = try TinySFT.model(seed: 12)
  var stop = false, evalReports = 0
  let stopped = try m.train(data, options: options(), eval: wide, progress: { p in
    if let e = p.evaluated, p.step == 4 {
      evalReports += 1
      if e.done == 0 { stop = true }
    }
  }, isCancelled: { stop })
  #expect(stopped.cancelled && stopped.steps == 4 && stopped.evalSteps.isEmpty, "\(stopped.evalSteps)")
  #expect(evalReports == 1, "the evaluation stopped at its next batch")
  let resumed = try m.train(data, eval: wide, resume: stopped)
  #expect(resumed.evalSteps == whole.evalSteps && resumed.evalSteps == [4, 8, 9])
  #expect(resumed.evalLoss.map(\.bitPattern) == whole.evalLoss.map(\.bitPattern))
  #expect(resumed.loss.map(\.bitPattern) == whole.loss.map(\.bitPattern))
  #expect(whole.evalTime > 0 && whole.evalTime < whole.wallTime)
  #expect(whole.tokensPerSecond == Double(whole.tokens) / (whole.wallTime - whole.evalTime))
}
