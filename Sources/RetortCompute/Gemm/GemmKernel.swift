// The 6x16 f32 micro-kernel (BLIS-style register tile for AVX2/FMA:
// 12 ymm accumulators, 2 ymm loads of B and 1 broadcast of A per step).
//
// a: element (i, p) of the 6-row A tile at a[i * aRow + p * aStep]: a packed
//    micro-panel (aRow 1, aStep 6), or A read in place, row-major (aRow =
//    its row stride, aStep 1) or transposed (aRow 1, aStep = its column
//    stride). Rows at or past `rows` read row 0 (their results are dropped).
// b: packed B micro-panel, kc steps of 16 values (columns of the tile)
// Each C element accumulates its kc products in order p = 0..<kc, so the
// result never depends on how tiles are assigned to threads, nor on whether
// A was packed.

@inline(never)
func gemmKernel6x16(_ kc: Int, _ a: UnsafePointer<Float>, _ aRow: Int, _ aStep: Int, _ rows: Int,
                    _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ accumulate: Bool) {
  var c00 = SIMD8<Float>(), c01 = SIMD8<Float>()
  var c10 = SIMD8<Float>(), c11 = SIMD8<Float>()
  var c20 = SIMD8<Float>(), c21 = SIMD8<Float>()
  var c30 = SIMD8<Float>(), c31 = SIMD8<Float>()
  var c40 = SIMD8<Float>(), c41 = SIMD8<Float>()
  var c50 = SIMD8<Float>(), c51 = SIMD8<Float>()
  let r0 = a, r1 = a + (rows > 1 ? aRow : 0), r2 = a + (rows > 2 ? 2 * aRow : 0)
  let r3 = a + (rows > 3 ? 3 * aRow : 0), r4 = a + (rows > 4 ? 4 * aRow : 0), r5 = a + (rows > 5 ? 5 * aRow : 0)
  var off = 0
  var pb = UnsafeRawPointer(b)
  for _ in 0..<kc {
    let b0 = pb.load(as: SIMD8<Float>.self)
    let b1 = pb.load(fromByteOffset: 32, as: SIMD8<Float>.self)
    let a0 = SIMD8<Float>(repeating: r0[off])
    c00 = c00.addingProduct(a0, b0); c01 = c01.addingProduct(a0, b1)
    let a1 = SIMD8<Float>(repeating: r1[off])
    c10 = c10.addingProduct(a1, b0); c11 = c11.addingProduct(a1, b1)
    let a2 = SIMD8<Float>(repeating: r2[off])
    c20 = c20.addingProduct(a2, b0); c21 = c21.addingProduct(a2, b1)
    let a3 = SIMD8<Float>(repeating: r3[off])
    c30 = c30.addingProduct(a3, b0); c31 = c31.addingProduct(a3, b1)
    let a4 = SIMD8<Float>(repeating: r4[off])
    c40 = c40.addingProduct(a4, b0); c41 = c41.addingProduct(a4, b1)
    let a5 = SIMD8<Float>(repeating: r5[off])
    c50 = c50.addingProduct(a5, b0); c51 = c51.addingProduct(a5, b1)
    off += aStep
    pb += 64
  }
  @inline(__always) func put(_ row: Int, _ v0: SIMD8<Float>, _ v1: SIMD8<Float>) {
    let p = UnsafeMutableRawPointer(c + row * ldc)
    if accumulate {
      p.storeBytes(of: p.loadUnaligned(as: SIMD8<Float>.self) + v0, as: SIMD8<Float>.self)
      p.storeBytes(of: p.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self) + v1, toByteOffset: 32, as: SIMD8<Float>.self)
    } else {
      p.storeBytes(of: v0, as: SIMD8<Float>.self)
      p.storeBytes(of: v1, toByteOffset: 32, as: SIMD8<Float>.self)
    }
  }
  put(0, c00, c01); put(1, c10, c11); put(2, c20, c21)
  put(3, c30, c31); put(4, c40, c41); put(5, c50, c51)
}

/// Scalar reference for the micro-kernel contract (used by tests): same
/// per-element order of accumulation over p, with fused multiply-adds.
func gemmKernelReference(_ kc: Int, _ mr: Int, _ nr: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                         _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ accumulate: Bool) {
  for i in 0..<mr {
    for j in 0..<nr {
      var s: Float = 0
      for p in 0..<kc { s = s.addingProduct(a[p * 6 + i], b[p * 16 + j]) }
      c[i * ldc + j] = accumulate ? c[i * ldc + j] + s : s
    }
  }
}
