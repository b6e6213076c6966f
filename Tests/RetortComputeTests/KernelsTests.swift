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

  @Test func nestedValues() throws {
    let t = try Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
    let nested = t.toNested() as? [[Double]]
    #expect(nested == [[1, 2, 3], [4, 5, 6]])
    #expect(Tensor(scalar: 2).toNested() as? Double == 2)
  }
}
