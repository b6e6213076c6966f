// SummaryStatistics: count, mean, sample standard deviation (n - 1) and a two-sided 95% confidence
// interval for the mean, mean ± t(0.975, n-1) · sd / √n (optionally clipped to the scores' range),
// with Student's t from an exact table for
// 1...30 degrees of freedom and the Cornish-Fisher expansion above (error < 1e-5).

import Foundation

/// Summary of a sample of scores.
public struct SummaryStatistics: Sendable, Codable, Equatable {
  /// Number of values.
  public var count: Int
  /// Mean, nil when empty.
  public var mean: Double?
  /// Sample standard deviation (n - 1), nil when fewer than 2 values.
  public var standardDeviation: Double?
  /// Lower end of the 95% confidence interval of the mean (nil when fewer than 2 values).
  public var ciLow: Double?
  /// Upper end of the 95% confidence interval of the mean (nil when fewer than 2 values).
  public var ciHigh: Double?

  /// Summarises `values`; the interval is clipped to `bounds` when given (judge scores live in [0, 1]).
  public init(_ values: [Double], bounds: ClosedRange<Double>? = nil) {
    count = values.count
    guard !values.isEmpty else { return }
    let m = values.reduce(0, +) / Double(values.count)
    mean = m
    guard values.count >= 2 else { return }
    let ss = values.reduce(0) { $0 + ($1 - m) * ($1 - m) }
    let sd = (ss / Double(values.count - 1)).squareRoot()
    standardDeviation = sd
    let half = Self.t975(degreesOfFreedom: values.count - 1) * sd / Double(values.count).squareRoot()
    ciLow = bounds.map { max($0.lowerBound, m - half) } ?? m - half
    ciHigh = bounds.map { min($0.upperBound, m + half) } ?? m + half
  }

  static let t975Table: [Double] = [
    12.706205, 4.302653, 3.182446, 2.776445, 2.570582, 2.446912, 2.364624, 2.306004, 2.262157, 2.228139,
    2.200985, 2.178813, 2.160369, 2.144787, 2.131450, 2.119905, 2.109816, 2.100922, 2.093024, 2.085963,
    2.079614, 2.073873, 2.068658, 2.063899, 2.059539, 2.055529, 2.051831, 2.048407, 2.045230, 2.042272,
  ]

  /// The 0.975 quantile of Student's t with `degreesOfFreedom` (>= 1).
  public static func t975(degreesOfFreedom df: Int) -> Double {
    if df < 1 { return .nan }
    if df <= t975Table.count { return t975Table[df - 1] }
    let z = 1.959963984540054, v = Double(df)
    let z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z, z9 = z7 * z * z
    return z + (z3 + z) / (4 * v) + (5 * z5 + 16 * z3 + 3 * z) / (96 * v * v)
      + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * v * v * v)
      + (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / (92160 * v * v * v * v)
  }
}
