// A counter-based random generator: value i of a stream is a pure function
// of (seed, i), so any thread can compute any element and results do not
// depend on the thread count or on the order of computation.
//
// Definition (documented so other tools can reproduce it):
//   bits(seed, i) = splitmix64_mix(seed * 0x9E3779B97F4A7C15 + (i + 1) * 0xD1B54A32D192ED03)
//   splitmix64_mix(z): z ^= z >> 30; z *= 0xBF58476D1CE4E5B9;
//                      z ^= z >> 27; z *= 0x94D049BB133111EB; z ^= z >> 31
//   uniform(i) = (bits(seed, i) >> 40) * 2^-24           in [0, 1)
//   normal(i)  = sqrt(-2 ln(1 - u1)) * cos(2 pi u2)      with u1 = uniform(2i), u2 = uniform(2i + 1)
//   int(i, n)  = (bits(seed, i) >> 32) * n >> 32         (Lemire's multiply-shift; n < 2^32)
// All arithmetic is modulo 2^64.

import Foundation

/// A stateless counter-based generator keyed by a seed.
public struct CounterRNG: Sendable {
  /// The seed; the same seed always yields the same stream.
  public let seed: UInt64

  /// Creates a generator for `seed`.
  public init(seed: UInt64) { self.seed = seed }

  /// Creates a generator from a signed seed (bit pattern).
  public init(seed: Int) { self.seed = UInt64(bitPattern: Int64(seed)) }

  /// The SplitMix64 finaliser.
  @inlinable
  public static func mix(_ x: UInt64) -> UInt64 {
    var z = x
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// 64 random bits for counter `i`.
  @inlinable
  public func bits(_ i: UInt64) -> UInt64 {
    CounterRNG.mix(seed &* 0x9E37_79B9_7F4A_7C15 &+ (i &+ 1) &* 0xD1B5_4A32_D192_ED03)
  }

  /// A uniform float in [0, 1) for counter `i` (24 random bits).
  @inlinable
  public func uniform(_ i: Int) -> Float {
    Float(bits(UInt64(bitPattern: Int64(i))) >> 40) * (1.0 / 16_777_216.0)
  }

  /// A standard normal float for counter `i` (Box-Muller on counters 2i, 2i+1).
  @inlinable
  public func normal(_ i: Int) -> Float {
    let u1 = Double(bits(UInt64(2 * i)) >> 11) * (1.0 / 9_007_199_254_740_992.0)
    let u2 = Double(bits(UInt64(2 * i + 1)) >> 11) * (1.0 / 9_007_199_254_740_992.0)
    return Float((-2 * Foundation.log(1 - u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2))
  }

  /// A uniform integer in `0..<n` for counter `i` (n must be in 1..<2^32).
  @inlinable
  public func int(_ i: Int, below n: Int) -> Int {
    let hi = bits(UInt64(bitPattern: Int64(i))) >> 32
    return Int((hi &* UInt64(n)) >> 32)
  }
}
