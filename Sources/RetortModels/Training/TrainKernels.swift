// Forward/backward pairs of the element-wise steps of a Llama block (llm.c
// style: each forward beside its backward), most of them the compute core's
// SIMD kernels. Rows are split over the worker pool, and reductions across
// rows (norm-scale gradients) are summed per fixed row chunk in chunk order,
// so every sum has a fixed order whatever the thread count.
//
// Shapes: x, y, dx, dy [N, D]; w, dw [D]; rstd [N]; g, u, h [N, F].

import Foundation
import RetortCompute

enum TrainKernels {
  /// y = x * rstd * w with rstd = 1/sqrt(mean(x^2) + eps); saves rstd (the compute core's SIMD kernel).
  static func rmsNormForward(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                             rstd: UnsafeMutablePointer<Float>, n: Int, dim: Int, eps: Float) {
    Kernels.rmsNorm(x, weight: w, into: y, rows: n, n: dim, eps: eps, rstd: rstd)
  }

  /// dx (+)= d(rms_norm)/dx . dy; dw += sum over rows of dy * x * rstd (when dw is given).
  static func rmsNormBackward(_ dy: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>,
                              rstd: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>, dw: UnsafeMutablePointer<Float>?,
                              n: Int, dim: Int, accumulate: Bool) {
    Kernels.rmsNormBackward(dy: dy, x: x, weight: w, rstd: rstd, dx: dx, dWeight: dw, rows: n, n: dim, accumulate: accumulate)
  }

  /// Rotates adjacent pairs of each head in place, token i at position
  /// i % T - starts[i] (positions restart at each packed example).
  /// `inverse` rotates by -theta (the backward pass of the rotation).
  static func rope(_ x: UnsafeMutablePointer<Float>, n: Int, seq: Int, heads: Int, headDim: Int, ropeDim: Int,
                   table: RopeTable, starts: UnsafePointer<Int32>, inverse: Bool) {
    let width = heads * headDim
    WorkerPool.current.parallelRanges(n, grain: 16) { r in
      for i in r {
        let cs = table.row(max(0, i % seq - Int(starts[i])))
        for h in 0..<heads {
          let p = x + i * width + h * headDim
          for k in 0..<(ropeDim / 2) {
            let c = cs[2 * k], s = inverse ? -cs[2 * k + 1] : cs[2 * k + 1]
            let a = p[2 * k], b = p[2 * k + 1]
            p[2 * k] = a * c - b * s
            p[2 * k + 1] = a * s + b * c
          }
        }
      }
    }
  }

  /// h = silu(g) * u (the compute core's SIMD kernel).
  static func swigluForward(_ g: UnsafePointer<Float>, _ u: UnsafePointer<Float>, _ h: UnsafeMutablePointer<Float>, count: Int) {
    Kernels.siluMultiply(gate: g, up: u, into: h, count: count)
  }

  /// dg = dh * u * silu'(g); du = dh * silu(g) (the compute core's SIMD kernel).
  static func swigluBackward(_ dh: UnsafePointer<Float>, _ g: UnsafePointer<Float>, _ u: UnsafePointer<Float>,
                             dg: UnsafeMutablePointer<Float>, du: UnsafeMutablePointer<Float>, count: Int) {
    Kernels.siluMultiplyBackward(dOut: dh, gate: g, up: u, dGate: dg, dUp: du, count: count)
  }

  /// Cross-entropy of each row of `logits` [n, V] against `targets` (-1 = no
  /// loss). Writes each row's loss into `losses` and, when `grad`, replaces the
  /// logits by d(loss * lossScale)/dlogits (zero rows for ignored targets).
  static func crossEntropy(_ logits: UnsafeMutablePointer<Float>, targets: UnsafePointer<Int32>, n: Int, vocab: Int,
                           lossScale: Float, grad: Bool, losses: UnsafeMutablePointer<Float>) {
    WorkerPool.current.parallelRanges(n, grain: max(1, 65536 / max(vocab, 1))) { r in
      for i in r {
        let row = logits + i * vocab
        let t = Int(targets[i])
        if t < 0 {
          losses[i] = 0
          if grad { row.update(repeating: 0, count: vocab) }
          continue
        }
        let xt = row[t]
        if grad {
          // Softmax in place, then d(loss * scale)/dlogits = scale * (p - onehot).
          losses[i] = Kernels.softmaxRow(row, into: row, n: vocab) - xt
          Kernels.scale(row, by: lossScale, into: row, count: vocab)
          row[t] -= lossScale
        } else {
          losses[i] = Kernels.logSumExpRow(row, n: vocab) - xt
        }
      }
    }
  }
}
