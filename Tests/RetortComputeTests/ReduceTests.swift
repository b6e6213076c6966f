// Reductions: blocked sums keep f32 accuracy on large tensors, max/min and
// argmax/argmin treat NaN as NumPy and PyTorch do, and the SIMD kernels
// agree with their scalar references on awkward sizes.

import Testing
@testable import RetortCompute

@Suite struct ReduceTests {
  @Test func largeSumsAndMeansKeepFloat32Accuracy() throws {
    // Plain f32 accumulation gave 0.1011 and 100060 here (1% and 6e-4 off).
    let big = try Tensor.full([20_000_000], 0.1)
    #expect(abs(try big.mean().item() - 0.1) < 2e-8)
    #expect(abs(try Tensor.full([1_000_000], 0.1).sum().item() - 100_000) < 0.02)
    #expect(abs(try big.variance().item()) < 1e-9)
    // A sum over a non-last axis (rows) and along the last axis of many rows.
    let m = try Tensor.full([20_000, 1000], 0.1)
    let cols = try m.sum(axis: 0).toArray()
    #expect(cols.allSatisfy { abs($0 - 2000) < 2e-3 }, "\(cols.prefix(3))")
    #expect(abs(try m.mean(axis: 0).toArray()[999] - 0.1) < 2e-8)
    let rows = try Tensor.full([3, 3_000_000], 0.1).sum(axis: 1).toArray()
    #expect(rows.allSatisfy { abs($0 - 300_000) < 0.05 }, "\(rows)")
  }

  @Test func sumKernelsMatchTheScalarReference() throws {
    for n in [0, 1, 15, 16, 17, 1023, 1024, 1025, 5000] {
      let x = randomFloats(n, seed: n)
      let got = x.withUnsafeBufferPointer { p in p.baseAddress.map { runSum($0, n) } ?? 0 }
      let want = x.withUnsafeBufferPointer { p in p.baseAddress.map { referenceSum($0, n) } ?? 0 }
      #expect(abs(got - want) <= 1e-5 * max(1, Float(n).squareRoot()), "n=\(n): \(got) vs \(want)")
      let t = try Tensor(x, shape: [n])
      #expect(try t.sum().item() == got)
    }
    // Rows: 1, a block, a block and one, several blocks with a tail; inner widths with odd tails.
    for (n, inner) in [(1, 3), (64, 17), (65, 2), (300, 33)] {
      let x = randomFloats(n * inner, seed: n + inner)
      let t = try Tensor(x, shape: [n, inner])
      let want = (0..<inner).map { k in Float((0..<n).reduce(0.0) { $0 + Double(x[$1 * inner + k]) }) }
      expectClose(try t.sum(axis: 0).toArray(), want, atol: 1e-5, rtol: 1e-5, "rows \(n)x\(inner)")
    }
  }

  @Test func extremumKernelsMatchTheScalarReference() throws {
    for n in [1, 15, 16, 17, 33, 1000] {
      var x = randomFloats(n, seed: 40 + n)
      if n > 20 { x[n - 3] = .infinity; x[2] = -.infinity }
      for largest in [true, false] {
        let got = x.withUnsafeBufferPointer { p in p.baseAddress.map { runExtremum($0, n, largest: largest) } }
        let want = x.withUnsafeBufferPointer { p in p.baseAddress.map { referenceExtremum($0, n, largest: largest) } }
        #expect(got == want, "n=\(n) largest=\(largest)")
      }
    }
  }

  @Test func maxAndMinPropagateNaNAtEverySize() throws {
    for n in [1, 3, 16, 17, 32, 100] {
      for at in Set([0, n / 2, n - 1]) {
        var x = (0..<n).map(Float.init)
        x[at] = .nan
        let t = try Tensor(x, shape: [n])
        #expect(try t.max().item().isNaN, "max n=\(n) nan at \(at)")
        #expect(try t.min().item().isNaN, "min n=\(n) nan at \(at)")
        #expect(try t.argmax().item() == Float(at), "argmax n=\(n) nan at \(at)")
        #expect(try t.argmin().item() == Float(at), "argmin n=\(n) nan at \(at)")
        let ref = x.withUnsafeBufferPointer { p in p.baseAddress.map { referenceExtremum($0, n, largest: true) } }
        #expect(ref?.isNaN == true)
      }
    }
    // Along an axis: only the column holding the NaN becomes NaN.
    var x = (0..<40).map(Float.init)
    x[2 * 2 + 1] = .nan
    let t = try Tensor(x, shape: [20, 2])
    let mx = try t.max(axis: 0).toArray(), mn = try t.min(axis: 0).toArray()
    #expect(mx[0] == 38 && mx[1].isNaN && mn[0] == 0 && mn[1].isNaN)
    #expect(try t.argmax(axis: 0).toArray() == [19, 2])
    #expect(try t.argmin(axis: 0).toArray() == [0, 2])
    #expect(try t.T.max(axis: 1).toArray()[1].isNaN)
  }

  @Test func argmaxAndArgminPickTheFirstOnTies() throws {
    let t = try Tensor([3, 1, 3, 1], shape: [4])
    #expect(try t.argmax().item() == 0 && t.argmin().item() == 1)
    let m = try Tensor([1, 5, 5, 0, 0, 2], shape: [2, 3])
    #expect(try m.argmax(axis: 1).toArray() == [1, 2])
    #expect(try m.argmin(axis: -1, keepdims: true).shape == [2, 1])
    #expect(try m.argmin(axis: 0).toArray() == [1, 1, 1])
  }

  @Test func elementwiseMaximumAndMinimumPropagateNaNFromEitherSide() throws {
    let one = try Tensor([1], shape: [1]), nan = try Tensor([.nan], shape: [1])
    #expect(try Tensor.maximum(one, nan).item().isNaN)
    #expect(try Tensor.maximum(nan, one).item().isNaN)
    #expect(try Tensor.minimum(one, nan).item().isNaN)
    #expect(try Tensor.minimum(nan, one).item().isNaN)
    // The SIMD body and the scalar tail agree (NaN at every position of 37 values).
    for at in 0..<37 {
      var x = [Float](repeating: 2, count: 37)
      x[at] = .nan
      let a = try Tensor(x, shape: [37]), b = try Tensor.full([37], 1)
      for r in [try Tensor.maximum(a, b), try Tensor.maximum(b, a), try Tensor.minimum(a, b), try Tensor.minimum(b, a)] {
        let v = r.toArray()
        #expect(v[at].isNaN && v.enumerated().allSatisfy { $0.offset == at || !$0.element.isNaN }, "at \(at)")
      }
    }
    #expect(try Tensor([.nan, 5], shape: [2]).clamp(min: 0, max: 1).toArray().map { $0.isNaN ? -1 : $0 } == [-1, 1])
  }

  @Test func aZeroDimensionalTensorReducesOnlyAlongAxisZeroOrMinusOne() throws {
    let s = Tensor(scalar: 5)
    #expect(try s.sum(axis: 0).item() == 5 && s.max(axis: -1).item() == 5)
    #expect(throws: ComputeError("sum: axis 3 is out of range for a tensor with 0 dimensions")) { try s.sum(axis: 3) }
    #expect(throws: ComputeError.self) { try s.mean(axis: 1) }
    #expect(throws: ComputeError.self) { try s.argmax(axis: -2) }
    #expect(throws: ComputeError.self) { try s.variance(axis: 2) }
  }
}
