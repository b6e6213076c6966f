// A run written to a checkpoint file (`TrainOptions.checkpoint`) and resumed
// by a fresh model, as a later process would, gives the same loss curve and
// weights, to the bit, as the run that never stopped (full fine-tuning and
// LoRA, from a periodic checkpoint and from an interrupted one); and a
// checkpoint that does not fit the model or the data says why, leaving the
// model as it was.

import Foundation
import Testing
@testable import RetortModels

private func options(checkpoint: String? = nil, every: Int = 0) -> TrainOptions {
  var o = TinySFT.options(steps: 9)
  o.gradAccum = 2; o.batch = 2; o.weightDecay = 0.1; o.packing = true; o.evalEvery = 4
  o.checkpoint = checkpoint; o.checkpointEvery = every
  return o
}

private let data = TrainingData.instructions(TinySFT.examples)
private let eval = TrainingData.instructions(Array(TinySFT.examples.prefix(2)))
private let adapters = LoRAOptions(rank: 4, alpha: 8, dropout: 0.1, seed: 3)

private func scratch(_ name: String) -> String {
  let dir = FileManager.default.temporaryDirectory.appendingPathComponent("retort-ckpt-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
  return dir.appendingPathComponent(name).path
}

private func trained(_ m: TrainableLlama, lora: Bool) throws -> [Float] {
  lora ? Array(UnsafeBufferPointer(start: m.lora!.values.pointer, count: m.lora!.values.count))
       : try m.tensorValues("blk.1.ffn_down.weight")
}

/// A model as a new process makes it: full fine-tuning starts from other weights (the checkpoint replaces them).
private func fresh(lora: Bool) throws -> TrainableLlama {
  let m = try TinySFT.model(seed: lora ? 12 : 99)
  if lora { try m.attachLoRA(adapters) }
  return m
}

@Test(arguments: [false, true])
func runResumedFromACheckpointFileMatchesTheUninterruptedOne(lora: Bool) throws {
  let ref = try TinySFT.model(seed: 12)
  if lora { try ref.attachLoRA(adapters) }
  let full = try ref.train(data, options: options(), eval: eval)

  // Periodic checkpoints every 3 steps; the process "dies" during step 5, leaving step 3's file.
  let path = scratch("run.ckpt"), killed = scratch("killed.ckpt")
  let first = try TinySFT.model(seed: 12)
  if lora { try first.attachLoRA(adapters) }
  var done = 0
  _ = try first.train(data, options: options(checkpoint: path, every: 3), eval: eval, progress: { p in
    done = p.step
    if p.step == 4 {
      try? FileManager.default.createDirectory(atPath: (killed as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
      try? FileManager.default.copyItem(atPath: path, toPath: killed)
    }
  }, isCancelled: { done >= 5 })

  // (Resuming from `path` carries the run on writing to it; the copy is read after.)
  for (file, steps) in [(path, 5), (killed, 3)] {
    let m = try fresh(lora: lora)
    let run = try m.resumeRun(checkpoint: file)
    #expect(run.steps == steps && run.state != nil)
    let resumed = try m.train(data, eval: eval, resume: run)
    #expect(resumed.steps == 9 && !resumed.cancelled)
    #expect(resumed.loss.map(\.bitPattern) == full.loss.map(\.bitPattern), "loss curve differs after resuming from \(file)")
    #expect(resumed.evalLoss.map(\.bitPattern) == full.evalLoss.map(\.bitPattern) && resumed.evalSteps == full.evalSteps)
    #expect(try trained(m, lora: lora) == trained(ref, lora: lora), "weights differ after resuming from \(file)")
    #expect(resumed.tokens == full.tokens && resumed.data == full.data)
  }
  // The run's end is written too, and a completed run has nothing to resume.
  let completed = try SafetensorsFile(path: path)
  #expect(completed.entries["run.loss"]?.shape == [9])
}

@Test func checkpointsThatDoNotFitSayWhyAndLeaveTheModelAlone() throws {
  let path = scratch("stop.ckpt")
  let m = try TinySFT.model(seed: 12)
  try m.attachLoRA(adapters)
  var done = 0
  let stopped = try m.train(data, options: options(checkpoint: path), progress: { done = $0.step }, isCancelled: { done >= 2 })
  #expect(stopped.cancelled && stopped.checkpointError == nil)
  let summary = try TrainableLlama.checkpointSummary(path)
  #expect(summary.lora == adapters && summary.steps == 2 && summary.plannedSteps == 9 && !summary.completed)
  #expect(summary.options == options(checkpoint: path))
  func message(_ body: () throws -> Void) -> String {
    do { try body(); return "(no error)" } catch { return "\(error)" }
  }
  // No adapters, other adapters, other base weights, another shape.
  #expect(message { _ = try TinySFT.model(seed: 12).resumeRun(checkpoint: path) }.contains("attach them first"))
  let other = try TinySFT.model(seed: 12)
  try other.attachLoRA(LoRAOptions(rank: 2, alpha: 8, dropout: 0.1, seed: 3))
  #expect(message { _ = try other.resumeRun(checkpoint: path) }.contains("differ from the attached ones"))
  let base = try TinySFT.model(seed: 13)
  try base.attachLoRA(adapters)
  #expect(message { _ = try base.resumeRun(checkpoint: path) }.contains("other base weights"))
  let wide = try TrainableLlama(vocab: 259, context: 64, layers: 2, heads: 2, kvHeads: 1, dim: 48, hidden: 64, seed: 1)
  #expect(message { _ = try wide.resumeRun(checkpoint: path) }.contains("the run trained a model of"))
  // Other data: refused by train, before the adapters change.
  let m2 = try TinySFT.model(seed: 12)
  try m2.attachLoRA(adapters)
  let before = try trained(m2, lora: true)
  let run = try m2.resumeRun(checkpoint: path)
  #expect(message { _ = try m2.train(.instructions(Array(TinySFT.examples.prefix(3))), resume: run) }
            .contains("needs the run's own training data"))
  #expect(try trained(m2, lora: true) == before)
  // Not a checkpoint, a missing file, a completed run.
  let plain = scratch("model.safetensors")
  try m2.save(plain)
  #expect(message { _ = try m2.resumeRun(checkpoint: plain) }.contains("not a Retort training checkpoint"))
  #expect(message { _ = try m2.resumeRun(checkpoint: plain + ".missing") }.contains("missing"))
  let finished = try m2.train(data, resume: try m2.resumeRun(checkpoint: path))
  #expect(finished.steps == 9)
  // A completed run hands over its final weights and trains nothing more.
  let m3 = try TinySFT.model(seed: 12)
  try m3.attachLoRA(adapters)
  let again = try m3.train(data, resume: try m3.resumeRun(checkpoint: path))
  #expect(again.steps == 9 && again.state == nil && again.loss == finished.loss)
  #expect(try trained(m3, lora: true) == trained(m2, lora: true))
  #expect(try TrainableLlama.checkpointSummary(path).completed)
}

@Test func aCheckpointThatCannotBeWrittenStopsTheRunAndKeepsIt() throws {
  // A path that cannot be written is refused before the first step.
  let path = scratch("dir.ckpt")
  try FileManager.default.createDirectory(atPath: path + "/inside", withIntermediateDirectories: true)
  let m = try TinySFT.model(seed: 12)
  #expect(throws: ModelError.self) { _ = try m.train(data, options: options(checkpoint: path, every: 2)) }
  // One that stops working mid-run (here: a directory appears in its place) stops the run, state kept.
  let later = scratch("later.ckpt")
  let run = try m.train(data, options: options(checkpoint: later, every: 2), progress: { p in
    if p.step == 1 { try? FileManager.default.createDirectory(atPath: later + "/inside", withIntermediateDirectories: true) }
  })
  #expect(run.steps == 2 && run.cancelled && run.state != nil)
  #expect(run.checkpointError?.contains(later) == true)
  var o = options(); o.checkpointEvery = -1
  #expect(throws: ModelError.self) { _ = try m.train(data, options: o) }
}
