// The record of a training run: loss and eval-loss series, learning rates,
// throughput, wall time and the options, with a small terminal chart.

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
  /// Seconds of the whole run.
  public var wallTime: Double = 0
  /// Whether the run stopped early because it was cancelled.
  public var cancelled = false
  /// Parameters updated by the run (adapters only for LoRA).
  public var trainableParameters = 0
  /// Steps planned.
  public var plannedSteps = 0
  /// What became of the training data (truncations, skips, rows per epoch).
  public var data = TrainDataStats()

  /// Steps completed.
  public var steps: Int { loss.count }
  /// Training throughput.
  public var tokensPerSecond: Double { wallTime > 0 ? Double(tokens) / wallTime : 0 }

  /// The loss curve as a `height`-line text chart `width` columns wide.
  public func chart(width: Int = 60, height: Int = 10) -> String {
    guard !loss.isEmpty, width >= 4, height >= 2 else { return "(no steps)" }
    let lo = loss.min() ?? 0, hi = loss.max() ?? 1
    let span = max(hi - lo, 1e-6)
    let cols = min(width, loss.count)
    var grid = [[Character]](repeating: [Character](repeating: " ", count: cols), count: height)
    for c in 0..<cols {
      let a = c * loss.count / cols, b = max(a + 1, (c + 1) * loss.count / cols)
      let v = loss[a..<b].reduce(0, +) / Float(b - a)
      let r = Int(((hi - v) / span * Float(height - 1)).rounded())
      grid[min(height - 1, max(0, r))][c] = "*"
    }
    var out = ""
    for (i, row) in grid.enumerated() {
      let label = i == 0 ? pad(hi) : i == height - 1 ? pad(lo) : "        "
      out += label + " |" + String(row) + "\n"
    }
    out += "         +" + String(repeating: "-", count: cols) + "\n"
    // "step 1" under the first column, the last step's number ending under the last.
    let last = loss.count > 1 ? "\(loss.count)" : ""
    let gap = last.isEmpty ? 0 : max(1, cols - 6 - last.count)
    out += "          step 1" + String(repeating: " ", count: gap) + last
    return out
  }

  private func pad(_ v: Float) -> String {
    let s = String(format: "%.3f", Double(v))
    return String(repeating: " ", count: max(0, 8 - s.count)) + s
  }
}
