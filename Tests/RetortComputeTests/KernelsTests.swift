// Pointer-level kernels against scalar references on awkward sizes.

import Foundation
import Testing
@testable import RetortCompute

@Suite struct KernelsTests {
  @Test(arguments: [1, 7, 16, 33, 1000])
  func pointerKernels(n: Int) throws {
    let a = randomFloats(n, seed: n).map { $0 * 6 }, b = randomFloats(n, seed: n + 3)
    var out = [Float](repeating: 0, count: n)
    Kernels.siluMultiply(gate: a, up: b, into: &out, count: n)
    expectClose(out, zip(a, b).map { SiluK.scalar($0) * $1 }, atol: 1e-6, rtol: 1e-5, "silu*up")
    Kernels.add(a, b, into: &out, count: n)
    #expect(out == zip(a, b).map { $0 + $1 })
    var y = b
    Kernels.addScaled(a, alpha: 0.5, into: &y, count: n)
    expectClose(y, zip(a, b).map { $1 + 0.5 * $0 }, atol: 1e-6, rtol: 1e-6, "axpy")
    expectClose([Kernels.dot(a, b, count: n)], [zip(a, b).map { $0 * $1 }.reduce(0, +)], atol: 1e-4, rtol: 1e-5, "dot")
    var rms = [Float](repeating: 0, count: n)
    Kernels.rmsNorm(a, weight: b, into: &rms, rows: 1, n: n, eps: 1e-6)
    expectClose(rms, RowKernels.rmsNormReference(a, b, eps: 1e-6), atol: 1e-5, rtol: 1e-5, "rms")
  }

  @Test(arguments: [1, 5, 16, 17, 40, 300])
  func trainingRowKernels(n: Int) throws {
    // Single-row softmax (with the attention scale), log-sum-exp and the softmax
    // backward, against Double references; tails shorter than a vector included.
    let x = randomFloats(n, seed: n + 11).map { $0 * 8 }, scale: Float = 0.35
    let z = x.map { Double($0) * Double(scale) }, zmax = z.max() ?? 0
    let lse = zmax + Foundation.log(z.map { Foundation.exp($0 - zmax) }.reduce(0, +))
    let want = z.map { Float(Foundation.exp($0 - lse)) }
    var p = [Float](repeating: 0, count: n)
    let got = Kernels.softmaxRow(x, into: &p, n: n, scale: scale)
    expectClose(p, want, atol: 1e-6, rtol: 1e-5, "softmax")
    expectClose([got], [Float(lse)], atol: 1e-5, rtol: 1e-6, "softmax logZ")
    expectClose([Kernels.logSumExpRow(x, n: n)], [Float(Foundation.log(x.map { Foundation.exp(Double($0)) }.reduce(0, +)))],
                atol: 1e-5, rtol: 1e-6, "logsumexp")
    let g = randomFloats(n, seed: n + 12)
    let dot = zip(p, g).map { Double($0) * Double($1) }.reduce(0, +)
    var dx = g
    Kernels.softmaxBackwardRow(p, &dx, n: n, scale: scale)
    expectClose(dx, zip(p, g).map { Float(Double(scale) * Double($0) * (Double($1) - dot)) }, atol: 1e-6, rtol: 1e-4, "softmax backward")
  }

