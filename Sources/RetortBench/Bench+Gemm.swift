// `retort bench gemm --n N [--m M --k K --ta true]`: f32 matrix product GFLOPS (median), with
// NumPy (OpenBLAS, same thread count) measured in the same run when
// importable. Also hosts the NumPy peer runner shared by the compute suites.

import Foundation
import RetortCompute

extension BenchRegistry {
  static let gemm = BenchSuite(
    name: "gemm", summary: "f32 matrix product (square, or a training shape), GFLOPS (vs NumPy/OpenBLAS)",
    options: [("n", "1024", "matrix size"), ("m", "0", "rows of A and C (0 = n)"), ("k", "0", "inner size (0 = n)"),
              ("ta", "false", "A stored transposed (as a weight gradient's dY^T)"),
              ("threads", "2", "worker threads (and OPENBLAS_NUM_THREADS)"),
              ("repeats", "0", "timed runs (0 = auto)"), ("peer", "true", "also measure NumPy")]
  ) { args, out in
    let n = try args.int("n"), threads = try args.int("threads")
    // 0 (the default) means n; a negative size is an error, not the default.
    let m = try args.int("m") == 0 ? n : try args.int("m"), k = try args.int("k") == 0 ? n : try args.int("k")
    let ta = args.bool("ta")
    for (name, v) in [("n", n), ("m", m), ("k", k)] where v <= 0 || v > 16384 {
      throw BenchError("gemm: --\(name) must be in 1...16384, got \(v)")
    }
    guard threads > 0 else { throw BenchError("gemm: --threads must be positive") }
    let flops = 2 * Double(m) * Double(n) * Double(k)
    var repeats = try args.int("repeats")
    if repeats <= 0 { repeats = max(5, min(200, Int(2e10 / flops))) }
    let pool = WorkerPool.pool(threads: threads)
    let a = try Tensor.rand([m, k], seed: 1), b = try Tensor.rand([k, n], seed: 2)
    let c = try Tensor.zeros([m, n])
    // Transposed A: the same values read as A[i, p] = a[p * m + i].
    let aRef = ta ? MatrixRef(a.pointer, rowStride: 1, colStride: m) : MatrixRef(a.pointer, rowStride: k)
    let times = benchTimes(repeats: repeats, warmup: 2) {
      Gemm.multiply(m: m, n: n, k: k, a: aRef, b: MatrixRef(b.pointer, rowStride: n), c: c.mutablePointer, ldc: n, pool: pool)
    }
    let gflops = flops / median(times) / 1e9
    var fields: [(String, BenchValue)] = [("n", .int(n)), ("m", .int(m)), ("k", .int(k)), ("ta", .string(ta ? "true" : "false")),
                                          ("threads", .int(threads)), ("gflops", .double(gflops)),
                                          ("median_ms", .double(median(times) * 1e3)), ("repeats", .int(repeats))]
    if args.bool("peer"), let peer = numpyPeer("""
      a = np.random.rand(\(ta ? k : m), \(ta ? m : k)).astype(np.float32); b = np.random.rand(\(k), \(n)).astype(np.float32)
      t = timeit(lambda: \(ta ? "a.T" : "a") @ b, \(repeats))
      print(\(flops) / t / 1e9)
      """, threads: threads) {
      fields += [("numpy_gflops", .double(peer)), ("ratio", .double(gflops / peer))]
    }
    out.emit("gemm", fields)
  }
}

/// Runs a NumPy snippet in `python3` with OPENBLAS_NUM_THREADS set and
/// returns the number it prints, or nil when NumPy is unavailable. The
/// snippet gets `np` and `timeit(f, repeats)` (median seconds after warm-up).
func numpyPeer(_ body: String, threads: Int) -> Double? {
  let prelude = """
    import time, numpy as np
    def timeit(f, r):
        f(); f()
        ts = []
        for _ in range(r):
            t0 = time.perf_counter(); f(); ts.append(time.perf_counter() - t0)
        ts.sort()
        return ts[len(ts) // 2] if len(ts) % 2 else (ts[len(ts) // 2 - 1] + ts[len(ts) // 2]) / 2

    """
  guard let s = try? captureProcess("/usr/bin/env", ["python3", "-c", prelude + body], environment: peerThreads(threads))
  else { return nil }
  return s.split(separator: "\n").last.flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
}
