// Gradients of every differentiable op against finite differences, plus
// tape behaviour: accumulation, zeroing, no-grad regions.

import Testing
@testable import RetortCompute

private func r(_ shape: [Int], _ seed: Int, scale: Float = 1, shift: Float = 0) throws -> Tensor {
  let n = shape.reduce(1, *)
  return try Tensor(randomFloats(n, seed: seed).map { $0 * scale + shift }, shape: shape)
}

@Suite struct AutogradTests {
  @Test func arithmeticWithBroadcasting() throws {
    try gradCheck("add", [r([2, 3], 1), r([3], 2)]) { try $0[0] + $0[1] }
    try gradCheck("sub", [r([2, 1], 3), r([1, 4], 4)]) { try $0[0] - $0[1] }
    try gradCheck("mul", [r([2, 3], 5), r([2, 1], 6)]) { try $0[0] * $0[1] }
    try gradCheck("div", [r([3, 2], 7), r([2], 8, scale: 0.5, shift: 2)]) { try $0[0] / $0[1] }
    try gradCheck("pow", [r([5], 9, scale: 0.5, shift: 1.5), r([5], 10)]) { try $0[0].pow($0[1]) }
    try gradCheck("maximum", [r([4], 11), r([4], 12)]) { try Tensor.maximum($0[0], $0[1]) }
    try gradCheck("minimum", [r([4], 13), r([4], 14)]) { try Tensor.minimum($0[0], $0[1]) }
    try gradCheck("where", [r([2, 3], 15), r([3], 16)]) { x in
      try Tensor.where(Tensor([1, 0, 1, 0, 0, 1], shape: [2, 3]), x[0], x[1])
    }
  }

  @Test func powGradientsAtZeroMatchPyTorch() throws {
    // torch: (x ** 0).sum().backward() gives [0, 0]; the plain formula gave 0 * inf = NaN at 0.
    let x = try Tensor([0, 1], shape: [2]).requiringGrad()
    try x.pow(0).sum().backward()
    #expect(x.grad?.toArray() == [0, 0])
    // d/db of a^b: torch gives [nan, 0, 0, log 2] for a = [-2, 0, 0, 2], b = [0.5, 2, 0, 0].
    let a = try Tensor([-2, 0, 0, 2], shape: [4])
    let b = try Tensor([0.5, 2, 0, 0], shape: [4]).requiringGrad()
    try a.pow(b).sum().backward()
    let gb = b.grad?.toArray() ?? []
    #expect(gb.count == 4 && gb[0].isNaN && gb[1] == 0 && gb[2] == 0 && abs(gb[3] - 0.693147) < 1e-5)
    // d/da with torch's values: [nan, 0, 0, 0, -inf] for b = [0.5, 2, 0, 0, -1].
    let base = try Tensor([-2, 0, 0, 2, 0], shape: [5]).requiringGrad()
    try base.pow(Tensor([0.5, 2, 0, 0, -1], shape: [5])).sum().backward()
    let ga = base.grad?.toArray() ?? []
    #expect(ga.count == 5 && ga[0].isNaN && ga[1] == 0 && ga[2] == 0 && ga[3] == 0 && ga[4] == -.infinity)
  }

  @Test func unaryMath() throws {
    let x = { try r([7], 20, scale: 2) }
    try gradCheck("exp", [x()]) { try $0[0].exp() }
    try gradCheck("log", [r([7], 21, scale: 0.5, shift: 1.5)]) { try $0[0].log() }
    try gradCheck("sqrt", [r([7], 22, scale: 0.5, shift: 1.5)]) { try $0[0].sqrt() }
    try gradCheck("rsqrt", [r([7], 23, scale: 0.5, shift: 1.5)]) { try $0[0].rsqrt() }
    try gradCheck("tanh", [x()]) { try $0[0].tanh() }
    try gradCheck("sigmoid", [x()]) { try $0[0].sigmoid() }
    try gradCheck("relu", [try Tensor([-1.5, -0.3, 0.4, 2], shape: [4])]) { try $0[0].relu() }
    try gradCheck("gelu", [x()]) { try $0[0].gelu() }
    try gradCheck("silu", [x()]) { try $0[0].silu() }
    try gradCheck("abs", [try Tensor([-1.5, -0.3, 0.4, 2], shape: [4])]) { try $0[0].abs() }
    try gradCheck("clamp", [try Tensor([-1.5, -0.3, 0.4, 2], shape: [4])]) { try $0[0].clamp(min: -1, max: 1) }
  }

