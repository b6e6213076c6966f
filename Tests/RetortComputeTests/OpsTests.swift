// Operations against hand-worked values, broadcasting rules, and errors.

import Testing
@testable import RetortCompute

@Suite struct OpsTests {
  @Test func creation() throws {
    #expect(try Tensor.arange(0, 5).toArray() == [0, 1, 2, 3, 4])
    #expect(try Tensor.arange(1, 2, step: 0.5).toArray() == [1, 1.5])
    // The count is taken in double precision: Float(0.3) / Float(0.1) is 3.0000001 and gave 4 values.
    #expect(try Tensor.arange(0, 0.3, step: 0.1).toArray() == [0, 0.1, 0.2])
    #expect(try Tensor.arange(0, 1.2, step: 0.1).shape == [12])
    #expect(try Tensor.arange(10_000_000.5, 10_000_003).toArray() == [10_000_000, 10_000_002, 10_000_002])
    #expect(try Tensor.linspace(0, 1, count: 5).toArray() == [0, 0.25, 0.5, 0.75, 1])
    #expect(try Tensor.identity(2).toArray() == [1, 0, 0, 1])
    let t = try Tensor.fromNested([[1, 2], [3, 4]] as [Any])
    #expect(t.shape == [2, 2] && t.toArray() == [1, 2, 3, 4])
    #expect(throws: ComputeError.self) { try Tensor.fromNested([[1, 2], [3]] as [Any]) }
    #expect(throws: ComputeError.self) { try Tensor.zeros([1, 1, 1, 1, 1, 1]) }
    #expect(throws: ComputeError.self) { try Tensor.zeros([1 << 40, 1 << 30]) }
    #expect(throws: ComputeError.self) { try Tensor.zeros([1 << 20, 1 << 20]) }
  }

  @Test func randomIsSeededAndCounterBased() throws {
    let a = try Tensor.randn([1000], seed: 5), b = try Tensor.randn([1000], seed: 5)
    #expect(a.toArray() == b.toArray())
    #expect(try Tensor.randn([10], seed: 6).toArray() != a.toArray().prefix(10).map { $0 })
    // Element i depends only on (seed, i): a longer tensor extends a shorter one.
    #expect(Array(a.toArray().prefix(10)) == (try Tensor.randn([10], seed: 5)).toArray())
    let m = try a.mean().item(), v = try a.variance().item()
    #expect(abs(m) < 0.1 && abs(v - 1) < 0.1)
    let u = try Tensor.rand([1000], seed: 1).toArray()
    #expect(u.allSatisfy { $0 >= 0 && $0 < 1 })
    let ri = try Tensor.randint([100], low: 3, high: 7, seed: 2).toArray()
    #expect(ri.allSatisfy { $0 >= 3 && $0 < 7 && $0 == $0.rounded() })
    #expect(try Tensor.permutation(10, seed: 3).toArray().sorted() == (0..<10).map(Float.init))
    #expect(CounterRNG(seed: 0).bits(0) == CounterRNG.mix(0xD1B5_4A32_D192_ED03))
  }

