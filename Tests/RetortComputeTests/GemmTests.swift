// GEMM on awkward sizes against the reference, strided operands, and
// bit-identical results for 1, 2 and 3 threads.

import Testing
@testable import RetortCompute

@Suite struct GemmTests {
  @Test func oddSizesMatchReference() throws {
    for (m, k, n) in [(1, 1, 1), (7, 3, 5), (6, 16, 16), (33, 17, 31), (100, 300, 20), (13, 513, 70)] {
      let a = randomFloats(m * k, seed: m), b = randomFloats(k * n, seed: n)
      var c = [Float](repeating: 0, count: m * n)
      Gemm.multiply(m: m, n: n, k: k, a: MatrixRef(a, rowStride: k), b: MatrixRef(b, rowStride: n), c: &c, ldc: n)
      expectClose(c, referenceMatmul(a, b, m: m, k: k, n: n), atol: 1e-4, rtol: 1e-4, "\(m)x\(k)x\(n)")
      // Accumulate mode adds.
      Gemm.multiply(m: m, n: n, k: k, a: MatrixRef(a, rowStride: k), b: MatrixRef(b, rowStride: n), c: &c, ldc: n, accumulate: true)
      expectClose(c, referenceMatmul(a, b, m: m, k: k, n: n).map { $0 * 2 }, atol: 2e-4, rtol: 1e-4, "acc \(m)x\(k)x\(n)")
    }
  }

  @Test func transposedAndInPlaceOperandsMatchReference() {
    // B transposed (8x8 register transposes plus ragged edges), A transposed and
    // row-major (read in place), A with no unit stride (packed): all match.
    // (512, 9, 20): transposed A whose steps are 2 KB apart is packed rather than read in place;
    // (50, 1100, 40): so is deep transposed A (k over four slices), in 384-row blocks.
    for (m, k, n) in [(20, 37, 50), (7, 8, 16), (64, 130, 33), (3, 300, 40), (200, 40, 270), (512, 9, 20), (400, 1100, 40)] {
      let a = randomFloats(m * k, seed: m + 1), b = randomFloats(k * n, seed: n + 2)
      let want = referenceMatmul(a, b, m: m, k: k, n: n)
      var at = [Float](repeating: 0, count: m * k), bt = [Float](repeating: 0, count: k * n)
      for i in 0..<m { for p in 0..<k { at[p * m + i] = a[i * k + p] } }
      for p in 0..<k { for j in 0..<n { bt[j * k + p] = b[p * n + j] } }
      var c = [Float](repeating: 0, count: m * n)
      Gemm.multiply(m: m, n: n, k: k, a: MatrixRef(at, rowStride: 1, colStride: m), b: MatrixRef(bt, rowStride: 1, colStride: k),
                    c: &c, ldc: n)
      expectClose(c, want, atol: 1e-4, rtol: 1e-4, "A^T B^T \(m)x\(k)x\(n)")
      // A with stride 2 along both axes (no unit stride): the packing path.
      var a2 = [Float](repeating: 0, count: 4 * m * k)
      for i in 0..<m { for p in 0..<k { a2[i * 4 * k + p * 2] = a[i * k + p] } }
      var c2 = [Float](repeating: 0, count: m * n)
      Gemm.multiply(m: m, n: n, k: k, a: MatrixRef(a2, rowStride: 4 * k, colStride: 2), b: MatrixRef(b, rowStride: n),
                    c: &c2, ldc: n)
      expectClose(c2, want, atol: 1e-4, rtol: 1e-4, "strided A \(m)x\(k)x\(n)")
    }
  }

