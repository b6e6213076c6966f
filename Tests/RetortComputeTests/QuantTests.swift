// Quantized blocks: layouts, round trips, fused products vs references.

import Testing
@testable import RetortCompute

@Suite struct QuantTests {
  @Test func q4_1LayoutMatchesGGML() throws {
    // d = 0.5, m = -1, byte j = (hi = 15 - j % 16) << 4 | (lo = j)
    var block = [UInt8](repeating: 0, count: 20)
    let d = Half.floatToF16(0.5), m = Half.floatToF16(-1)
    block[0] = UInt8(d & 0xFF); block[1] = UInt8(d >> 8)
    block[2] = UInt8(m & 0xFF); block[3] = UInt8(m >> 8)
    for j in 0..<16 { block[4 + j] = UInt8((15 - j) << 4 | j) }
    var out = [Float](repeating: 0, count: 32)
    block.withUnsafeBytes { QuantBlocks.dequantizeBlockReference(.q4_1, $0.baseAddress!, &out) }
    for j in 0..<16 {
      #expect(out[j] == 0.5 * Float(j) - 1)
      #expect(out[j + 16] == 0.5 * Float(15 - j) - 1)
    }
    var simd = [Float](repeating: 0, count: 32)
    block.withUnsafeBytes { QuantBlocks.dequantizeRow(.q4_1, $0.baseAddress!, &simd, blocks: 1) }
    #expect(simd == out)
  }

  @Test func q4_0AndQ8_0Layouts() throws {
    var b4 = [UInt8](repeating: 0, count: 18)
    let d = Half.floatToF16(2)
    b4[0] = UInt8(d & 0xFF); b4[1] = UInt8(d >> 8)
    b4[2] = 0xF0  // element 0 -> 0 - 8, element 16 -> 15 - 8
    var out = [Float](repeating: 0, count: 32)
    b4.withUnsafeBytes { QuantBlocks.dequantizeBlockReference(.q4_0, $0.baseAddress!, &out) }
    #expect(out[0] == -16 && out[16] == 14 && out[1] == -16)
    var b8 = [UInt8](repeating: 0, count: 34)
    b8[0] = UInt8(d & 0xFF); b8[1] = UInt8(d >> 8)
    b8[2] = UInt8(bitPattern: -3); b8[33] = 127
    b8.withUnsafeBytes { QuantBlocks.dequantizeBlockReference(.q8_0, $0.baseAddress!, &out) }
    #expect(out[0] == -6 && out[31] == 254 && out[1] == 0)
  }

  @Test(arguments: QuantType.allCases)
  func roundTripErrorBounds(type: QuantType) throws {
    let rows = 7, cols = 96
    let w = try Tensor(randomFloats(rows * cols, seed: 3), shape: [rows, cols])
    let q = try QuantizedMatrix.quantize(w, type: type)
    #expect(q.data.count == rows * cols / 32 * type.blockBytes)
    let back = try q.dequantize().toArray()
    let orig = w.toArray()
    // Per-block error bound: half a quantization step (plus f16 scale
    // rounding); Q4_0 maps the extreme to -8, so the opposite extreme is
    // clipped at +7 and may be off by a whole step (as in ggml).
    for b in 0..<(rows * cols / 32) {
      let blk = orig[b * 32..<(b + 1) * 32]
      let lo = blk.min()!, hi = blk.max()!, amax = blk.map(abs).max()!
      let step: Float = type == .q8_0 ? amax / 127 : (type == .q4_0 ? amax / 8 : (hi - lo) / 15)
      for i in b * 32..<(b + 1) * 32 {
        #expect(abs(back[i] - orig[i]) <= step * (type == .q4_0 ? 1 : 0.5) + 2e-3 * amax + 1e-6, "\(type) element \(i)")
      }
    }
    // The SIMD row dequantizer equals the scalar reference exactly.
    var ref = [Float](repeating: 0, count: 32)
    for b in 0..<(rows * cols / 32) {
      QuantBlocks.dequantizeBlockReference(type, q.data.baseAddress! + b * type.blockBytes, &ref)
      #expect(Array(back[b * 32..<(b + 1) * 32]) == ref)
    }
  }

