// Random tensors from the counter-based generator (see CounterRNG.swift):
// element i of the result uses counter i, so values are independent of the
// thread count and of how the work is split.

extension Tensor {
  /// Uniform values in [low, high).
  public static func rand(_ shape: [Int], low: Float = 0, high: Float = 1, seed: Int) throws -> Tensor {
    guard low.isFinite, high.isFinite, low <= high else {
      throw ComputeError("rand: low must be a finite number no larger than high, got low \(low) and high \(high)")
    }
    let t = try Tensor(uninitialized: shape, what: "rand")
    let rng = CounterRNG(seed: seed), p = t.mutablePointer
    let scale = high - low
    // [low, high): where f32 rounding lands on high (high much larger than high - low), the value below it.
    let top = low < high ? high.nextDown : high
    WorkerPool.current.parallelRanges(t.count, grain: 1 << 16) { r in
      for i in r { p[i] = Swift.min(low + scale * rng.uniform(i), top) }
    }
    return t
  }

  /// Normal values with the given mean and standard deviation.
  public static func randn(_ shape: [Int], mean: Float = 0, std: Float = 1, seed: Int) throws -> Tensor {
    guard mean.isFinite, std.isFinite, std >= 0 else {
      throw ComputeError("randn: mean must be finite and std a finite number >= 0, got mean \(mean) and std \(std)")
    }
    let t = try Tensor(uninitialized: shape, what: "randn")
    let rng = CounterRNG(seed: seed), p = t.mutablePointer
    WorkerPool.current.parallelRanges(t.count, grain: 1 << 14) { r in
      for i in r { p[i] = mean + std * rng.normal(i) }
    }
    return t
  }

  /// Integers in `low..<high` (stored as floats).
  /// - Throws: if the range is empty or wider than 2^32.
  public static func randint(_ shape: [Int], low: Int, high: Int, seed: Int) throws -> Tensor {
    // (This module is built without overflow checks: the width is computed so it cannot wrap.)
    let width = high.subtractingReportingOverflow(low)
    guard high > low, !width.overflow, width.partialValue <= Int(UInt32.max) else {
      throw ComputeError("randint: need low < high (and a range below 2^32), got low=\(low) high=\(high)")
    }
    let t = try Tensor(uninitialized: shape, what: "randint")
    let rng = CounterRNG(seed: seed), p = t.mutablePointer, n = width.partialValue
    for i in 0..<t.count { p[i] = Float(low + rng.int(i, below: n)) }
    return t
  }

  /// A random permutation of `0..<n` (Fisher-Yates; step k uses counter k).
  public static func permutation(_ n: Int, seed: Int) throws -> Tensor {
    let idx = try permutationIndices(n, seed: seed)
    return try Tensor(idx.map(Float.init), shape: [n])
  }

  /// A random permutation of `0..<n` as integers (same values as `permutation`).
  public static func permutationIndices(_ n: Int, seed: Int) throws -> [Int] {
    guard n >= 0, n < Int(UInt32.max) else { throw ComputeError("permutation: n must be in 0..<2^32, got \(n)") }
    try Memory.check(count: n, elementSize: 8, what: "permutation")
    var a = Array(0..<n)
    let rng = CounterRNG(seed: seed)
    var k = 0
    for i in stride(from: n - 1, to: 0, by: -1) {
      let j = rng.int(k, below: i + 1)
      a.swapAt(i, j)
      k += 1
    }
    return a
  }
}
