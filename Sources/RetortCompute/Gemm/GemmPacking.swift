// Packing for the GEMM: rows of A into 6-tall micro-panels (when A cannot
// be read in place) and columns of B into 16-wide micro-panels, zero-padded
// at the edges, absorbing any strides (transposed B by 8x8 register
// transposes, transposed 6-row A panels by vector copies).

extension Gemm {
  /// Packs unit u of a k x n B into `dst`: unit u is panel u % nPanels of
  /// slice u / nPanels, at slice * sliceStride + panel * kc * 16.
  static func packUnit(_ b: MatrixRef, k: Int, n: Int, unit u: Int, into dst: UnsafeMutablePointer<Float>) {
    let nPanels = panels(n)
    let s = u / nPanels, q = u % nPanels
    let pc = s * kcMax, kc = Swift.min(kcMax, k - pc)
    packPanelsB(MatrixRef(b.pointer + pc * b.rowStride, rowStride: b.rowStride, colStride: b.colStride),
                kc: kc, nc: n, panels: q..<(q + 1), into: dst + s * sliceStride(nPanels))
  }

  /// Packs rows of A into 6-tall micro-panels: panel r, step p, lane i at
  /// [r * kc * 6 + p * 6 + i]; rows past `mc` are zero.
  static func packA(_ a: MatrixRef, mc: Int, kc: Int, into dst: UnsafeMutablePointer<Float>) {
    var r = 0
    while r < mc {
      let rows = min(mr, mc - r)
      let d = dst + r * kc
      if a.rowStride == 1 && a.colStride != 1 {
        // Transposed A (e.g. dY^T in a weight gradient): the 6 rows of a
        // step are adjacent in memory.
        if rows == mr {
          for p in 0..<kc {
            let src = UnsafeRawPointer(a.pointer + p * a.colStride + r), o = UnsafeMutableRawPointer(d + p * 6)
            o.storeBytes(of: src.loadUnaligned(as: SIMD4<Float>.self), as: SIMD4<Float>.self)
            o.storeBytes(of: src.loadUnaligned(fromByteOffset: 16, as: SIMD2<Float>.self), toByteOffset: 16, as: SIMD2<Float>.self)
          }
        } else {
          for p in 0..<kc {
            let src = a.pointer + p * a.colStride + r
            for i in 0..<rows { d[p * 6 + i] = src[i] }
            for i in rows..<mr { d[p * 6 + i] = 0 }
          }
        }
        r += mr
        continue
      }
      for i in 0..<rows {
        let src = a.pointer + (r + i) * a.rowStride
        if a.colStride == 1 {
          for p in 0..<kc { d[p * 6 + i] = src[p] }
        } else {
          for p in 0..<kc { d[p * 6 + i] = src[p * a.colStride] }
        }
      }
      if rows < mr { for p in 0..<kc { for i in rows..<mr { d[p * 6 + i] = 0 } } }
      r += mr
    }
  }

  /// Packs columns of B into 16-wide micro-panels: panel q, step p, lane j at
  /// [q * kc * 16 + p * 16 + j]; columns past `nc` are zero.
  static func packPanelsB(_ b: MatrixRef, kc: Int, nc: Int, panels: Range<Int>, into dst: UnsafeMutablePointer<Float>) {
    for q in panels {
      let j0 = q * nr, cols = min(nr, nc - j0)
      let d = dst + q * kc * nr
      if cols == nr && b.colStride == 1 {
        for p in 0..<kc {
          let s = UnsafeRawPointer(b.pointer + p * b.rowStride + j0)
          let o = UnsafeMutableRawPointer(d + p * nr)
          o.storeBytes(of: s.loadUnaligned(as: SIMD16<Float>.self), as: SIMD16<Float>.self)
        }
      } else if b.rowStride == 1 {
        // Transposed B: each column is contiguous along k; full 8x8 blocks
        // are transposed in registers, the rest copied one by one.
        var p0 = 0
        if cols == nr {
          while p0 + 8 <= kc {
            for h in 0..<2 { transpose8x8(b.pointer + (j0 + 8 * h) * b.colStride + p0, b.colStride, d + p0 * nr + 8 * h, nr) }
            p0 += 8
          }
        }
        for j in 0..<cols {
          let s = b.pointer + (j0 + j) * b.colStride
          for p in p0..<kc { d[p * nr + j] = s[p] }
        }
        if cols < nr { for p in 0..<kc { for j in cols..<nr { d[p * nr + j] = 0 } } }
      } else {
        for p in 0..<kc {
          let s = b.pointer + p * b.rowStride + j0 * b.colStride
          for j in 0..<cols { d[p * nr + j] = s[j * b.colStride] }
          for j in cols..<nr { d[p * nr + j] = 0 }
        }
      }
    }
  }
}
