#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Optimizer kernels for training code: a fused AdamW step and the sum of
// squares used for global-norm gradient clipping. SIMD with scalar
// references; elementwise, so results do not depend on the thread count.

import Foundation

/// AdamW hyper-parameters for one step.
public struct AdamWConfig: Sendable {
  /// Learning rate.
  public var lr: Float
  /// First-moment decay.
  public var beta1: Float
  /// Second-moment decay.
  public var beta2: Float
  /// Denominator epsilon.
  public var eps: Float
  /// Decoupled weight decay (applied as p -= lr * wd * p).
  public var weightDecay: Float

  /// Creates a configuration (PyTorch's defaults except lr).
  public init(lr: Float, beta1: Float = 0.9, beta2: Float = 0.999, eps: Float = 1e-8, weightDecay: Float = 0.01) {
    self.lr = lr; self.beta1 = beta1; self.beta2 = beta2; self.eps = eps; self.weightDecay = weightDecay
  }
}

extension Kernels {
  /// One AdamW step (PyTorch's formulation) on `count` parameters in place:
  /// m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; p -= lr wd p;
  /// p -= lr (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps).
  /// - Parameters:
  ///   - step: the 1-based step number t (for bias correction).
  ///   - gradScale: multiplies the gradient first (e.g. a clipping factor).
  public static func adamW(param: UnsafeMutablePointer<Float>, grad: UnsafePointer<Float>,
                           m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>, count: Int,
                           step: Int, config c: AdamWConfig, gradScale: Float = 1) {
    let bc1 = 1 - Float(Foundation.pow(Double(c.beta1), Double(step)))
    let bc2 = 1 - Float(Foundation.pow(Double(c.beta2), Double(step)))
    let decay = 1 - c.lr * c.weightDecay
    WorkerPool.current.parallelRanges(count, grain: 1 << 14) { r in
      var i = r.lowerBound
      let rp = UnsafeMutableRawPointer(param), rg = UnsafeRawPointer(grad)
      let rm = UnsafeMutableRawPointer(m), rv = UnsafeMutableRawPointer(v)
      while i + 16 <= r.upperBound {
        let o = i * 4
        let g = rg.loadUnaligned(fromByteOffset: o, as: V16.self) * gradScale
        let mi = c.beta1 * rm.loadUnaligned(fromByteOffset: o, as: V16.self) + (1 - c.beta1) * g
        let vi = c.beta2 * rv.loadUnaligned(fromByteOffset: o, as: V16.self) + (1 - c.beta2) * (g * g)
        var p = rp.loadUnaligned(fromByteOffset: o, as: V16.self) * decay
        p -= c.lr * (mi / bc1) / ((vi / bc2).squareRoot() + c.eps)
        rm.storeBytes(of: mi, toByteOffset: o, as: V16.self)
        rv.storeBytes(of: vi, toByteOffset: o, as: V16.self)
        rp.storeBytes(of: p, toByteOffset: o, as: V16.self)
        i += 16
      }
      while i < r.upperBound {
        adamWScalar(&param[i], grad[i] * gradScale, &m[i], &v[i], c, bc1, bc2, decay)
        i += 1
      }
    }
  }

  /// Scalar reference for one element of `adamW` (same operation order).
  @inline(__always)
  static func adamWScalar(_ p: inout Float, _ g: Float, _ m: inout Float, _ v: inout Float, _ c: AdamWConfig,
                          _ bc1: Float, _ bc2: Float, _ decay: Float) {
    m = c.beta1 * m + (1 - c.beta1) * g
    v = c.beta2 * v + (1 - c.beta2) * (g * g)
    p = p * decay
    p -= c.lr * (m / bc1) / ((v / bc2).squareRoot() + c.eps)
  }

  /// Sum of squares of `count` values, accumulated in fixed-size chunks
  /// whose partial sums are added in order (thread-count independent).
  public static func sumOfSquares(_ x: UnsafePointer<Float>, count: Int) -> Double {
    let chunk = 1 << 14
    let chunks = (count + chunk - 1) / chunk
    if chunks == 0 { return 0 }
    let partial = UnsafeMutablePointer<Double>.allocate(capacity: chunks)
    defer { partial.deallocate() }
    WorkerPool.current.parallelRanges(chunks, grain: 4) { r in
      for c in r {
        let lo = c * chunk, n = Swift.min(chunk, count - lo)
        partial[c] = Double(rowReduceSumSquares(x + lo, n))
      }
    }
    var total = 0.0
    for c in 0..<chunks { total += partial[c] }
    return total
  }
}
