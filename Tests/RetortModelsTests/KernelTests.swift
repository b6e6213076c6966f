// The AVX2 quantized dot products (Kernels/) against their scalar reference.

import Testing
@testable import RetortModels

struct KernelTests {
  @Test(arguments: [GGMLType.q4_0, .q4_1, .q8_0])
  func dotMatchesScalarReference(type: GGMLType) throws {
    let cols = 32 * 9
    var state: UInt64 = 99
    func r() -> Float {
      state = state &* 6364136223846793005 &+ 1442695040888963407
      return Float(Int64(bitPattern: state) >> 40) / Float(1 << 23)
    }
    let w = (0..<cols).map { _ in r() * 3 }
    let x = (0..<cols).map { _ in r() * 5 }
    let data = try Quantize.encode(w, as: type)
    let a = Q8Vector(capacity: cols)
    x.withUnsafeBufferPointer { a.quantize($0.baseAddress!) }
    let (fast, ref) = data.withUnsafeBytes { p in
      (QuantDotAVX2.dot(type.rawValue, p.baseAddress!, cols / 32, a), QuantDotAVX2.reference(type, p.baseAddress!, cols / 32, a))
    }
    #expect(abs(Double(fast) - ref) <= 1e-4 * max(1, abs(ref)), "\(type): \(fast) vs \(ref)")
    // And both approximate the exact f32 dot product of the decoded weights.
    let wd = data.withUnsafeBytes { Quantize.decode($0, type: type, count: cols) }
    let exact = zip(wd, x).reduce(0.0) { $0 + Double($1.0 * $1.1) }
    let norm = zip(wd, x).reduce(0.0) { $0 + Double(abs($1.0 * $1.1)) }
    #expect(abs(ref - exact) < 0.02 * norm)
  }
}
