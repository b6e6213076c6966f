// The random numbers behind sample, shuffle, split and balance: our own
// generator and our own Fisher-Yates, so the same seed gives the same
// records on every platform and Swift version (the standard library's
// shuffle algorithm is not guaranteed to stay the same).

/// xoshiro256** seeded through SplitMix64.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
  private var s0, s1, s2, s3: UInt64

  /// A generator whose whole sequence is fixed by `seed`.
  public init(seed: UInt64) {
    var x = seed
    func splitmix() -> UInt64 {
      x &+= 0x9E37_79B9_7F4A_7C15
      var z = x
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    s0 = splitmix(); s1 = splitmix(); s2 = splitmix(); s3 = splitmix()
  }

  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
    let t = s1 << 17
    s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
    s2 ^= t
    s3 = s3 << 45 | s3 >> 19
    return result
  }

  /// A uniform integer in 0..<n (n > 0), by Lemire's unbiased method.
  public mutating func below(_ n: Int) -> Int {
    let bound = UInt64(n)
    var m = next().multipliedFullWidth(by: bound)
    if m.low < bound {
      let t = (0 &- bound) % bound
      while m.low < t { m = next().multipliedFullWidth(by: bound) }
    }
    return Int(m.high)
  }

  /// 0..<n in random order (Fisher-Yates from the back).
  public mutating func permutation(_ n: Int) -> [Int] {
    var p = Array(0..<n)
    var i = n - 1
    while i > 0 {
      p.swapAt(i, below(i + 1))
      i -= 1
    }
    return p
  }

  /// `k` distinct indexes from 0..<n in random order (partial Fisher-Yates).
  public mutating func choose(_ k: Int, from n: Int) -> [Int] {
    var p = Array(0..<n)
    let k = min(k, n)
    for i in 0..<k { p.swapAt(i, i + below(n - i)) }
    return Array(p.prefix(k))
  }
}
