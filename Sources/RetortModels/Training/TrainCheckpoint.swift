// Training checkpoints on disk (`train(checkpoint: path)`): what an
// interrupted run keeps in memory for `train(resume:)`, written to one file
// so that a later process can carry the run on, bit for bit, after a crash,
// a kill or the end of a session.
//
// The file is a safetensors file, written atomically (a kill while writing
// leaves the previous checkpoint intact):
//   weights | lora        the values being trained (the f32 model, or the adapters)
//   adam.m, adam.v        AdamW's moments for them
//   run.loss, run.lr, run.eval_loss   the curves so far (exact bits)
//   __metadata__: format, and `record` (JSON): options, data position (epoch,
//   row), history, and the keys that check the data, the model's shape and,
//   for LoRA runs, the frozen base weights.

import Foundation
import RetortCompute
import RetortFiles

/// A checkpoint's run at a glance (`TrainableLlama.checkpointSummary`).
public struct TrainCheckpointSummary: Sendable {
  public var options: TrainOptions
  public var lora: LoRAOptions?
  public var steps: Int, plannedSteps: Int
  public var completed: Bool { steps >= plannedSteps }
}

/// The JSON part of a training checkpoint.
struct TrainCheckpointRecord: Codable {
  var options: TrainOptions
  var evalSteps: [Int]
  var tokens: Int
  /// Rows trained (absent in checkpoints written before it was recorded).
  var rows: Int?
  var wallTime: Double
  /// Seconds of evaluation within wallTime (absent in checkpoints written before it was recorded).
  var evalTime: Double?
  var trainableParameters: Int
  var plannedSteps: Int
  var data: TrainDataStats
  var epoch: Int, cursor: Int
  /// Hex keys: the fitted training data, and the frozen base of a LoRA run.
  var dataKey: String
  var baseKey: String?
  /// The model's shape, as `TrainCheckpointRecord.shape(_:)` writes it.
  var shape: String
  var lora: LoRARecord?

  struct LoRARecord: Codable, Equatable {
    var rank: Int, alpha: Float, dropout: Float, targets: [String], seed: Int, embeddings: Bool
    /// `LoRAOptions.untiedOutput`; absent when false.
    var untiedOutput: Bool?
  }

  static let format = "retort.train_checkpoint.v1"

  static func shape(_ c: LlamaConfig) -> String {
    "vocab \(c.vocabularySize), dim \(c.dim), layers \(c.layers), heads \(c.heads)/\(c.kvHeads), ffn \(c.ffnDim), context \(c.contextLength)"
  }

  static func read(_ path: String) throws -> (SafetensorsFile, TrainCheckpointRecord) {
    let f: SafetensorsFile
    do {
      f = try SafetensorsFile(path: path)
    } catch {
      // A missing file says so; anything else that is not safetensors is not a checkpoint.
      guard FileManager.default.fileExists(atPath: path) else { throw error }
      // A model file is a common slip: name it rather than quote the safetensors parser.
      if let h = FileHandle(forReadingAtPath: path), let magic = try? h.read(upToCount: 4), Array(magic) == Array("GGUF".utf8) {
        throw ModelError("\(path): a GGUF model, not a Retort training checkpoint (write one with m.train(..., checkpoint=path))")
      }
      throw ModelError("\(path): not a Retort training checkpoint (\(error))")
    }
    guard f.metadata["format"] == format, let json = f.metadata["record"] else {
      throw ModelError("\(path): not a Retort training checkpoint (write one with m.train(..., checkpoint=path))")
    }
    do {
      return (f, try JSONDecoder().decode(TrainCheckpointRecord.self, from: Data(json.utf8)))
    } catch let e as DecodingError {
      throw ModelError("\(path): the checkpoint's record is unreadable: \(e.plainDescription)")
    }
  }
}

extension LoRAOptions {
  var record: TrainCheckpointRecord.LoRARecord {
    .init(rank: rank, alpha: alpha, dropout: dropout, targets: targets.map(\.rawValue), seed: seed, embeddings: trainEmbeddings,
          untiedOutput: untiedOutput ? true : nil)
  }
}

extension TrainableLlama {
  /// Writes the state of `run` (stopped after its last recorded step) to `path` atomically.
  func writeCheckpoint(_ path: String, run: TrainRun, adam: AdamW, epoch: Int, cursor: Int, dataKey: UInt64,
                       baseKey: UInt64?) throws {
    let trained = lora?.values ?? values
    let record = TrainCheckpointRecord(
      options: run.options, evalSteps: run.evalSteps, tokens: run.tokens, rows: run.rows, wallTime: run.wallTime,
      evalTime: run.evalTime, trainableParameters: run.trainableParameters, plannedSteps: run.plannedSteps, data: run.data,
      epoch: epoch, cursor: cursor, dataKey: FNV1a.hex(dataKey), baseKey: baseKey.map { FNV1a.hex($0) },
      shape: TrainCheckpointRecord.shape(config), lora: lora?.options.record)
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    let json = String(decoding: try encoder.encode(record), as: UTF8.self)
    let n = trained.count
    let tensors: [(name: String, shape: [Int], bytes: UnsafeRawBufferPointer)] = [
      (lora == nil ? "weights" : "lora", [n], UnsafeRawBufferPointer(start: trained.pointer, count: 4 * n)),
      ("adam.m", [n], UnsafeRawBufferPointer(start: adam.m.pointer, count: 4 * n)),
      ("adam.v", [n], UnsafeRawBufferPointer(start: adam.v.pointer, count: 4 * n)),
    ]
    let header = try SafetensorsFile.header(
      tensors.map { ($0.name, $0.shape) } + [("run.loss", [run.loss.count]), ("run.lr", [run.lr.count]),
                                             ("run.eval_loss", [run.evalLoss.count])],
      metadata: ["format": TrainCheckpointRecord.format, "record": json])
    try header.withUnsafeBytes { h in
      try run.loss.withUnsafeBytes { loss in
        try run.lr.withUnsafeBytes { lr in
          try run.evalLoss.withUnsafeBytes { ev in
            try AtomicFile.write(parts: [h] + tensors.map(\.bytes) + [loss, lr, ev], to: path)
          }
        }
      }
    }
  }

