// `retort bench qmatvec`: fused quantized matrix-vector products (Q4_1 and
// Q8_0, activations quantized to 8 bits on the fly) on a 1536x576 and a
// 49152x576 weight, in GB/s of weight bytes read, next to the machine's
// copy bandwidth (memcpy of a 256 MB buffer, GB/s of bytes read) and NumPy's
// f32 matrix-vector product on the same shape; plus a 512-token quantized
// matrix-matrix product (prompt processing) in GFLOPS.

import Foundation
import RetortCompute

extension BenchRegistry {
  static let qmatvec = BenchSuite(
    name: "qmatvec", summary: "quantized matrix-vector GB/s (Q4_1, Q8_0) vs copy bandwidth",
    options: [("threads", "2", "worker threads"), ("repeats", "0", "timed runs (0 = auto)"),
              ("peer", "true", "also measure NumPy f32 matvec")]
  ) { args, out in
    let threads = try args.int("threads")
    guard threads > 0 else { throw BenchError("qmatvec: --threads must be positive") }
    let pool = WorkerPool.pool(threads: threads)
    let copyGBps = copyBandwidth(pool: pool)
    out.emit("copy", [("threads", .int(threads)), ("gbps", .double(copyGBps))])
    for (rows, cols) in [(1536, 576), (49152, 576)] {
      let w = try Tensor.randn([rows, cols], std: 0.05, seed: 7)
      let x = try Tensor.randn([cols], seed: 8)
      let y = try Tensor.zeros([rows])
      var peer: Double? = nil
      for type in [QuantType.q4_1, .q8_0] {
        let q = try QuantizedMatrix.quantize(w, type: type)
        let bytes = Double(q.data.count)
        var repeats = try args.int("repeats")
        if repeats <= 0 { repeats = max(20, min(2000, Int(4e9 / bytes))) }
        let times = benchTimes(repeats: repeats, warmup: 3) {
          q.matvec(x.pointer, into: y.mutablePointer, activations: .q8, pool: pool)
        }
        let gbps = bytes / median(times) / 1e9
        var fields: [(String, BenchValue)] = [
          ("type", .string(type.rawValue)), ("rows", .int(rows)), ("cols", .int(cols)), ("threads", .int(threads)),
          ("gbps", .double(gbps)), ("median_us", .double(median(times) * 1e6)),
          ("copy_gbps", .double(copyGBps)), ("copy_ratio", .double(gbps / copyGBps))]
        if args.bool("peer") {
          if peer == nil {
            peer = numpyPeer("""
              w = np.random.rand(\(rows), \(cols)).astype(np.float32); x = np.random.rand(\(cols)).astype(np.float32)
              t = timeit(lambda: w @ x, \(max(20, repeats / 4)))
              print(w.nbytes / t / 1e9)
              """, threads: threads)
          }
          if let p = peer { fields += [("numpy_f32_gbps", .double(p))] }
        }
        out.emit("qmatvec", fields)
      }
    }
    // Prompt processing shape: 512 tokens through a 1536x576 Q4_1 weight
    // (dequantized in panels, then the packed GEMM), in GFLOPS.
    let q = try QuantizedMatrix.quantize(try Tensor.randn([1536, 576], std: 0.05, seed: 9), type: .q4_1)
    let xs = try Tensor.randn([512, 576], seed: 10), ys = try Tensor.zeros([512, 1536])
    let mmTimes = WorkerPool.with(pool) {
      benchTimes(repeats: 20, warmup: 2) { q.matmul(xs.pointer, rows: 512, into: ys.mutablePointer) }
    }
    out.emit("qmatmul", [("type", .string("Q4_1")), ("tokens", .int(512)), ("rows", .int(1536)), ("cols", .int(576)),
                         ("threads", .int(threads)), ("gflops", .double(2 * 512 * 1536 * 576 / median(mmTimes) / 1e9)),
                         ("median_ms", .double(median(mmTimes) * 1e3))])
  }
}

/// Copy bandwidth: GB/s of source bytes for a 256 MB copy split over the pool.
func copyBandwidth(pool: WorkerPool) -> Double {
  let n = 64 << 20
  guard let src = try? Tensor.full([n], 1), let dst = try? Tensor.zeros([n]) else { return .nan }
  let s = src.pointer, d = dst.mutablePointer
  let chunks = pool.threadCount
  let times = benchTimes(repeats: 7, warmup: 1) {
    pool.parallelFor(chunks) { c in
      let lo = c * n / chunks, hi = (c + 1) * n / chunks
      memcpy(d + lo, s + lo, (hi - lo) * 4)
    }
  }
  return Double(n * 4) / median(times) / 1e9
}