  @Test func vectorExpAtTheEdges() {
    let edges: [Float] = [-.infinity, -100, -87.31, -87.3, -87.29, -10, -1e-30, -0.0, 0, 1, 50, 88.69, 88.7, 88.71, 100,
                          .infinity, .nan]
    let xs = edges + randomFloats(160 - edges.count, seed: 77).map { $0 * 90 }
    for start in stride(from: 0, to: xs.count, by: 16) {
      let v = SIMD16<Float>(xs[start..<(start + 16)])
      let e = vexp(v)
      for (j, x) in xs[start..<(start + 16)].enumerated() {
        if x.isNaN { #expect(e[j].isNaN); continue }
        if x < -87.3 { #expect(e[j] == 0, "exp(\(x))"); continue }
        if x > 88.7 { #expect(e[j] == .infinity, "exp(\(x))"); continue }
        let want = Foundation.exp(Double(x))
        #expect(abs(Double(e[j]) - want) <= 3e-7 * want, "exp(\(x)) = \(e[j]), want \(want)")
      }
    }
  }

  @Test func causalSoftmaxRowsMaskAndZeroToTheTileEnd() throws {
    // Rows of a score block: keys first[i]...i, the same bits as the one-row
    // softmax, zeros before and after (to the end of the row's GEMM tile, or
    // of its last whole vector; past that the block is left as it was).
    // Rows of several vectors and tails (seq 64), and rows too near the end for whole vectors (seq 20).
    for seq in [64, 20] {
      let scale: Float = 0.5
      let scores = randomFloats(seq * seq, seed: 9 + seq).map { $0 * 4 }
      let first: [Int32] = (0..<seq).map { $0 < 7 ? 0 : 7 }
      var s = scores
      Kernels.causalSoftmaxRows(&s, seq: seq, ld: seq, first: first, scale: scale)
      for i in 0..<seq {
        let f = min(i, Int(first[i])), end = min(seq, (i / Gemm.rowTile + 1) * Gemm.rowTile)
        var row = [Float](repeating: 0, count: i + 1 - f)
        _ = Kernels.softmaxRow(Array(scores[(i * seq + f)...(i * seq + i)]), into: &row, n: row.count, scale: scale)
        #expect(Array(s[(i * seq + f)...(i * seq + i)]) == row, "seq \(seq) row \(i)")
        // Whole vectors are used while they fit in the row: their lanes past i become zeros.
        let n = i + 1 - f, padded = f + (n + 15) / 16 * 16
        let zeroEnd = max(end, padded <= seq ? padded : i + 1)
        #expect(s[(i * seq)..<(i * seq + f)].allSatisfy { $0 == 0 } && s[(i * seq + i + 1)..<(i * seq + zeroEnd)].allSatisfy { $0 == 0 })
        #expect(Array(s[(i * seq + zeroEnd)..<(i * seq + seq)]) == Array(scores[(i * seq + zeroEnd)..<(i * seq + seq)]))
      }
    }
    let seq = 20, scale: Float = 0.5
    var s = randomFloats(seq * seq, seed: 29).map { $0 * 4 }
    Kernels.causalSoftmaxRows(&s, seq: seq, ld: seq, first: (0..<seq).map { $0 < 7 ? 0 : 7 }, scale: scale)
    // The backward zeroes the same tail and matches the single-row kernel.
    var g = randomFloats(seq * seq, seed: 10)
    let g0 = g
    Kernels.causalSoftmaxBackwardRows(s, &g, seq: seq, ld: seq, scale: scale)
    for i in [0, 5, 6, 19] {
      var want = Array(g0[(i * seq)...(i * seq + i)])
      Kernels.softmaxBackwardRow(Array(s[(i * seq)...(i * seq + i)]), &want, n: i + 1, scale: scale)
      #expect(Array(g[(i * seq)...(i * seq + i)]) == want)
    }
  }

  @Test(arguments: [(1, 7), (33, 16), (70, 40)])
  func trainingBackwardKernels(rows: Int, n: Int) throws {
    // RMS norm and SwiGLU backward against scalar formulas (accumulating dx and dw).
    let x = randomFloats(rows * n, seed: 5), dy = randomFloats(rows * n, seed: 6), w = randomFloats(n, seed: 7)
    var rstd = [Float](repeating: 0, count: rows), y = [Float](repeating: 0, count: rows * n)
    Kernels.rmsNorm(x, weight: w, into: &y, rows: rows, n: n, eps: 1e-5, rstd: &rstd)
    var dx = [Float](repeating: 1, count: rows * n), dw = [Float](repeating: 2, count: n)
    Kernels.rmsNormBackward(dy: dy, x: x, weight: w, rstd: rstd, dx: &dx, dWeight: &dw, rows: rows, n: n, accumulate: true)
    var wantDx = [Float](repeating: 0, count: rows * n), wantDw = [Double](repeating: 2, count: n)
    for i in 0..<rows {
      let s = Double(rstd[i])
      var m = 0.0
      for j in 0..<n { m += Double(dy[i * n + j]) * Double(w[j]) * Double(x[i * n + j]) * s }
      m /= Double(n)
      for j in 0..<n {
        wantDx[i * n + j] = 1 + Float(s * (Double(dy[i * n + j]) * Double(w[j]) - Double(x[i * n + j]) * s * m))
        wantDw[j] += Double(dy[i * n + j]) * Double(x[i * n + j]) * s
      }
    }
    expectClose(dx, wantDx, atol: 1e-5, rtol: 1e-4, "rms dx")
    expectClose(dw, wantDw.map { Float($0) }, atol: 1e-4, rtol: 1e-4, "rms dw")
    var dg = [Float](repeating: 0, count: rows * n), du = dg
    let up = [Float](repeating: 0.5, count: rows * n)
    Kernels.siluMultiplyBackward(dOut: dy, gate: x, up: up, dGate: &dg, dUp: &du,
                                 count: rows * n)
    for i in 0..<(rows * n) {
      let v = Double(x[i]), sig = 1 / (1 + Foundation.exp(-v))
      #expect(abs(Double(du[i]) - Double(dy[i]) * v * sig) <= 1e-5)
      #expect(abs(Double(dg[i]) - Double(dy[i]) * 0.5 * sig * (1 + v * (1 - sig))) <= 1e-5)
    }
  }

  @Test func nestedValues() throws {
    let t = try Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
    let nested = t.toNested() as? [[Double]]
    #expect(nested == [[1, 2, 3], [4, 5, 6]])
    #expect(Tensor(scalar: 2).toNested() as? Double == 2)
  }
}

@Suite struct HalfTests {
  /// The bulk converters equal the scalar references for every f16 value.
  @Test func bulkF16MatchesScalarForAllValues() {
    let all = (0...0xFFFF).map { UInt16($0) }
    var out = [Float](repeating: 0, count: all.count)
    Half.decode(.f16, all, &out, count: all.count)
    var back = [UInt16](repeating: 0, count: all.count)
    Half.encode(.f16, out, &back, count: all.count)
    var bad = 0
    for i in 0..<all.count {
      let ref = Half.f16ToFloat(all[i])
      if !(ref == out[i] || (ref.isNaN && out[i].isNaN)) { bad += 1 }
      if !ref.isNaN && back[i] != Half.floatToF16(ref) { bad += 1 }
    }
    #expect(bad == 0)
    let xs = randomFloats(1000, seed: 3).map { $0 * 70000 }
    var h = [UInt16](repeating: 0, count: 1000)
    Half.encode(.f16, xs, &h, count: 1000)
    #expect(h == xs.map(Half.floatToF16))
  }
}

@Suite struct OptimizerKernelTests {
  @Test(arguments: [1, 17, 100])
  func adamWMatchesScalarReference(n: Int) {
    var p = randomFloats(n, seed: 1), m = randomFloats(n, seed: 2).map { $0 * 0.1 }, v = randomFloats(n, seed: 3).map { abs($0) * 0.01 }
    let g = randomFloats(n, seed: 4)
    var rp = p, rm = m, rv = v
    let c = AdamWConfig(lr: 1e-3, weightDecay: 0.1)
    Kernels.adamW(param: &p, grad: g, m: &m, v: &v, count: n, step: 3, config: c, gradScale: 0.5)
    let bc1 = 1 - Float(pow(0.9, 3.0)), bc2 = 1 - Float(pow(0.999, 3.0))
    for i in 0..<n { Kernels.adamWScalar(&rp[i], g[i] * 0.5, &rm[i], &rv[i], c, bc1, bc2, 1 - c.lr * c.weightDecay) }
    expectClose(p, rp, atol: 1e-7, rtol: 1e-6, "param")
    expectClose(m, rm, atol: 1e-8, rtol: 1e-6, "m")
    expectClose(v, rv, atol: 1e-9, rtol: 1e-6, "v")
  }

  @Test func sumOfSquaresIsThreadIndependent() {
    let x = randomFloats(50_001, seed: 9)
    let ref = x.reduce(0.0) { $0 + Double($1) * Double($1) }
    let a = WorkerPool.with(WorkerPool.pool(threads: 1)) { Kernels.sumOfSquares(x, count: x.count) }
    let b = WorkerPool.with(WorkerPool.pool(threads: 3)) { Kernels.sumOfSquares(x, count: x.count) }
    #expect(a == b)
    #expect(abs(a - ref) < 1e-3)
  }
}

@Suite struct MemoryTests {
  @Test func bufferCacheReusesAndCanBeEmptied() throws {
    Memory.setBufferCacheLimit(megabytes: 64)
    do { _ = try Tensor.full([(1 << 20) + 13], 7) }  // ~4 MB (an unusual size), freed at once
    #expect(Memory.bufferCacheMegabytes >= 4)
    let t = try Tensor.zeros([(1 << 20) + 13])  // the reused buffer must come back zeroed
    #expect(t.toArray().allSatisfy { $0 == 0 })
    Memory.setBufferCacheLimit(megabytes: 0)
    #expect(Memory.bufferCacheMegabytes == 0)
    Memory.setBufferCacheLimit(megabytes: 64)
  }
}
