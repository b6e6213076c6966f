// Options of a training run (`m.train(...)`), validated with errors that
// name the argument.

import Foundation

/// Settings for `TrainableLlama.train`.
public struct TrainOptions: Sendable, Equatable, Codable {
  /// Passes over the data (used when `steps` is nil; default 1).
  public var epochs: Int? = nil
  /// Optimizer steps (overrides `epochs`).
  public var steps: Int? = nil
  /// Peak learning rate.
  public var lr: Float = 3e-4
  public var schedule: LRSchedule = .cosine
  /// Warm-up steps.
  public var warmup: Int = 0
  /// Final learning rate as a fraction of `lr`.
  public var minLRRatio: Float = 0
  /// Rows per micro-batch.
  public var batch: Int = 8
  /// Tokens per row (default: min(256, context)).
  public var seq: Int? = nil
  /// Micro-batches per optimizer step.
  public var gradAccum: Int = 1
  public var weightDecay: Float = 0
  /// Global gradient-norm limit (0 = no clipping).
  public var clip: Float = 1
  /// Shuffling seed (LoRA dropout uses the adapter's seed).
  public var seed: Int = 0
  public var template: PromptTemplate = .alpaca
  /// Pack examples end to end (true) or one example per padded row (false).
  public var packing: Bool = true
  /// Evaluate every this many steps (0 = only at the end, when eval data is given).
  public var evalEvery: Int = 0
  /// Keep only each layer's input and recompute its activations in the
  /// backward pass (less memory, about one more forward pass of compute).
  public var gradientCheckpointing = false
  /// File that keeps the run's state (trained weights, optimizer, data
  /// position, curves) for `train(resume:)` in a later process; written
  /// atomically every `checkpointEvery` steps (0 = none between), when the
  /// run is interrupted, and at its end.
  public var checkpoint: String? = nil
  public var checkpointEvery: Int = 0
  public var beta1: Float = 0.9
  public var beta2: Float = 0.999

  public init() {}

  /// Saved runs name gradient checkpointing as `train` and `run.config` do: `checkpointing`.
  enum CodingKeys: String, CodingKey {
    case epochs, steps, lr, schedule, warmup, minLRRatio, batch, seq, gradAccum, weightDecay, clip, seed, template
    case packing, evalEvery, gradientCheckpointing = "checkpointing", checkpoint, checkpointEvery, beta1, beta2
  }

  /// The settings that differ from `other`'s, by their saved names, with both values.
  public func differences(from other: TrainOptions) -> [(name: String, mine: String, theirs: String)] {
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    func fields(_ o: TrainOptions) -> [String: String] {
      guard let data = try? encoder.encode(o), let obj = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return [:] }
      return obj.mapValues { "\($0)" }
    }
    let a = fields(self), b = fields(other)
    return Set(a.keys).union(b.keys).sorted().compactMap { k in
      a[k] == b[k] ? nil : (k, a[k] ?? "none", b[k] ?? "none")
    }
  }

  func validate(context: Int) throws {
    func bad(_ s: String) -> ModelError { ModelError("train: \(s)") }
    if let e = epochs { guard e >= 1, e <= 1_000_000 else { throw bad("epochs must be in 1...1000000, got \(e)") } }
    if let s = steps { guard s >= 1, s <= 1_000_000_000 else { throw bad("steps must be in 1...1000000000, got \(s)") } }
    guard lr.isFinite, lr > 0 else { throw bad("lr must be a positive number, got \(lr)") }
    guard warmup >= 0 else { throw bad("warmup must be >= 0, got \(warmup)") }
    guard minLRRatio >= 0, minLRRatio <= 1 else { throw bad("min_lr_ratio must be in [0, 1], got \(minLRRatio)") }
    guard batch >= 1, batch <= 4096 else { throw bad("batch must be in 1...4096, got \(batch)") }
    let s = seq ?? min(256, context)
    guard s >= 2, s <= context else { throw bad("seq must be in 2...\(context) (the model's context), got \(s)") }
    guard gradAccum >= 1, gradAccum <= 4096 else { throw bad("grad_accum must be in 1...4096, got \(gradAccum)") }
    guard weightDecay >= 0, weightDecay.isFinite else { throw bad("weight_decay must be >= 0, got \(weightDecay)") }
    guard clip >= 0, clip.isFinite else { throw bad("clip must be >= 0, got \(clip)") }
    guard checkpointEvery >= 0 else { throw bad("checkpoint_every must be >= 0, got \(checkpointEvery)") }
    if checkpoint?.isEmpty == true { throw bad("checkpoint must be a file path, got an empty string") }
    guard evalEvery >= 0 else { throw bad("eval_every must be >= 0, got \(evalEvery)") }
    guard beta1 >= 0, beta1 < 1, beta2 >= 0, beta2 < 1 else { throw bad("betas must be in [0, 1)") }
  }
}

/// Reported after every optimizer step.
public struct TrainProgress: Sendable {
  /// Steps done (1-based) and planned.
  public var step: Int, totalSteps: Int
  /// Mean token loss of this step.
  public var loss: Float
  public var lr: Float
  public var tokensPerSecond: Double
  /// Seconds since the start, and the estimate of the seconds left.
  public var elapsed: Double, eta: Double
  /// Evaluation loss, when evaluated at this step.
  public var evalLoss: Float?
  /// While an evaluation runs: its rows done and in all.
  public var evaluated: (done: Int, total: Int)? = nil
}