  @Test func broadcastingRules() throws {
    let a = try Tensor([1, 2, 3], shape: [3])
    let b = try Tensor([10, 20], shape: [2, 1])
    #expect(try (a + b).toArray() == [11, 12, 13, 21, 22, 23])
    #expect(try (b * a).shape == [2, 3])
    #expect(try (a + 1).toArray() == [2, 3, 4])
    let s = try Tensor([2], shape: [])
    #expect(try (s - a).toArray() == [1, 0, -1])
    let c = try Tensor.ones([4, 1, 3]), d = try Tensor.ones([2, 1])
    #expect(try (c + d).shape == [4, 2, 3])
    #expect(throws: ComputeError("add: shapes [3] and [2] cannot be broadcast together: dimension 0 is 3 vs 2")) {
      try a + Tensor([1, 2], shape: [2])
    }
    // Strided operands (a transpose) broadcast correctly.
    let m = try Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
    #expect(try (m.T + Tensor([100, 200], shape: [2])).toArray() == [101, 204, 102, 205, 103, 206])
  }

  @Test func elementwiseKernelsMatchScalarReferences() throws {
    for n in [1, 7, 16, 33, 1000] {
      let x = randomFloats(n, seed: n).map { $0 * 10 }
      let t = try Tensor(x, shape: [n])
      expectClose(try t.exp().toArray(), x.map { ExpK.scalar($0) }, atol: 0, rtol: 3e-7, "exp \(n)")
      expectClose(try t.tanh().toArray(), x.map { TanhK.scalar($0) }, atol: 2e-7, rtol: 1e-6, "tanh \(n)")
      expectClose(try t.sigmoid().toArray(), x.map { SigmoidK.scalar($0) }, atol: 1e-7, rtol: 1e-6, "sigmoid \(n)")
      expectClose(try t.gelu().toArray(), x.map { GeluK.scalar($0) }, atol: 1e-6, rtol: 1e-6, "gelu \(n)")
      expectClose(try t.silu().toArray(), x.map { SiluK.scalar($0) }, atol: 1e-6, rtol: 1e-6, "silu \(n)")
      expectClose(try t.relu().toArray(), x.map { max($0, 0) }, atol: 0, rtol: 0, "relu \(n)")
      expectClose(try t.abs().toArray(), x.map { abs($0) }, atol: 0, rtol: 0, "abs \(n)")
      let y = randomFloats(n, seed: n + 1)
      let u = try Tensor(y, shape: [n])
      #expect(try (t + u).toArray() == zip(x, y).map { $0 + $1 })
      #expect(try (t / u).toArray() == zip(x, y).map { $0 / $1 })
      expectClose(try t.sum().toArray(), [x.reduce(0, +)], atol: 1e-3, rtol: 1e-5, "sum \(n)")
      #expect(try t.max().item() == x.max()!)
    }
    #expect(try Tensor([-100, 100, .nan], shape: [3]).exp().toArray().map { $0.isNaN ? -1 : $0 } == [0, .infinity, -1])
  }

  @Test func reductionsHandWorked() throws {
    let t = try Tensor([1, 5, 3, 4, 2, 6], shape: [2, 3])
    #expect(try t.sum(axis: 0).toArray() == [5, 7, 9])
    #expect(try t.sum(axis: 1, keepdims: true).shape == [2, 1])
    #expect(try t.mean(axis: 1).toArray() == [3, 4])
    #expect(try t.max(axis: 1).toArray() == [5, 6])
    #expect(try t.min(axis: 0).toArray() == [1, 2, 3])
    #expect(try t.argmax(axis: 1).toArray() == [1, 2])
    #expect(try t.argmax().item() == 5)
    #expect(try t.variance(axis: 1).toArray() == [8.0 / 3, 8.0 / 3])
    #expect(throws: ComputeError("sum: axis 2 is out of range for a tensor with 2 dimensions")) { try t.sum(axis: 2) }
  }

  @Test func softmaxAndNorms() throws {
    let rows = [1, 7, 33, 100]
    for n in rows {
      let x = randomFloats(3 * n, seed: n).map { $0 * 5 }
      let t = try Tensor(x, shape: [3, n])
      let s = try t.softmax().toArray()
      for r in 0..<3 {
        expectClose(Array(s[r * n..<(r + 1) * n]), RowKernels.softmaxReference(Array(x[r * n..<(r + 1) * n])), atol: 1e-7, rtol: 1e-5)
      }
      let w = randomFloats(n, seed: 9)
      let rn = try t.rmsNorm(weight: Tensor(w, shape: [n]), eps: 1e-5).toArray()
      for r in 0..<3 {
        expectClose(Array(rn[r * n..<(r + 1) * n]), RowKernels.rmsNormReference(Array(x[r * n..<(r + 1) * n]), w, eps: 1e-5), atol: 1e-6, rtol: 1e-5)
      }
      let ls = try t.logSoftmax().exp().toArray()
      expectClose(ls, s, atol: 1e-6, rtol: 1e-5, "log_softmax")
    }
    let ln = try Tensor([1, 2, 3, 4], shape: [1, 4]).layerNorm(weight: nil, bias: nil, eps: 0).toArray()
    let sd = Float(1.25).squareRoot()
    expectClose(ln, [-1.5 / sd, -0.5 / sd, 0.5 / sd, 1.5 / sd], atol: 1e-6)
    #expect(throws: ComputeError.self) { try Tensor.zeros([2, 3]).rmsNorm(weight: Tensor.ones([4])) }
  }

  @Test func shapesIndexingAndErrors() throws {
    let t = try Tensor.arange(0, 6).reshaped([2, 3])
    #expect(try t.T.toArray() == [0, 3, 1, 4, 2, 5])
    #expect(try t.reshaped([-1]).shape == [6])
    #expect(throws: ComputeError.self) { try t.reshaped([4, 2]) }
    #expect(try t.select(1).toArray() == [3, 4, 5])
    #expect(try t.select(-1, axis: 1).toArray() == [2, 5])
    #expect(try t.slice(axis: 1, start: 1).toArray() == [1, 2, 4, 5])
    #expect(try t.slice(axis: 1, step: -1).toArray() == [2, 1, 0, 5, 4, 3])
    #expect(try t.slice(0..<1).toArray() == [0, 1, 2])
    #expect(throws: ComputeError("index: index 2 is out of range for axis 0 with size 2")) { try t.select(2) }
    let c = try Tensor.concat([t, t], axis: 1)
    #expect(c.shape == [2, 6] && c.toArray() == [0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5])
    #expect(try Tensor.stack([t, t]).shape == [2, 2, 3])
    let parts = try c.split(count: 2, axis: 1)
    #expect(parts.map { $0.toArray() } == [t.toArray(), t.toArray()])
    #expect(throws: ComputeError.self) { try Tensor.concat([t, Tensor.zeros([3, 3])], axis: 1) }
    #expect(try t.take([1, 1, 0], axis: 0).toArray() == [3, 4, 5, 3, 4, 5, 0, 1, 2])
    #expect(try Tensor.embedding(t, ids: [1, 0, 1], shape: [3]).shape == [3, 3])
    #expect(throws: ComputeError.self) { try t.take([5], axis: 0) }
    let w = try Tensor.zeros([3, 3])
    try w.setIndex(1, to: Tensor([7, 8, 9], shape: [3]))
    try w.setSlice(axis: 1, start: 2, to: Tensor(scalar: 1))
    #expect(w.toArray() == [0, 0, 1, 7, 8, 1, 0, 0, 1])
    #expect(throws: ComputeError("matmul: shapes [2, 3] and [4, 5] do not align: 3 vs 4")) {
      try Tensor.zeros([2, 3]).matmul(Tensor.zeros([4, 5]))
    }
    #expect(throws: ComputeError.self) { try Tensor.zeros([2]).item() }
  }

  @Test func crossEntropyHandWorked() throws {
    let logits = try Tensor([0, 0, 0, 0, 10, 0], shape: [2, 3])
    let l = try Tensor.crossEntropy(logits, targets: [2, -100]).item()
    #expect(abs(l - 1.0986123) < 1e-6)
    #expect(throws: ComputeError.self) { try Tensor.crossEntropy(logits, targets: [3, 0]) }
  }

  @Test func displayLooksLikeNumPy() throws {
    let t = try Tensor([1, 2, 3, 4], shape: [2, 2])
    #expect(t.description == "tensor([[1., 2.],\n        [3., 4.]], shape=[2, 2], dtype=f32)")
    let big = try Tensor.zeros([2000])
    #expect(big.description.contains("..."))
    // Rows longer than the line wrap, continued under their first value.
    let row = try Tensor((0..<6).map { Float($0) + 0.5 }, shape: [1, 6])
    #expect(row.described(lineWidth: 30) == "tensor([[0.5, 1.5, 2.5, 3.5,\n         4.5, 5.5]], shape=[1, 6], dtype=f32)")
    #expect(row.described(lineWidth: 100) == row.description)
    #expect(try Tensor([0.5, -1.25], shape: [2]).formatValues() == "[ 0.50, -1.25]")
    // Whole numbers too big for the integer form (1e19 is past Int64) show in scientific form.
    #expect(Tensor(scalar: 1e19).formatValues() == "1.0000e+19")
    #expect(Tensor(scalar: -3e9).formatValues() == "-3.0000e+09")
    #expect(Tensor(scalar: 42).formatValues() == "42.")
  }

  @Test func displayUsesOneFormatForTheWholeTensor() throws {
    func shown(_ v: [Float]) throws -> String { try Tensor(v, shape: [v.count]).formatValues() }
    // Magnitudes spanning more than 1000x, or reaching 1e8, switch every value to scientific (as PyTorch).
    #expect(try shown([1e-5, 1e5]) == "[1.0000e-05, 1.0000e+05]")
    #expect(try shown([0.1, 1e8]) == "[1.0000e-01, 1.0000e+08]")
    #expect(try shown([0.00012345, 0.5]) == "[1.2345e-04, 5.0000e-01]")
    #expect(try shown([0.5, 1.25, 100]) == "[  0.50,   1.25, 100.00]")
    #expect(try shown([0.5, 1000]) == "[5.0000e-01, 1.0000e+03]")
    #expect(try shown([1, 2, 2000]) == "[   1.,    2., 2000.]")
    #expect(Tensor(scalar: 0.00005).formatValues() == "5.0000e-05")
    #expect(Tensor(scalar: 1234567.5).formatValues() == "1234567.5")
    // -0.0 keeps its sign in every form.
    #expect(try shown([-0.0, 1.5]) == "[-0.0,  1.5]")
    #expect(try shown([.nan, .infinity, -.infinity, -0.0]) == "[ nan,  inf, -inf,  -0.]")
    #expect(try shown([-0.0, 1e-5, 1]) == "[-0.0000e+00,  1.0000e-05,  1.0000e+00]")
    #expect(Tensor(scalar: -0.0).formatValues() == "-0.")
  }

  @Test func halfTensorRoundTrip() throws {
    let t = try Tensor([1, -2.5, 3.140625], shape: [3])
    #expect(try HalfTensor(t, format: .f16).toTensor().toArray() == [1, -2.5, 3.140625])
    #expect(try HalfTensor(t, format: .bf16).toTensor().toArray() == [1, -2.5, 3.140625])
  }
  @Test func floorDivideAndRemainderFollowPython() throws {
    // Values and signs as PyTorch gives them (checked with torch 2.13): the quotient rounds toward
    // minus infinity, the remainder takes the divisor's sign, a zero divisor gives inf/nan and nan.
    let a = try Tensor([7, -7, 7, -7, 5, 0], shape: [6]), b = try Tensor([2, 2, -2, -2, 0, 0], shape: [6])
    let q = try a.floorDivide(b).toArray(), r = try a.remainder(b).toArray()
    #expect(Array(q[0..<5]) == [3, -4, -4, 3, .infinity] && q[5].isNaN, "\(q)")
    #expect(Array(r[0..<4]) == [1, 1, -1, -1] && r[4].isNaN && r[5].isNaN, "\(r)")
    // 7 // 0.1 is 69 (0.1 is a little over a tenth), and broadcasting works both ways round.
    #expect(try Tensor([7], shape: [1]).floorDivide(Tensor(scalar: 0.1)).toArray() == [69])
    #expect(try Tensor(scalar: -7).remainder(Tensor([3, -3], shape: [2])).toArray() == [2, -1])
    // % is differentiable (1 for a, -(a // b) for b); // refuses inputs that record gradients.
    let x = try Tensor([7, -7], shape: [2]).requiringGrad(), y = try Tensor([2, 2], shape: [2]).requiringGrad()
    try x.remainder(y).sum().backward()
    #expect(x.grad?.toArray() == [1, 1] && y.grad?.toArray() == [-3, 4])
    #expect(throws: ComputeError.self) { try x.floorDivide(y) }
  }
}