  /// What a checkpoint holds, read from its header: the run's options, the
  /// adapters it trained (nil for full fine-tuning: a fresh model attaches
  /// them before `resumeRun(checkpoint:)`), and its steps done and planned.
  public static func checkpointSummary(_ path: String) throws -> TrainCheckpointSummary {
    let (f, r) = try TrainCheckpointRecord.read(path)
    return TrainCheckpointSummary(options: r.options, lora: try r.lora?.options(path),
                                  steps: f.entries["run.loss"]?.shape.first ?? 0, plannedSteps: r.plannedSteps)
  }

  /// Reads the checkpoint at `path` and returns its run, ready for
  /// `train(data, resume: run)`, which puts the run's trained weights (or
  /// adapter values) into this model once it has checked the data, and then
  /// trains the steps left (none for a completed run). The model must have the
  /// run's shape; a LoRA run needs the same adapters attached (see
  /// `checkpointSummary`) over the same frozen base weights.
  public func resumeRun(checkpoint path: String) throws -> TrainRun {
    let (f, r) = try TrainCheckpointRecord.read(path)
    guard r.shape == TrainCheckpointRecord.shape(config) else {
      throw ModelError("\(path): the run trained a model of \(r.shape); this one is \(TrainCheckpointRecord.shape(config))")
    }
    let target: FloatBuffer
    if let want = r.lora {
      guard let lora else {
        throw ModelError("\(path): the run trained LoRA adapters (r=\(want.rank)); attach them first with lora(...)")
      }
      guard lora.options.record == want else {
        throw ModelError("\(path): the run's adapters (r=\(want.rank), alpha=\(want.alpha), targets \(want.targets.joined(separator: ","))) differ from the attached ones")
      }
      guard r.baseKey == FNV1a.hex(baseKey) else {
        throw ModelError("\(path): the run's adapters were trained over other base weights; load the model the run started from")
      }
      target = lora.values
    } else {
      guard lora == nil else { throw ModelError("\(path): the run fine-tuned the whole model; unload the adapters first") }
      guard !hasQuantizedBase else { throw ModelError("\(path): the run fine-tuned f32 weights; this model's base is quantized") }
      target = values
    }
    let name = r.lora == nil ? "weights" : "lora"
    guard f.entries[name]?.shape == [target.count] else {
      throw ModelError("\(path): tensor \(name) does not hold the \(target.count) values this model trains")
    }
    let evalLoss = try f.floats("run.eval_loss")
    var run = TrainRun(options: r.options)
    run.loss = try f.floats("run.loss")
    run.lr = try f.floats("run.lr")
    guard run.lr.count == run.loss.count, evalLoss.count == r.evalSteps.count, run.loss.count <= r.plannedSteps else {
      throw ModelError("\(path): the checkpoint's curves do not match its record")
    }
    run.evalSteps = r.evalSteps; run.evalLoss = evalLoss
    run.tokens = r.tokens; run.rows = r.rows ?? 0; run.wallTime = r.wallTime; run.evalTime = r.evalTime ?? 0
    run.trainableParameters = r.trainableParameters
    run.plannedSteps = r.plannedSteps; run.data = r.data
    guard let dataKey = UInt64(r.dataKey, radix: 16) else { throw ModelError("\(path): bad data key \(r.dataKey)") }
    let params = lora?.params ?? self.params
    // The moments go straight from the mapped file into the optimizer (no copies of model size in between).
    let adam = AdamW(count: target.count, params: params, beta1: r.options.beta1, beta2: r.options.beta2)
    try f.copyFloats("adam.m", count: target.count, into: adam.m.pointer)
    try f.copyFloats("adam.v", count: target.count, into: adam.v.pointer)
    let full = r.lora == nil
    // The model changes only when `train` takes the run over, after checking the data;
    // the trained values are read from the file then (its mapping stays valid if it is replaced).
    run.state = TrainState(adam: full ? adam : nil, adamLoRA: full ? nil : adam, epoch: r.epoch, cursor: r.cursor,
                           dataKey: dataKey, model: self, restore: { [weak self] in
      try? f.copyFloats(name, count: target.count, into: target.pointer)
      if full, let self { self.baseRevision += 1; self.untrainedTokens = 0 }
    })
    return run
  }

  /// A key of the frozen base under adapters: its f32 values and quantized bytes.
  var baseKey: UInt64 {
    var h = FNV1a()
    h.mix(UnsafePointer(values.pointer), count: values.count)
    for slot in linears.joined() { if let q = slot.quant { h.mix(q.data) } }
    return h.value
  }
}

extension TrainCheckpointRecord.LoRARecord {
  func options(_ path: String) throws -> LoRAOptions {
    let kinds = try targets.map { t in
      guard let k = LinearKind(rawValue: t) else { throw ModelError("\(path): unknown LoRA target \(t)") }
      return k
    }
    return LoRAOptions(rank: rank, alpha: alpha, dropout: dropout, targets: kinds, seed: seed, trainEmbeddings: embeddings,
                       untiedOutput: untiedOutput ?? false)
  }
}
