#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Packed, cache-blocked, multithreaded single-precision matrix product
// C[m, n] (+)= A[m, k] B[k, n] with arbitrary element strides, so transposed
// views are multiplied without copying (packing absorbs the strides).
//
// Blocking (Goto/BLIS): for each NC-wide column panel and KC-deep slice,
// B is packed once into 16-wide micro-panels (shared by all threads, ~L3);
// each task packs an MC x KC block of A into 6-tall micro-panels (~L2) and
// sweeps the 6x16 micro-kernel over it (B micro-panel in L1).
// Threads split the rows of C (and the columns when rows are few). Every C
// element is summed over k in the same order whatever the split, so results
// are bit-identical for any thread count.

/// A matrix operand: base pointer and element strides.
public struct MatrixRef {
  /// Element [0, 0].
  public var pointer: UnsafePointer<Float>
  /// Elements between consecutive rows.
  public var rowStride: Int
  /// Elements between consecutive columns.
  public var colStride: Int

  /// A view of a matrix with the given strides.
  public init(_ pointer: UnsafePointer<Float>, rowStride: Int, colStride: Int = 1) {
    self.pointer = pointer; self.rowStride = rowStride; self.colStride = colStride
  }
}

/// Triangular structure a product may skip work for (causal attention):
/// rows and columns are counted from the product's own [0, 0].
public enum GemmTriangle: Sendable {
  /// A dense product.
  case none
  /// Only C[i, j] with j <= i is wanted; entries above are left unspecified.
  case lowerC
  /// A[i, p] is zero for p > i (and may be read there: keep it finite).
  case lowerA
  /// A[i, p] is zero for p < i (and may be read there: keep it finite).
  case upperA
}

/// Single-precision GEMM.
public enum Gemm {
  /// Rows of C one micro-kernel call computes. With `.lowerA` / `.upperA`,
  /// row i may still read A[i, p] for p up to the end (or from the start) of
  /// its tile of `rowTile` rows, which must therefore hold zeros.
  public static let rowTile = 6

  static let mr = rowTile, nr = 16
  static let kcMax = 256, mcMax = 96
  /// Floats of packed B per column chunk (16 MB).
  static let packBudget = 4 << 20

