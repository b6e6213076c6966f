import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Pointer-level kernels for model code (forward passes, fused layers,
// optimizers): no allocation, no autodiff, work split over the pool with
// every output computed in a fixed order. Shapes are the caller's contract.

/// Raw-buffer kernels shared with RetortModels and training code.
public enum Kernels {
  /// Softmax of each of `rows` rows of length `n`, in place or into `out`.
  public static func softmax(_ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, rows: Int, n: Int) {
    RowKernels.softmax(x, out, rows: rows, n: n)
  }

  /// Softmax of one row of length n, on the calling thread (for kernels that
  /// already run one task per row group); returns log(sum(exp(x))).
  /// With `scale`, the softmax of scale * x (attention's 1/sqrt(d), scale > 0).
  @discardableResult
  public static func softmaxRow(_ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, n: Int,
                                scale: Float = 1) -> Float {
    let (m, s) = rowSoftmax(x, out, n, scale: scale)
    return scale * m + Foundation.log(s)
  }

  /// log(sum(exp(x))) of one row, on the calling thread.
  public static func logSumExpRow(_ x: UnsafePointer<Float>, n: Int) -> Float {
    let m = rowReduceMax(x, n)
    return m + Foundation.log(rowSumExpShifted(x, n, m))
  }

  /// Log-softmax of each row.
  public static func logSoftmax(_ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, rows: Int, n: Int) {
    RowKernels.logSoftmax(x, out, rows: rows, n: n)
  }

  /// RMS norm of each row times `weight` (length n, optional); `rstd`
  /// receives 1/sqrt(mean(x^2)+eps) per row when given.
  public static func rmsNorm(_ x: UnsafePointer<Float>, weight: UnsafePointer<Float>?, into out: UnsafeMutablePointer<Float>,
                             rows: Int, n: Int, eps: Float, rstd: UnsafeMutablePointer<Float>? = nil) {
    if let rstd {
      RowKernels.rmsNorm(x, weight, out, rstd, rows: rows, n: n, eps: eps)
    } else {
      let tmp = Memory.tryAllocate(Swift.max(rows, 1))
      defer { Memory.release(tmp, count: Swift.max(rows, 1)) }
      RowKernels.rmsNorm(x, weight, out, tmp, rows: rows, n: n, eps: eps)
    }
  }

  /// out = a + b (`count` elements; out may alias a or b).
  public static func add(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, count: Int) {
    WorkerPool.current.parallelRanges(count, grain: 1 << 16) { r in
      binaryRow(AddK.self, a + r.lowerBound, 1, b + r.lowerBound, 1, out + r.lowerBound, r.count)
    }
  }

  /// out = a * b elementwise.
  public static func multiply(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, count: Int) {
    WorkerPool.current.parallelRanges(count, grain: 1 << 16) { r in
      binaryRow(MulK.self, a + r.lowerBound, 1, b + r.lowerBound, 1, out + r.lowerBound, r.count)
    }
  }

  /// out = x * s.
  public static func scale(_ x: UnsafePointer<Float>, by s: Float, into out: UnsafeMutablePointer<Float>, count: Int) {
    withUnsafePointer(to: s) { sp in
      binaryRow(MulK.self, x, 1, sp, 0, out, count)
    }
  }

  /// SwiGLU gate: out = silu(gate) * up (the Llama feed-forward activation).
  public static func siluMultiply(gate: UnsafePointer<Float>, up: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, count: Int) {
    WorkerPool.current.parallelRanges(count, grain: 1 << 14) { r in
      var i = r.lowerBound
      let rg = UnsafeRawPointer(gate), ru = UnsafeRawPointer(up), ro = UnsafeMutableRawPointer(out)
      while i + 16 <= r.upperBound {
        let g = rg.loadUnaligned(fromByteOffset: i * 4, as: V16.self)
        let u = ru.loadUnaligned(fromByteOffset: i * 4, as: V16.self)
        ro.storeBytes(of: SiluK.simd(g) * u, toByteOffset: i * 4, as: V16.self)
        i += 16
      }
      if i < r.upperBound {
        var g = V16(), u = V16()
        for j in 0..<(r.upperBound - i) { g[j] = gate[i + j]; u[j] = up[i + j] }
        let y = SiluK.simd(g) * u
        for j in 0..<(r.upperBound - i) { out[i + j] = y[j] }
      }
    }
  }

  /// SIMD dot product of two vectors.
  public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
    Linear.dot(a, b, count)
  }

  /// y += alpha * x (axpy).
  public static func addScaled(_ x: UnsafePointer<Float>, alpha: Float, into y: UnsafeMutablePointer<Float>, count: Int) {
    var i = 0
    let rx = UnsafeRawPointer(x), ry = UnsafeMutableRawPointer(y), av = V16(repeating: alpha)
    while i + 16 <= count {
      let v = ry.loadUnaligned(fromByteOffset: i * 4, as: V16.self).addingProduct(av, rx.loadUnaligned(fromByteOffset: i * 4, as: V16.self))
      ry.storeBytes(of: v, toByteOffset: i * 4, as: V16.self)
      i += 16
    }
    while i < count { y[i] = y[i].addingProduct(alpha, x[i]); i += 1 }
  }
}
