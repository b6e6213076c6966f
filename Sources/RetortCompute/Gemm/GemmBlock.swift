// The GEMM's inner loops: one task's row block of C against a range of B's
// panels (A read in place or packed), the sweep of the 6x16 micro-kernel over
// it, and the tile-by-tile skipping of triangular products.

extension Gemm {
  /// Task `t` of a plan: one row block of C against a range of B's panels.
  static func block(_ plan: Plan, _ t: Int, bPack: UnsafePointer<Float>) {
    let p = plan.p, a = p.a, k = p.k
    let ib = t / plan.nSplits, js = t % plan.nSplits
    let ic = ib * plan.mc, mcb = Swift.min(plan.mc, p.m - ic)
    let p0 = js * plan.panelsPerSplit, p1 = Swift.min(plan.nPanels, p0 + plan.panelsPerSplit)
    if p0 >= p1 { return }
    let sliceFloats = sliceStride(plan.nPanels)
    let c = p.c + ic * p.ldc
    // A with a unit stride is read in place by the micro-kernel (packing it
    // cost as much as a fifth of a training step); other strides are packed,
    // and so is transposed A whose steps lie a multiple of 2 KB apart: its
    // lines would share one or two L1 sets (a 1024-wide layer's dY^T ran at
    // 0.79x of the row-major speed in place), or that is deep: each k step
    // is a new line (and often a new page), and a deep block's rows are
    // many, so its packing is cheap beside them (3% faster at 384 x 384 x 4096).
    if a.colStride == 1 || (a.rowStride == 1 && a.colStride % 512 != 0 && !isDeep(k)) {
      for s in 0..<plan.kSlices {
        let pc = s * kcMax, kc = Swift.min(kcMax, k - pc)
        let tile = ATile(base: a.pointer + ic * a.rowStride + pc * a.colStride, row: a.rowStride, step: a.colStride,
                         next: mr * a.rowStride)
        macroKernel(mc: mcb, nc: p.n, kc: kc, a: tile, bPack: bPack + s * sliceFloats, panels: p0..<p1, c: c, ldc: p.ldc,
                    accumulate: p.accumulate || s > 0, skip: TileSkip(triangle: p.triangle, row: ic, col: p.column, step: pc))
      }
      return
    }
    let aCount = roundUp(mcb, mr) * Swift.min(k, kcMax)
    let aPack = Memory.tryAllocate(aCount)
    defer { Memory.release(aPack, count: aCount) }
    for s in 0..<plan.kSlices {
      let pc = s * kcMax, kc = Swift.min(kcMax, k - pc)
      packA(MatrixRef(a.pointer + ic * a.rowStride + pc * a.colStride, rowStride: a.rowStride, colStride: a.colStride),
            mc: mcb, kc: kc, into: aPack)
      macroKernel(mc: mcb, nc: p.n, kc: kc, a: ATile(base: aPack, row: 1, step: mr, next: mr * kc), bPack: bPack + s * sliceFloats,
                  panels: p0..<p1, c: c, ldc: p.ldc, accumulate: p.accumulate || s > 0,
                  skip: TileSkip(triangle: p.triangle, row: ic, col: p.column, step: pc))
    }
  }

  /// Where the micro-kernel finds A: element (i, p) of the block at
  /// base[i * row + p * step]; the next 6-row tile starts `next` further on.
  struct ATile {
    var base: UnsafePointer<Float>
    var row: Int, step: Int, next: Int
  }

  /// A block's place in the whole product, for skipping triangular work:
  /// its first row and column, and the first k step of its slice.
  struct TileSkip {
    var triangle: GemmTriangle
    var row: Int, col: Int, step: Int

    /// The k steps (within a slice of kc) that tile rows `r0..<r1` need
    /// against columns from `c0`, or nil when the tile is not wanted at all.
    @inline(__always) func steps(rows r0: Int, _ r1: Int, fromColumn c0: Int, kc: Int) -> Range<Int>? {
      switch triangle {
      case .none: return 0..<kc
      case .lowerC: return col + c0 > row + r1 - 1 ? nil : 0..<kc
      case .lowerA: return 0..<Swift.max(0, Swift.min(kc, row + r1 - step))
      case .upperA: let lo = Swift.min(kc, Swift.max(0, row + r0 - step)); return lo..<kc
      }
    }
  }

  /// Sweeps the micro-kernel over an mc x (panels) block of C.
  static func macroKernel(mc: Int, nc: Int, kc: Int, a: ATile, bPack: UnsafePointer<Float>,
                          panels: Range<Int>, c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool,
                          skip: TileSkip) {
    var edge = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
    for q in panels {
      let j0 = q * nr, cols = min(nr, nc - j0)
      let bp = bPack + q * kc * nr
      var i0 = 0, ap = a.base
      while i0 < mc {
        let rows = min(mr, mc - i0)
        defer { i0 += mr; ap += a.next }
        guard let ks = skip.steps(rows: i0, i0 + rows, fromColumn: j0, kc: kc) else { continue }
        if ks.isEmpty {
          // Nothing to add; a first write still owes zeros.
          if !accumulate { for i in 0..<rows { (c + (i0 + i) * ldc + j0).update(repeating: 0, count: cols) } }
          continue
        }
        let at = ap + ks.lowerBound * a.step, bt = bp + ks.lowerBound * nr
        if rows == mr && cols == nr {
          gemmKernel6x16(ks.count, at, a.row, a.step, mr, bt, c + i0 * ldc + j0, ldc, accumulate)
        } else {
          withUnsafeMutableBytes(of: &edge) { raw in
            guard let t = raw.baseAddress?.assumingMemoryBound(to: Float.self) else { return }
            gemmKernel6x16(ks.count, at, a.row, a.step, rows, bt, t, nr, false)
            for i in 0..<rows {
              let dst = c + (i0 + i) * ldc + j0
              for j in 0..<cols { dst[j] = accumulate ? dst[j] + t[i * nr + j] : t[i * nr + j] }
            }
          }
        }
      }
    }
  }
}
