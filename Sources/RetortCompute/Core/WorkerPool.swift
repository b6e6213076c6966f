// A persistent pool of worker threads for data-parallel kernels.
//
// Design: `parallelFor(tasks)` publishes a job (a closure over task indices),
// wakes the workers, and the caller works too. Tasks are claimed from an
// atomic counter. Determinism comes from the kernels, not the pool: every
// task writes a fixed set of outputs and computes each in a fixed order, so
// results are bit-identical for any thread count. Workers spin briefly
// before sleeping, because decode-time matrix-vector products are small and
// frequent (a condition-variable wake costs tens of microseconds).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// A fixed set of threads that run `parallelFor` jobs.
public final class WorkerPool: @unchecked Sendable {
  /// The pool every kernel uses; its size comes from `RETORT_THREADS`
  /// (default: all cores).
  public static let shared = WorkerPool(threadCount: WorkerPool.defaultThreadCount())

  @TaskLocal static var override: WorkerPool? = nil

  /// The pool kernels use: `shared`, unless `with(_:_:)` installed another
  /// for the current task (tests compare thread counts this way).
  public static var current: WorkerPool { override ?? shared }

  nonisolated(unsafe) private static var cache: [Int: WorkerPool] = [:]
  private static let cacheLock = Mutex<Void>(())

  /// A pool with `threads` threads, created once per count and reused
  /// (pool threads live for the whole process).
  public static func pool(threads: Int) -> WorkerPool {
    if threads == shared.threadCount { return shared }
    return cacheLock.withLock { _ in
      if let p = cache[threads] { return p }
      let p = WorkerPool(threadCount: threads)
      cache[threads] = p
      return p
    }
  }

  /// Runs `body` with every kernel using `pool`.
  public static func with<R>(_ pool: WorkerPool, _ body: () throws -> R) rethrows -> R {
    try $override.withValue(pool) { try body() }
  }

  /// Total threads that execute a job, including the caller.
  public let threadCount: Int

  /// One published job. Workers that wake late hold on to the job they
  /// saw and find no tasks left, so the caller never waits for a thread
  /// that is asleep or descheduled: only for the tasks themselves.
  final class Job {
    let body: (Int) -> Void
    let count: Int
    let next = Atomic<Int>(0)
    let done = Atomic<Int>(0)
    init(_ body: @escaping (Int) -> Void, _ count: Int) { self.body = body; self.count = count }

    func run() {
      while true {
        let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
        if i >= count { return }
        body(i)
        done.add(1, ordering: .releasing)
      }
    }
  }

  private var job: Job? = nil
  private let generation = Atomic<Int>(0)
  private var mutex = pthread_mutex_t()
  private var wake = pthread_cond_t()
  private var jobLock = pthread_mutex_t()
  private var sleepers = 0

  /// Threads from `RETORT_THREADS` if it is a positive integer, else the
  /// number of online cores.
  public static func defaultThreadCount() -> Int {
    if let s = getenv("RETORT_THREADS"), let n = Int(String(cString: s)), n > 0 { return min(n, 256) }
    return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
  }

  /// Creates a pool with `threadCount - 1` background threads.
  public init(threadCount: Int) {
    self.threadCount = max(1, threadCount)
    pthread_mutex_init(&mutex, nil)
    pthread_cond_init(&wake, nil)
    pthread_mutex_init(&jobLock, nil)
    for _ in 1..<self.threadCount {
      let box = Unmanaged.passRetained(self)
      var tid = pthread_t()
      pthread_create(&tid, nil, { arg in
        #if canImport(Darwin)
        let pool = Unmanaged<WorkerPool>.fromOpaque(arg).takeRetainedValue()
        #else
        let pool = Unmanaged<WorkerPool>.fromOpaque(arg!).takeRetainedValue()
        #endif
        pool.workerLoop()
        return nil
      }, box.toOpaque())
      pthread_detach(tid)
    }
  }

  private func workerLoop() {
    var seen = 0
    while true {
      // Poll for ~1 ms (kernels come in quick succession during decoding
      // and training; OpenBLAS polls far longer), then sleep on the
      // condition variable. Yielding while polling was measured to make
      // the worker miss most jobs on a busy machine, so the poll is tight.
      var spins = 0
      var deadline = 0.0
      while generation.load(ordering: .acquiring) == seen {
        spins += 1
        if spins & 1023 != 0 { continue }
        let now = monotonicSeconds()
        if deadline == 0 { deadline = now + 1e-3 }
        if now < deadline { continue }
        do {
          pthread_mutex_lock(&mutex)
          sleepers += 1
          while generation.load(ordering: .acquiring) == seen { pthread_cond_wait(&wake, &mutex) }
          sleepers -= 1
          pthread_mutex_unlock(&mutex)
          break
        }
      }
      pthread_mutex_lock(&mutex)
      seen = generation.load(ordering: .acquiring)
      let current = job
      pthread_mutex_unlock(&mutex)
      current?.run()
    }
  }

  /// Runs `body(i)` for every `i` in `0..<tasks`, spread across the pool;
  /// returns when all are done. Nested or concurrent calls run serially on
  /// the caller.
  /// - Complexity: one wake-up of the pool plus the tasks.
  public func parallelFor(_ tasks: Int, _ body: @escaping (Int) -> Void) {
    if tasks <= 0 { return }
    if tasks == 1 || threadCount == 1 || pthread_mutex_trylock(&jobLock) != 0 {
      for i in 0..<tasks { body(i) }
      return
    }
    let j = Job(body, tasks)
    pthread_mutex_lock(&mutex)
    job = j
    generation.add(1, ordering: .releasing)
    if sleepers > 0 { pthread_cond_broadcast(&wake) }
    pthread_mutex_unlock(&mutex)
    j.run()
    var spins = 0
    while j.done.load(ordering: .acquiring) < tasks {
      spins += 1
      if spins > 64 { sched_yield() }
    }
    pthread_mutex_lock(&mutex)
    job = nil
    pthread_mutex_unlock(&mutex)
    pthread_mutex_unlock(&jobLock)
  }

  /// Whether no job is running: false inside a task (where `parallelFor`
  /// would run serially anyway), so callers can skip setting one up.
  public var isIdle: Bool {
    if threadCount == 1 { return false }
    if pthread_mutex_trylock(&jobLock) != 0 { return false }
    pthread_mutex_unlock(&jobLock)
    return true
  }

  @inline(__always) private func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
  }

  /// Splits `0..<count` into at most `maxChunks` contiguous ranges of at
  /// least `grain` items and runs them in parallel.
  public func parallelRanges(_ count: Int, grain: Int, _ body: @escaping (Range<Int>) -> Void) {
    if count <= 0 { return }
    let chunks = max(1, min(threadCount * 4, count / max(1, grain)))
    if chunks == 1 { body(0..<count); return }
    let per = (count + chunks - 1) / chunks
    parallelFor(chunks) { c in
      let lo = c * per
      let hi = min(count, lo + per)
      if lo < hi { body(lo..<hi) }
    }
  }
}