  @Test func reductions() throws {
    let x = { try r([3, 4], 30) }
    try gradCheck("sum all", [x()]) { try $0[0].sum() }
    try gradCheck("sum axis0", [x()]) { try $0[0].sum(axis: 0) }
    try gradCheck("sum axis1 keep", [x()]) { try $0[0].sum(axis: 1, keepdims: true) }
    try gradCheck("mean", [x()]) { try $0[0].mean(axis: -1) }
    try gradCheck("max", [x()]) { try $0[0].max(axis: 1) }
    try gradCheck("min", [x()]) { try $0[0].min(axis: 0) }
    try gradCheck("variance", [x()]) { try $0[0].variance(axis: 1) }
  }

  @Test func tiedExtremaShareTheGradient() throws {
    let v = try Tensor([1, 5, 5], shape: [3])
    v.requiresGrad = true
    try v.max().backward()
    #expect(v.grad?.toArray() == [0, 0.5, 0.5])
    let m = try Tensor([2, 2, 1, 3, 0, 2, 3, 3], shape: [2, 4])
    m.requiresGrad = true
    try m.min(axis: 0).sum().backward()
    #expect(m.grad?.toArray() == [0, 0.5, 1, 0.5, 1, 0.5, 0, 0.5])
  }

  @Test func normsAndSoftmax() throws {
    try gradCheck("softmax", [r([2, 5], 40)]) { try $0[0].softmax() }
    try gradCheck("softmax axis0", [r([3, 2], 41)]) { try $0[0].softmax(axis: 0) }
    try gradCheck("log_softmax", [r([2, 5], 42)]) { try $0[0].logSoftmax() }
    try gradCheck("rms_norm", [r([3, 6], 43), r([6], 44, shift: 1)]) { try $0[0].rmsNorm(weight: $0[1]) }
    try gradCheck("layer_norm", [r([3, 6], 45), r([6], 46, shift: 1), r([6], 47)]) {
      try $0[0].layerNorm(weight: $0[1], bias: $0[2])
    }
    try gradCheck("cross_entropy", [r([4, 5], 48, scale: 2)]) {
      try Tensor.crossEntropy($0[0], targets: [1, -100, 4, 0])
    }
  }

  @Test func matmulAndShapes() throws {
    try gradCheck("matmul", [r([3, 4], 50), r([4, 2], 51)]) { try $0[0].matmul($0[1]) }
    try gradCheck("batched matmul", [r([2, 3, 4], 52), r([4, 5], 53)]) { try $0[0].matmul($0[1]) }
    try gradCheck("matvec", [r([3, 4], 54), r([4], 55)]) { try $0[0].matmul($0[1]) }
    try gradCheck("linear", [r([2, 4], 56), r([3, 4], 57), r([3], 58)]) { try $0[0].linear(weight: $0[1], bias: $0[2]) }
    try gradCheck("transpose", [r([2, 3], 59)]) { try $0[0].T * Tensor(randomFloats(6, seed: 1), shape: [3, 2]) }
    try gradCheck("permute", [r([2, 3, 4], 60)]) { try $0[0].permuted([2, 0, 1]) }
    try gradCheck("reshape", [r([2, 3], 61)]) { try $0[0].reshaped([3, 2]) }
    try gradCheck("concat", [r([2, 3], 62), r([1, 3], 63)]) { try Tensor.concat($0, axis: 0) }
    try gradCheck("stack", [r([2, 3], 64), r([2, 3], 65)]) { try Tensor.stack($0, axis: 1) }
    try gradCheck("split", [r([4, 3], 66)]) { try $0[0].split(sizes: [1, 3], axis: 0)[1] }
    try gradCheck("slice", [r([5, 3], 67)]) { try $0[0].slice(axis: 0, start: 1, end: 5, step: 2) }
    try gradCheck("select", [r([5, 3], 68)]) { try $0[0].select(2, axis: 1) }
    try gradCheck("take", [r([5, 3], 69)]) { try $0[0].take([4, 0, 4], axis: 0) }
    try gradCheck("broadcast", [r([3], 70)]) { try $0[0].broadcast(to: [2, 3]) }
  }

  @Test func accumulationZeroingAndNoGrad() throws {
    let x = try Tensor([1, 2, 3], shape: [3]).requiringGrad()
    try (x * x).sum().backward()
    #expect(x.grad?.toArray() == [2, 4, 6])
    try (x * x).sum().backward()
    #expect(x.grad?.toArray() == [4, 8, 12])
    x.zeroGrad()
    #expect(x.grad == nil)
    let y = try Tensor.noGrad { try x * x }
    #expect(!y.requiresGrad)
    #expect(throws: ComputeError.self) { try y.sum().backward() }
    // Reusing a tensor twice in one graph sums both paths.
    try (x * x + x).sum().backward()
    #expect(x.grad?.toArray() == [3, 5, 7])
    #expect(throws: ComputeError.self) { try (x * x).backward() }
  }
}
