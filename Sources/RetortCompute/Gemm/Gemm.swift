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
// each task sweeps the 6x16 micro-kernel over an MC x KC block of A, read
// in place when it has a unit stride, else packed into 6-tall micro-panels
// (~L2), with the B micro-panel in L1. A group of products runs in the same
// two phases (pack every B, compute every C).
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

/// One product of a group: C (m x n, row stride ldc) = A B, or C += A B
/// when `accumulate` (see `Gemm.multiply(_:pool:)`).
public struct GemmProblem {
  public var m, n, k: Int
  public var a, b: MatrixRef
  public var c: UnsafeMutablePointer<Float>
  public var ldc: Int
  public var accumulate: Bool
  public var triangle: GemmTriangle
  /// Column of the whole product this part starts at (for `triangle`).
  var column = 0

  public init(m: Int, n: Int, k: Int, a: MatrixRef, b: MatrixRef, c: UnsafeMutablePointer<Float>, ldc: Int,
              accumulate: Bool = false, triangle: GemmTriangle = .none) {
    self.m = m; self.n = n; self.k = k; self.a = a; self.b = b; self.c = c; self.ldc = ldc
    self.accumulate = accumulate; self.triangle = triangle
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
  /// Row-block limit of deep products (k over four slices, as weight
  /// gradients, k = tokens): their packed B outgrows L2, so each B
  /// micro-panel arrives from L3 and is worth reusing over more rows (a
  /// 384 x 384 x 4096 product ran 6% faster than with 96-row blocks).
  static let mcDeep = 384
  /// Floats of packed B per column chunk (16 MB).
  static let packBudget = 4 << 20

  /// C (m x n, row stride ldc) = A B, or C += A B when `accumulate`.
  /// - Complexity: 2 m n k flops, spread over `WorkerPool.shared`.
  public static func multiply(m: Int, n: Int, k: Int, a: MatrixRef, b: MatrixRef,
                              c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool = false,
                              triangle: GemmTriangle = .none, pool: WorkerPool = .current) {
    multiply([GemmProblem(m: m, n: n, k: k, a: a, b: b, c: c, ldc: ldc, accumulate: accumulate, triangle: triangle)],
             pool: pool)
  }

  /// Several products in two parallel phases (pack every B, then compute
  /// every C): fewer waits than one call each, and products with the same B
  /// (pointer, strides, shape) share one packed copy, as a layer's q, k and
  /// v weight gradients share their input. A product that accumulates into
  /// the same C (same m, n, ldc) as an earlier one of the group is chained
  /// to it: each task adds it to its rows right after the earlier one, so
  /// dx = dq Wq + dk Wk + dv Wv is one run with the same bits as three calls.
  /// Other C blocks must not overlap.
  public static func multiply(_ group: [GemmProblem], pool: WorkerPool = .current) {
    var fits: [GemmProblem] = []
    for p in group where p.m > 0 && p.n > 0 {
      if p.k == 0 {
        if !p.accumulate { for i in 0..<p.m { (p.c + i * p.ldc).update(repeating: 0, count: p.n) } }
        continue
      }
      // Column chunk: all of k is packed for `nc` columns at once (at most
      // ~16 MB of packed B). Wider products run chunk by chunk, alone.
      let ncChunk = Swift.max(nr, Swift.min(roundUp(p.n, nr), (packBudget / p.k) / nr * nr))
      if ncChunk >= p.n { fits.append(p); continue }
      // Keep the group's order for chained products: run what came before.
      if !fits.isEmpty { run(fits, pool: pool); fits = [] }
      var jc = 0
      while jc < p.n {
        var part = p
        part.n = Swift.min(ncChunk, p.n - jc)
        part.b.pointer = p.b.pointer + jc * p.b.colStride
        part.c = p.c + jc
        part.column = p.column + jc
        run([part], pool: pool)
        jc += part.n
      }
    }
    if !fits.isEmpty { run(fits, pool: pool) }
  }

  /// One product's share of a group run: its packed B and its blocking.
  struct Plan {
    var p: GemmProblem
    var pack: Int
    var mc = 0, mBlocks = 0, nSplits = 1, panelsPerSplit = 0
    var nPanels: Int { panels(p.n) }
    var kSlices: Int { slices(p.k) }

    /// Row blocks: an even spread over threads, each at most mcMax rows
    /// (mcDeep for deep products); columns are split too when there are
    /// fewer row blocks than threads.
    init(p: GemmProblem, pack: Int, threads: Int) {
      self.p = p
      self.pack = pack
      let limit = isDeep(p.k) ? mcDeep : mcMax
      let perThread = (p.m + threads - 1) / threads
      let blocksPerThread = Swift.max(1, (perThread + limit - 1) / limit)
      mc = roundUp((p.m + threads * blocksPerThread - 1) / (threads * blocksPerThread), mr)
      mBlocks = (p.m + mc - 1) / mc
      nSplits = mBlocks >= threads ? 1 : Swift.min(nPanels, (threads + mBlocks - 1) / mBlocks)
      panelsPerSplit = (nPanels + nSplits - 1) / nSplits
    }
  }

  /// Runs products whose B fits one column chunk each.
  static func run(_ problems: [GemmProblem], pool: WorkerPool) {
    if problems.count == 1 { runOne(problems[0], pool: pool); return }
    let threads = threadCount(flops: problems.reduce(0) { $0 + $1.m * $1.n * $1.k }, pool: pool)
    // Distinct B operands, each packed once: panel q of slice s (k rows
    // s*kcMax..<) at s * kcMax * nPanels * 16 + q * kc * 16.
    var packs: [(b: MatrixRef, k: Int, n: Int, into: UnsafeMutablePointer<Float>, count: Int)] = []
    var plans: [Plan] = []
    for p in problems {
      let same = packs.firstIndex { $0.b.pointer == p.b.pointer && $0.b.rowStride == p.b.rowStride
        && $0.b.colStride == p.b.colStride && $0.k == p.k && $0.n == p.n }
      if same == nil {
        let count = roundUp(p.n, nr) * p.k
        packs.append((p.b, p.k, p.n, Memory.tryAllocate(count), count))
      }
      plans.append(Plan(p: p, pack: same ?? packs.count - 1, threads: threads))
    }
    defer { for pk in packs { Memory.release(pk.into, count: pk.count) } }

    // Phase 1: pack every distinct B, one (slice, panel) unit at a time.
    var unitStart = [0]
    for pk in packs { unitStart.append(unitStart[unitStart.count - 1] + panels(pk.n) * slices(pk.k)) }
    let units = unitStart[unitStart.count - 1]
    let (packTasks, perTask) = packSplit(units: units, threads: threads)
    let packRun: (Int) -> Void = { t in
      var u = t * perTask
      let hi = Swift.min(units, u + perTask)
      var i = 0
      while u < hi {
        while unitStart[i + 1] <= u { i += 1 }
        let pk = packs[i]
        packUnit(pk.b, k: pk.k, n: pk.n, unit: u - unitStart[i], into: pk.into)
        u += 1
      }
    }
    if packTasks == 1 { packRun(0) } else { pool.parallelFor(packTasks, packRun) }

    // Phase 2: every product's row blocks (and column splits); a chained
    // product runs in its head's tasks (same m and n, so the same blocks).
    var heads: [Int] = [], chained = [[Int]](repeating: [], count: plans.count)
    for (j, plan) in plans.enumerated() {
      let p = plan.p
      if p.accumulate, let h = heads.first(where: { let q = plans[$0].p
        return q.c == p.c && q.ldc == p.ldc && q.m == p.m && q.n == p.n && q.column == p.column }) {
        chained[h].append(j)
      } else {
        heads.append(j)
      }
    }
    var taskStart = [0]
    for h in heads { taskStart.append(taskStart[taskStart.count - 1] + plans[h].mBlocks * plans[h].nSplits) }
    let tasks = taskStart[taskStart.count - 1]
    let task: (Int) -> Void = { t in
      var i = 0
      while taskStart[i + 1] <= t { i += 1 }
      let h = heads[i], local = t - taskStart[i]
      block(plans[h], local, bPack: packs[plans[h].pack].into)
      for j in chained[h] { block(plans[j], local, bPack: packs[plans[j].pack].into) }
    }
    if threads == 1 || tasks == 1 { for t in 0..<tasks { task(t) } } else { pool.parallelFor(tasks, task) }
  }

  /// `run` for one product, without the group's bookkeeping: attention
  /// issues thousands of small products per step from inside pool tasks.
  static func runOne(_ p: GemmProblem, pool: WorkerPool) {
    let threads = threadCount(flops: p.m * p.n * p.k, pool: pool)
    let plan = Plan(p: p, pack: 0, threads: threads)
    let count = roundUp(p.n, nr) * p.k
    let bPack = Memory.tryAllocate(count)
    defer { Memory.release(bPack, count: count) }
    let units = plan.nPanels * plan.kSlices
    @inline(__always) func pack(_ u: Int) { packUnit(p.b, k: p.k, n: p.n, unit: u, into: bPack) }
    let tasks = plan.mBlocks * plan.nSplits
    if threads == 1 || !pool.isIdle {
      // Serial (small, or called from inside a pool task): no closures.
      for u in 0..<units { pack(u) }
      for t in 0..<tasks { block(plan, t, bPack: bPack) }
      return
    }
    let (packTasks, perTask) = packSplit(units: units, threads: threads)
    pool.parallelFor(packTasks) { t in
      var u = t * perTask
      let hi = Swift.min(units, u + perTask)
      while u < hi { pack(u); u += 1 }
    }
    if tasks == 1 { block(plan, 0, bPack: bPack) } else { pool.parallelFor(tasks) { t in block(plan, t, bPack: bPack) } }
  }

  /// Threads for a run of `flops` multiply-adds: one below 48^3 (waking the
  /// pool would cost more), else the whole pool.
  @inline(__always) static func threadCount(flops: Int, pool: WorkerPool) -> Int {
    flops < 48 * 48 * 48 ? 1 : pool.threadCount
  }

  /// Pack tasks for `units` (slice, panel) units and the units each takes:
  /// four tasks per thread, so a slow thread does not hold up the phase.
  @inline(__always) static func packSplit(units: Int, threads: Int) -> (tasks: Int, perTask: Int) {
    let tasks = threads == 1 ? 1 : Swift.max(1, Swift.min(units, threads * 4))
    return (tasks, (units + tasks - 1) / tasks)
  }

  /// Whether k spans more than four slices (see `mcDeep`).
  @inline(__always) static func isDeep(_ k: Int) -> Bool { k > 4 * kcMax }

  @inline(__always) static func roundUp(_ x: Int, _ m: Int) -> Int { (x + m - 1) / m * m }

  /// 16-wide panels covering n columns.
  @inline(__always) static func panels(_ n: Int) -> Int { (n + nr - 1) / nr }

  /// k slices of at most kcMax steps.
  @inline(__always) static func slices(_ k: Int) -> Int { (k + kcMax - 1) / kcMax }

  /// Floats between consecutive k slices of a packed B with `nPanels` panels.
  @inline(__always) static func sliceStride(_ nPanels: Int) -> Int { kcMax * nPanels * nr }
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