  @Test func triangularProductsSkipOnlyZeroWork() {
    // Causal attention's products: lowerC computes C[i, j] for j <= i; lowerA /
    // upperA skip A's zero triangle. Several row tiles, k slices and thread counts.
    for (m, k, n) in [(13, 13, 16), (40, 40, 20), (300, 300, 33), (50, 70, 50)] {
      for t in [1, 2] {
        let pool = WorkerPool.pool(threads: t)
        let a = randomFloats(m * k, seed: m + k), b = randomFloats(k * n, seed: n)
        var c = [Float](repeating: 9, count: m * n)
        Gemm.multiply(m: m, n: n, k: k, a: MatrixRef(a, rowStride: k), b: MatrixRef(b, rowStride: n), c: &c, ldc: n,
                      triangle: .lowerC, pool: pool)
        let full = referenceMatmul(a, b, m: m, k: k, n: n)
        for i in 0..<m { for j in 0...min(i, n - 1) { #expect(abs(c[i * n + j] - full[i * n + j]) <= 1e-4, "lowerC \(m)x\(k)x\(n) [\(i), \(j)]") } }
        for (tri, zero) in [(GemmTriangle.lowerA, { (i: Int, p: Int) in p > i }), (.upperA, { (i: Int, p: Int) in p < i })] {
          var az = a
          for i in 0..<m { for p in 0..<k where zero(i, p) { az[i * k + p] = 0 } }
          let want = referenceMatmul(az, b, m: m, k: k, n: n)
          for acc in [false, true] {
            var c2 = [Float](repeating: acc ? 1 : 9, count: m * n)
            Gemm.multiply(m: m, n: n, k: k, a: MatrixRef(az, rowStride: k), b: MatrixRef(b, rowStride: n), c: &c2, ldc: n,
                          accumulate: acc, triangle: tri, pool: pool)
            expectClose(c2, want.map { acc ? $0 + 1 : $0 }, atol: 1e-4, rtol: 1e-4, "\(tri) acc \(acc) \(m)x\(k)x\(n)")
          }
        }
      }
    }
  }

  @Test func groupsShareBAndChainProductsIntoOneC() {
    // A group: two products sharing B, and dx = d1 W1 + d2 W2 + d3 W3 chained into
    // one C; the same bits as separate calls, for 1 and 2 threads.
    let n = 70, k = 40, m = 90
    let x = randomFloats(m * k, seed: 21), b = randomFloats(k * n, seed: 22)
    let ws = (0..<3).map { randomFloats(k * n, seed: 30 + $0) }, ds = (0..<3).map { randomFloats(m * k, seed: 40 + $0) }
    for t in [1, 2] {
      let pool = WorkerPool.pool(threads: t)
      var c1 = [Float](repeating: 0, count: m * n), c2 = c1, dx = c1
      var r1 = c1, r2 = c1, rdx = c1
      c1.withUnsafeMutableBufferPointer { c1p in c2.withUnsafeMutableBufferPointer { c2p in dx.withUnsafeMutableBufferPointer { dxp in
        var group = [GemmProblem(m: m, n: n, k: k, a: MatrixRef(x, rowStride: k), b: MatrixRef(b, rowStride: n), c: c1p.baseAddress!, ldc: n),
                     GemmProblem(m: m, n: n, k: k, a: MatrixRef(ds[0], rowStride: k), b: MatrixRef(b, rowStride: n), c: c2p.baseAddress!, ldc: n)]
        for i in 0..<3 {
          group.append(GemmProblem(m: m, n: n, k: k, a: MatrixRef(ds[i], rowStride: k), b: MatrixRef(ws[i], rowStride: n),
                                   c: dxp.baseAddress!, ldc: n, accumulate: i > 0))
        }
        Gemm.multiply(group, pool: pool)
      } } }
      Gemm.multiply(m: m, n: n, k: k, a: MatrixRef(x, rowStride: k), b: MatrixRef(b, rowStride: n), c: &r1, ldc: n, pool: pool)
      Gemm.multiply(m: m, n: n, k: k, a: MatrixRef(ds[0], rowStride: k), b: MatrixRef(b, rowStride: n), c: &r2, ldc: n, pool: pool)
      for i in 0..<3 {
        Gemm.multiply(m: m, n: n, k: k, a: MatrixRef(ds[i], rowStride: k), b: MatrixRef(ws[i], rowStride: n), c: &rdx, ldc: n,
                      accumulate: i > 0, pool: pool)
      }
      #expect(c1 == r1 && c2 == r2 && dx == rdx, "threads \(t)")
    }
  }

  @Test func microKernelMatchesScalarReference() {
    let kc = 37
    let a = randomFloats(kc * 6, seed: 1), b = randomFloats(kc * 16, seed: 2)
    var c = [Float](repeating: 0, count: 96), r = [Float](repeating: 0, count: 96)
    gemmKernel6x16(kc, a, 1, 6, 6, b, &c, 16, false)
    gemmKernelReference(kc, 6, 16, a, b, &r, 16, false)
    #expect(c == r)
    // A read in place, row-major (row stride kc) and transposed (step 6 as packed, rows 1 apart),
    // gives the same bits as the packed panel.
    var rowMajor = [Float](repeating: 0, count: 6 * kc)
    for i in 0..<6 { for p in 0..<kc { rowMajor[i * kc + p] = a[p * 6 + i] } }
    var d = [Float](repeating: 0, count: 96)
    gemmKernel6x16(kc, rowMajor, kc, 1, 6, b, &d, 16, false)
    #expect(d == r)
    // Fewer rows: rows past `rows` read row 0 and are not trusted; the valid ones match.
    var e = [Float](repeating: 0, count: 96)
    gemmKernel6x16(kc, rowMajor, kc, 1, 4, b, &e, 16, false)
    #expect(Array(e[0..<64]) == Array(r[0..<64]))
  }

  @Test func transposedOperandsAndBatches() throws {
    let a = try Tensor(randomFloats(12, seed: 3), shape: [4, 3])
    let b = try Tensor(randomFloats(20, seed: 4), shape: [4, 5])
    let c = try a.T.matmul(b).toArray()
    expectClose(c, referenceMatmul(try a.T.contiguous().toArray(), b.toArray(), m: 3, k: 4, n: 5), atol: 1e-5)
    let x = try Tensor(randomFloats(2 * 3 * 4, seed: 5), shape: [2, 3, 4])
    let y = try Tensor(randomFloats(2 * 4 * 2, seed: 6), shape: [2, 4, 2])
    let z = try x.matmul(y)
    #expect(z.shape == [2, 3, 2])
    let z1 = try x.select(1).matmul(y.select(1)).toArray()
    #expect(Array(z.toArray()[6...]) == z1)
    let w = try Tensor(randomFloats(15, seed: 7), shape: [5, 3])
    let lin = try Tensor(randomFloats(6, seed: 8), shape: [2, 3]).linear(weight: w)
    #expect(lin.shape == [2, 5])
  }

  @Test func bitIdenticalAcrossThreadCounts() throws {
    let m = 150, k = 300, n = 70
    let a = randomFloats(m * k, seed: 11), b = randomFloats(k * n, seed: 12)
    var results: [[Float]] = []
    for t in [1, 2, 3] {
      var c = [Float](repeating: 0, count: m * n)
      Gemm.multiply(m: m, n: n, k: k, a: MatrixRef(a, rowStride: k), b: MatrixRef(b, rowStride: n), c: &c, ldc: n,
                    pool: WorkerPool.pool(threads: t))
      results.append(c)
    }
    #expect(results[0] == results[1] && results[1] == results[2])
    // A deep weight gradient (transposed A, k over four slices: large row blocks, A packed).
    let (dm, dk, dn) = (400, 1100, 40)
    let da = randomFloats(dm * dk, seed: 15), db = randomFloats(dk * dn, seed: 16)
    var deep: [[Float]] = []
    for t in [1, 2, 3] {
      var c = [Float](repeating: 0, count: dm * dn)
      Gemm.multiply(m: dm, n: dn, k: dk, a: MatrixRef(da, rowStride: 1, colStride: dm), b: MatrixRef(db, rowStride: dn),
                    c: &c, ldc: dn, pool: WorkerPool.pool(threads: t))
      deep.append(c)
    }
    #expect(deep[0] == deep[1] && deep[1] == deep[2])
    let q = try QuantizedMatrix.quantize(try Tensor(randomFloats(200 * 64, seed: 13), shape: [200, 64]), type: .q4_1)
    let x = randomFloats(64, seed: 14)
    var y1 = [Float](repeating: 0, count: 200), y3 = y1
    q.matvec(x, into: &y1, pool: WorkerPool.pool(threads: 1))
    q.matvec(x, into: &y3, pool: WorkerPool.pool(threads: 3))
    #expect(y1 == y3)
  }
}

@Suite struct ThreadCountTests {
  /// Every op gives bit-identical results with 1, 2 and 3 threads.
  @Test func opsAreBitIdenticalAcrossThreadCounts() throws {
    func run() throws -> [[Float]] {
      let x = try Tensor.randn([37, 131], seed: 3)
      let w = try Tensor.randn([131], seed: 4)
      let b = try Tensor.randn([50, 131], seed: 5)
      return [
        try x.softmax().toArray(), try x.logSoftmax().toArray(), try x.rmsNorm(weight: w).toArray(),
        try x.layerNorm(weight: w, bias: w).toArray(), try x.sum(axis: 0).toArray(), try x.sum().toArray(),
        try x.exp().toArray(), try x.gelu().toArray(), try (x * w + 1).toArray(), try x.matmul(b.T).toArray(),
        try Tensor.randn([100_003], seed: 6).toArray(), try Tensor.randn([70_001], seed: 7).silu().toArray(),
        try QuantizedMatrix.quantize(b.slice(axis: 1, start: 0, end: 128).contiguousCopy(), type: .q4_1)
          .matmul(x.slice(axis: 1, start: 0, end: 128).contiguousCopy()).toArray(),
      ]
    }
    let r1 = try WorkerPool.with(WorkerPool.pool(threads: 1)) { try run() }
    let r2 = try WorkerPool.with(WorkerPool.pool(threads: 2)) { try run() }
    let r3 = try WorkerPool.with(WorkerPool.pool(threads: 3)) { try run() }
    for i in 0..<r1.count {
      #expect(r1[i] == r2[i], "op \(i): 1 vs 2 threads")
      #expect(r1[i] == r3[i], "op \(i): 1 vs 3 threads")
    }
  }
}
