// Learning-rate schedules: linear warm-up, then cosine, linear or constant.

import Foundation

/// How the learning rate moves over a run.
public enum LRSchedule: String, Sendable, Codable, CaseIterable {
  case cosine, linear, constant

  /// The rate at 0-based `step` of `total`: `warmup` steps rising linearly to
  /// `peak`, then decaying to `minRatio * peak` at the last step.
  public func rate(step: Int, total: Int, warmup: Int, peak: Float, minRatio: Float = 0) -> Float {
    if step < warmup { return peak * Float(step + 1) / Float(warmup) }
    let span = max(1, total - warmup)
    let p = min(1, Float(step - warmup) / Float(span))
    let floor = peak * minRatio
    switch self {
    case .constant: return peak
    case .linear: return floor + (peak - floor) * (1 - p)
    case .cosine: return floor + (peak - floor) * 0.5 * (1 + Float(cos(Double.pi * Double(p))))
    }
  }
}