  @Test(arguments: QuantType.allCases)
  func matvecMatchesReferences(type: QuantType) throws {
    for (rows, cols) in [(1, 32), (7, 64), (33, 160), (100, 576)] {
      let w = try Tensor(randomFloats(rows * cols, seed: rows), shape: [rows, cols])
      let x = randomFloats(cols, seed: cols + 1)
      let q = try QuantizedMatrix.quantize(w, type: type)
      var y = [Float](repeating: 0, count: rows)
      q.matvec(x, into: &y, activations: .q8)
      let qa = Q8Activations(x, count: cols)
      let ref = (0..<rows).map { Float(QuantDot.referenceQ8(type, q.rowPointer($0), cols: cols, qa)) }
      expectClose(y, ref, atol: 1e-4, rtol: 1e-5, "\(type) q8 \(rows)x\(cols)")
      // f32 activations against dequantized weights.
      q.matvec(x, into: &y, activations: .f32)
      let deq = try q.dequantize().toArray()
      let ref32 = referenceMatmul(deq, x, m: rows, k: cols, n: 1)
      expectClose(y, ref32, atol: 1e-4, rtol: 1e-5, "\(type) f32 \(rows)x\(cols)")
      // Q8 activation error stays small relative to the f32 result.
      let scale = x.map(abs).reduce(0, +)
      let qy = (0..<rows).map { Float(QuantDot.referenceQ8(type, q.rowPointer($0), cols: cols, qa)) }
      for i in 0..<rows { #expect(abs(qy[i] - ref32[i]) <= 0.02 * scale) }
    }
  }

  @Test(arguments: [QuantType.q4_1, .q8_0])
  func matmulMatchesMatvec(type: QuantType) throws {
    let rows = 45, cols = 96
    let q = try QuantizedMatrix.quantize(try Tensor(randomFloats(rows * cols, seed: 9), shape: [rows, cols]), type: type)
    for n in [1, 3, 5, 17] {
      let x = try Tensor(randomFloats(n * cols, seed: n), shape: [n, cols])
      let y = try q.matmul(x, activations: .f32).toArray()
      let deq = try q.dequantize()
      let ref = try x.matmul(deq.transposed()).toArray()
      expectClose(y, ref, atol: 1e-4, rtol: 1e-4, "\(type) n=\(n)")
    }
  }

  @Test func badShapesThrow() throws {
    let bytes = [UInt8](repeating: 0, count: 40)
    try bytes.withUnsafeBytes { raw in
      #expect(throws: ComputeError.self) { try QuantizedMatrix(type: .q4_1, rows: 1, cols: 33, data: raw) }
      #expect(throws: ComputeError.self) { try QuantizedMatrix(type: .q4_1, rows: 3, cols: 32, data: raw) }
      let q = try QuantizedMatrix(type: .q4_1, rows: 2, cols: 32, data: raw)
      #expect(throws: ComputeError.self) { try q.matvec(Tensor.zeros([31])) }
      var row = [Float](repeating: 0, count: 32)
      #expect(throws: ComputeError.self) { try q.dequantizeRow(2, into: &row) }
    }
  }

  @Test func halfConversions() {
    for v: Float in [0, 1, -2.5, 65504, 1e-7, 6.1e-5, -0.333] {
      let h = Half.floatToF16(v)
      #expect(abs(Half.f16ToFloat(h) - v) <= abs(v) * 1e-3 + 6e-8)
      #expect(Half.f16ToFloat(h) == Float(Float16(v)))
      let b = Half.floatToBF16(v)
      #expect(abs(Half.bf16ToFloat(b) - v) <= abs(v) * 4e-3)
    }
    #expect(Half.f16ToFloat(Half.floatToF16(1e6)) == .infinity)
  }
}

@Suite struct QuantizedLinearTests {
  @Test func gradientFlowsToInputOnly() throws {
    let q = try QuantizedMatrix.quantize(try Tensor(randomFloats(5 * 64, seed: 1), shape: [5, 64]), type: .q4_1)
    try gradCheck("quantized linear", [try Tensor(randomFloats(3 * 64, seed: 2), shape: [3, 64])]) {
      try $0[0].linear(quantized: q)
    }
    // Matches the dense product with the dequantized weight.
    let x = try Tensor(randomFloats(6 * 64, seed: 3), shape: [6, 64])
    expectClose(try x.linear(quantized: q).toArray(), try x.linear(weight: q.dequantize()).toArray(), atol: 1e-5, rtol: 1e-5)
  }
}

@Suite struct Q8ReuseTests {
  @Test func quantizedActivationsCanBeReused() throws {
    let q = try QuantizedMatrix.quantize(try Tensor(randomFloats(9 * 96, seed: 4), shape: [9, 96]), type: .q4_1)
    let x = randomFloats(96, seed: 5)
    var a = [Float](repeating: 0, count: 9), b = a
    q.matvec(x, into: &a)
    try q.matvec(Q8Activations(x, count: 96), into: &b)
    #expect(a == b)
    #expect(throws: ComputeError.self) { try q.matvec(Q8Activations(x, count: 64), into: &b) }
  }
}
