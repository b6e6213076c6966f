// The record of a training run: loss and eval-loss series, learning rates,
// throughput, wall time, the options and what became of the data; its chart
// and files come from RunComparison (a comparison of one).

import Foundation

/// The result of `train`: everything needed to compare runs.
public struct TrainRun: Sendable {
  /// Options the run used (with `seq` resolved).
  public var options: TrainOptions
  /// Mean token loss of each optimizer step.
  public var loss: [Float] = []
  /// Learning rate of each step.
  public var lr: [Float] = []
  /// Steps (1-based) at which the eval loss was measured, and its values.
  public var evalSteps: [Int] = []
  public var evalLoss: [Float] = []
  /// Tokens processed (rows x seq over all micro-batches).
  public var tokens = 0
  /// Rows trained (packed or padded sequences; `data.rows` make an epoch).
  public var rows = 0
  /// Seconds of the whole run, and of its evaluations.
  public var wallTime: Double = 0
  public var evalTime: Double = 0
  /// Whether the run stopped early because it was cancelled.
  public var cancelled = false
  /// Parameters updated by the run (adapters only for LoRA).
  public var trainableParameters = 0
  /// Steps planned.
  public var plannedSteps = 0
  /// What became of the training data (truncations, skips, rows per epoch).
  public var data = TrainDataStats()
  /// Why writing the run's checkpoint file failed (the run then stopped as if interrupted, state kept).
  public var checkpointError: String? = nil
  /// Where an interrupted run stopped, for `train(resume:)` (nil once it completed).
  public var state: TrainState? = nil

  /// Steps completed.
  public var steps: Int { loss.count }
  /// Training throughput: tokens per second of training, evaluation time left out.
  public var tokensPerSecond: Double {
    let training = wallTime - evalTime
    return training > 0 ? Double(tokens) / training : 0
  }

  /// The loss curve as a `height`-line text chart `width` columns wide.
  public func chart(width: Int = 60, height: Int = 10) -> String {
    RunComparison([("", self)]).chart(width: width, height: height)
  }
}