  /// C (m x n, row stride ldc) = A B, or C += A B when `accumulate`.
  /// - Complexity: 2 m n k flops, spread over `WorkerPool.shared`.
  public static func multiply(m: Int, n: Int, k: Int, a: MatrixRef, b: MatrixRef,
                              c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool = false,
                              triangle: GemmTriangle = .none, pool: WorkerPool = .current) {
    if m == 0 || n == 0 { return }
    if k == 0 {
      if !accumulate { for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) } }
      return
    }
    let threads = (m * n * k < 48 * 48 * 48) ? 1 : pool.threadCount
    // Column chunk: all of k is packed for `nc` columns at once (at most
    // ~16 MB of packed B), so each chunk needs just two parallel phases
    // (pack B, then compute) and each task sweeps every k-slice itself.
    let ncChunk = Swift.max(nr, Swift.min(roundUp(n, nr), (packBudget / Swift.max(k, 1)) / nr * nr))
    let kSlices = (k + kcMax - 1) / kcMax
    let packB = Memory.tryAllocate(ncChunk * k)
    defer { Memory.release(packB, count: ncChunk * k) }

    // Row blocks: an even spread over threads, each at most mcMax rows.
    let perThread = (m + threads - 1) / threads
    let blocksPerThread = Swift.max(1, (perThread + mcMax - 1) / mcMax)
    let mc = roundUp((m + threads * blocksPerThread - 1) / (threads * blocksPerThread), mr)
    let mBlocks = (m + mc - 1) / mc
    // A with a unit stride is read in place by the micro-kernel (packing it
    // cost as much as a fifth of a training step); other strides are packed.
    let directA = a.colStride == 1 || a.rowStride == 1

    var jc = 0
    while jc < n {
      let nc = Swift.min(ncChunk, n - jc)
      let nPanels = (nc + nr - 1) / nr
      // Split columns too when there are fewer row blocks than threads.
      let nSplits = mBlocks >= threads ? 1 : Swift.min(nPanels, (threads + mBlocks - 1) / mBlocks)
      let panelsPerSplit = (nPanels + nSplits - 1) / nSplits
      // Pack B[:, jc..<jc+nc]: slice s (k rows pc..<pc+kc) starts at s * kcMax * roundUp(nc, 16).
      let sliceStride = kcMax * nPanels * nr
      let bDst = packB
      let packTasks = threads == 1 ? 1 : Swift.min(nPanels * kSlices, threads * 4)
      let units = nPanels * kSlices
      let perTask = (units + packTasks - 1) / packTasks
      let bCol = b.pointer + jc * b.colStride
      let packRun: (Int) -> Void = { t in
        var u = t * perTask
        let hi = Swift.min(units, u + perTask)
        while u < hi {
          let s = u / nPanels, q = u % nPanels
          let pc = s * kcMax, kc = Swift.min(kcMax, k - pc)
          packPanelsB(MatrixRef(bCol + pc * b.rowStride, rowStride: b.rowStride, colStride: b.colStride),
                      kc: kc, nc: nc, panels: q..<(q + 1), into: bDst + s * sliceStride)
          u += 1
        }
      }
      if packTasks == 1 { packRun(0) } else { pool.parallelFor(packTasks, packRun) }

      let cBase = c + jc
      let task: (Int) -> Void = { t in
        let ib = t / nSplits, js = t % nSplits
        let ic = ib * mc, mcb = Swift.min(mc, m - ic)
        let p0 = js * panelsPerSplit, p1 = Swift.min(nPanels, p0 + panelsPerSplit)
        if p0 >= p1 { return }
        if directA {
          for s in 0..<kSlices {
            let pc = s * kcMax, kc = Swift.min(kcMax, k - pc)
            let tile = ATile(base: a.pointer + ic * a.rowStride + pc * a.colStride, row: a.rowStride, step: a.colStride,
                             next: mr * a.rowStride)
            macroKernel(mc: mcb, nc: nc, kc: kc, a: tile, bPack: bDst + s * sliceStride, panels: p0..<p1,
                        c: cBase + ic * ldc, ldc: ldc, accumulate: accumulate || s > 0,
                        skip: TileSkip(triangle: triangle, row: ic, col: jc, step: pc))
          }
          return
        }
        let aCount = roundUp(mcb, mr) * Swift.min(k, kcMax)
        let aPack = Memory.tryAllocate(aCount)
        defer { Memory.release(aPack, count: aCount) }
        for s in 0..<kSlices {
          let pc = s * kcMax, kc = Swift.min(kcMax, k - pc)
          packA(MatrixRef(a.pointer + ic * a.rowStride + pc * a.colStride, rowStride: a.rowStride, colStride: a.colStride),
                mc: mcb, kc: kc, into: aPack)
          macroKernel(mc: mcb, nc: nc, kc: kc, a: ATile(base: aPack, row: 1, step: mr, next: mr * kc), bPack: bDst + s * sliceStride,
                      panels: p0..<p1, c: cBase + ic * ldc, ldc: ldc, accumulate: accumulate || s > 0,
                      skip: TileSkip(triangle: triangle, row: ic, col: jc, step: pc))
        }
      }
      let tasks = mBlocks * nSplits
      if threads == 1 || tasks == 1 { for t in 0..<tasks { task(t) } } else { pool.parallelFor(tasks, task) }
      jc += nc
    }
  }

  @inline(__always) static func roundUp(_ x: Int, _ m: Int) -> Int { (x + m - 1) / m * m }

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
        for p in 0..<kc {
          let src = a.pointer + p * a.colStride + r
          for i in 0..<rows { d[p * 6 + i] = src[i] }
          for i in rows..<mr { d[p * 6 + i] = 0 }
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

extension Memory {
  /// Scratch allocation for kernels (sizes bounded by the blocking
  /// constants). Large scratch comes from the reuse cache, so repeated
  /// products do not pay page faults for it; return it with `release`.
  static func tryAllocate(_ count: Int) -> UnsafeMutablePointer<Float> {
    let bytes = Swift.max(64, count * 4)
    if let p = BufferCache.shared.take(bytes: bytes) { return p.bindMemory(to: Float.self, capacity: Swift.max(1, count)) }
    var raw: UnsafeMutableRawPointer? = nil
    if posix_memalign(&raw, 64, bytes) == 0, let p = raw {
      return p.bindMemory(to: Float.self, capacity: Swift.max(1, count))
    }
    // Blocking scratch is at most a few MB; treat failure as unrecoverable.
    fatalError("out of memory allocating kernel scratch")
  }

  /// Returns scratch from `tryAllocate` (to the reuse cache when large).
  static func release(_ p: UnsafeMutablePointer<Float>, count: Int) {
    BufferCache.shared.give(UnsafeMutableRawPointer(p), bytes: Swift.max(64, count * 4))
  }
}
