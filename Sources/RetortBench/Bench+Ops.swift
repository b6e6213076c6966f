// `retort bench ops`: memory-bound tensor operations in GB/s (bytes read +
// written per second, median): elementwise add of 16M floats (allocating
// the result, as `a + b` does), softmax and RMS norm over rows, and a copy
// bandwidth figure; NumPy runs the same operations in the same run.

import Foundation
import RetortCompute

extension BenchRegistry {
  static let ops = BenchSuite(
    name: "ops", summary: "elementwise add, softmax, RMS norm, copy: GB/s (vs NumPy)",
    options: [("threads", "2", "worker threads"),
              ("rows", "4096", "rows for softmax / RMS norm"), ("cols", "1024", "row length"),
              ("repeats", "15", "timed runs"), ("peer", "true", "also measure NumPy")]
  ) { args, out in
    let threads = try args.int("threads"), rows = try args.int("rows"), cols = try args.int("cols")
    let repeats = try args.int("repeats")
    guard threads > 0, rows > 0, cols > 0, repeats > 0 else { throw BenchError("ops: options must be positive") }
    try WorkerPool.with(WorkerPool.pool(threads: threads)) { try runOps(threads: threads, rows: rows, cols: cols, repeats: repeats, args: args, out: out) }
  }
}

private func runOps(threads: Int, rows: Int, cols: Int, repeats: Int, args: BenchArgs, out: BenchOutput) throws {
  let peer = args.bool("peer")
  func emit(_ name: String, bytes: Double, times: [Double], numpy: String?) {
    let gbps = bytes / median(times) / 1e9
    var fields: [(String, BenchValue)] = [("op", .string(name)), ("threads", .int(threads)),
                                          ("gbps", .double(gbps)), ("median_ms", .double(median(times) * 1e3))]
    if peer, let code = numpy, let p = numpyPeer(code, threads: threads) {
      fields += [("numpy_gbps", .double(p)), ("ratio", .double(gbps / p))]
    }
    out.emit("ops", fields)
  }

  let n = 16 << 20
  let a = try Tensor.rand([n], seed: 1), b = try Tensor.rand([n], seed: 2)
  let addTimes = try benchTimes(repeats: repeats, warmup: 2) { _ = try a + b }
  emit("add", bytes: Double(3 * 4 * n), times: addTimes, numpy: """
    a = np.random.rand(\(n)).astype(np.float32); b = np.random.rand(\(n)).astype(np.float32)
    print(3 * 4 * \(n) / timeit(lambda: a + b, \(repeats)) / 1e9)
    """)

  let x = try Tensor.randn([rows, cols], seed: 3), w = try Tensor.ones([cols])
  let rowBytes = Double(2 * 4 * rows * cols)
  let smTimes = try benchTimes(repeats: repeats, warmup: 2) { _ = try x.softmax() }
  emit("softmax", bytes: rowBytes, times: smTimes, numpy: """
    x = np.random.randn(\(rows), \(cols)).astype(np.float32)
    def f():
        e = np.exp(x - x.max(-1, keepdims=True)); return e / e.sum(-1, keepdims=True)
    print(\(rowBytes) / timeit(f, \(repeats)) / 1e9)
    """)
  let rmsTimes = try benchTimes(repeats: repeats, warmup: 2) { _ = try x.rmsNorm(weight: w) }
  emit("rms_norm", bytes: rowBytes, times: rmsTimes, numpy: """
    x = np.random.randn(\(rows), \(cols)).astype(np.float32); w = np.ones(\(cols), np.float32)
    print(\(rowBytes) / timeit(lambda: x / np.sqrt((x * x).mean(-1, keepdims=True) + 1e-5) * w, \(repeats)) / 1e9)
    """)

  let dst = try Tensor.zeros([n])
  let s = a.pointer, d = dst.mutablePointer, pool = WorkerPool.current
  let copyTimes = benchTimes(repeats: repeats, warmup: 2) {
    pool.parallelFor(pool.threadCount) { c in
      let lo = c * n / pool.threadCount, hi = (c + 1) * n / pool.threadCount
      memcpy(d + lo, s + lo, (hi - lo) * 4)
    }
  }
  emit("copy", bytes: Double(2 * 4 * n), times: copyTimes, numpy: """
    a = np.random.rand(\(n)).astype(np.float32); d = np.empty_like(a)
    print(2 * 4 * \(n) / timeit(lambda: np.copyto(d, a), \(repeats)) / 1e9)
    """)

  // Fork-join cost of a small job (one ~10 us task per thread, the size of
  // a decode-time matrix-vector product): serial, our pool, Dispatch.
  let tasks = pool.threadCount
  let sink = UnsafeMutablePointer<Float>.allocate(capacity: tasks * 16)
  defer { sink.deallocate() }
  let caller = pthread_self()
  let helped = UnsafeMutablePointer<Int>.allocate(capacity: tasks * 16)
  helped.initialize(repeating: 0, count: tasks * 16)
  defer { helped.deallocate() }
  let work: (Int) -> Void = { t in
    var acc: Float = 0
    for i in 0..<12_000 { acc = acc * 0.999 + Float(i & 7) }
    sink[t * 16] = acc
    if pthread_equal(pthread_self(), caller) == 0 { helped[t * 16] += 1 }
  }
  let serialTimes = benchTimes(repeats: 501, warmup: 50) { for t in 0..<tasks { work(t) } }
  let poolTimes = benchTimes(repeats: 501, warmup: 50) { pool.parallelFor(tasks, work) }
  var helpedTasks = 0
  for t in 0..<tasks { helpedTasks += helped[t * 16] }
  let dispatchTimes = benchTimes(repeats: 501, warmup: 50) { DispatchQueue.concurrentPerform(iterations: tasks, execute: work) }
  out.emit("ops", [("op", .string("fork_join")), ("threads", .int(tasks)), ("serial_us", .double(median(serialTimes) * 1e6)),
                   ("pool_us", .double(median(poolTimes) * 1e6)),
                   ("pool_worker_share", .double(Double(helpedTasks) / Double(551 * tasks))), ("dispatch_us", .double(median(dispatchTimes) * 1e6))])
}
