// Aligned allocation with a check against the machine's free memory, so an
// absurd request (a huge shape typed at the prompt, a corrupt file) becomes
// an error instead of an OOM kill.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Memory helpers shared by every tensor allocation.
public enum Memory {
  /// Requests at or below this many bytes skip the free-memory check (reading
  /// /proc/meminfo costs microseconds; small buffers cannot exhaust memory).
  static let checkThreshold = 64 << 20

  /// Bytes that can still be allocated: what the OS reports as available
  /// (MemAvailable), or less when the process's address space is limited
  /// (`ulimit -v`); nil if unknown.
  public static func availableBytes() -> Int? {
    #if os(Linux)
    let free = procField("/proc/meminfo", "MemAvailable:")
    var limit = rlimit()
    guard getrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max, let used = procField("/proc/self/status", "VmSize:") else {
      return free
    }
    let room = max(0, Int(clamping: limit.rlim_cur) - used)
    return free.map { min($0, room) } ?? room
    #else
    return nil
    #endif
  }

  #if os(Linux)
  /// A "Name: N kB" line of a /proc file, in bytes.
  private static func procField(_ path: String, _ name: String) -> Int? {
    guard let f = fopen(path, "r") else { return nil }
    defer { fclose(f) }
    var line = [CChar](repeating: 0, count: 256)
    while fgets(&line, 256, f) != nil {
      let s = String(cString: line)
      if s.hasPrefix(name) { return Int(s.filter { $0.isNumber }).map { $0 * 1024 } }
    }
    return nil
  }
  #endif

  /// Sets how many MB of freed large tensor buffers are kept for reuse
  /// (0 frees them all and disables the cache).
  public static func setBufferCacheLimit(megabytes: Int) { BufferCache.shared.setCapacity(megabytes << 20) }

  /// MB of freed buffers currently kept for reuse (counted in resident memory).
  public static var bufferCacheMegabytes: Double { Double(BufferCache.shared.heldBytes) / 1_048_576 }

  /// Throws if `count` floats (of `elementSize` bytes) cannot be allocated.
  /// - Parameter what: names the operation for the message.
  public static func check(count: Int, elementSize: Int = 4, what: String) throws {
    guard count >= 0 else { throw ComputeError("\(what): negative element count \(count)") }
    let (bytes, overflow) = count.multipliedReportingOverflow(by: elementSize)
    if overflow { throw ComputeError("\(what): \(count) elements is too large to allocate") }
    if bytes > checkThreshold, let avail = availableBytes(), bytes > avail {
      throw ComputeError("\(what): needs \(bytes >> 20) MB but only \(avail >> 20) MB of memory is free")
    }
  }

  /// Allocates `count` floats aligned to 64 bytes (uninitialised).
  static func allocateFloats(_ count: Int, what: String) throws -> UnsafeMutablePointer<Float> {
    var raw: UnsafeMutableRawPointer? = nil
    let bytes = max(64, count * 4)
    if let p = BufferCache.shared.take(bytes: bytes) { return p.bindMemory(to: Float.self, capacity: max(1, count)) }
    // Large buffers: 2 MB alignment and transparent huge pages (as NumPy
    // does), which cuts page-fault time on first touch by ~500x.
    let huge = bytes >= 4 << 20
    guard posix_memalign(&raw, huge ? 2 << 20 : 64, bytes) == 0, let p = raw else {
      throw ComputeError("\(what): out of memory allocating \(bytes >> 20) MB")
    }
    #if os(Linux)
    if huge { _ = madvise(p, bytes, MADV_HUGEPAGE) }
    #endif
    return p.bindMemory(to: Float.self, capacity: max(1, count))
  }
}

/// The reference-counted buffer behind one or more tensor views.
public final class TensorStorage {
  /// Start of the buffer (64-byte aligned).
  public let pointer: UnsafeMutablePointer<Float>
  /// Number of floats in the buffer.
  public let count: Int
  /// Bumped by every in-place write (`assign`, index assignment, `t += x`): a
  /// recorded operation notes its inputs' versions, and backward refuses to use
  /// an input written since, as PyTorch's version counter does.
  public internal(set) var version = 0

  /// Allocates `count` uninitialised floats; throws if memory is short.
  public init(count: Int, what: String = "tensor") throws {
    try Memory.check(count: count, what: what)
    self.count = count
    pointer = try Memory.allocateFloats(count, what: what)
  }

  /// Allocates `count` zeroed floats.
  public convenience init(zeros count: Int, what: String = "tensor") throws {
    try self.init(count: count, what: what)
    pointer.initialize(repeating: 0, count: count)
  }

  deinit { BufferCache.shared.give(UnsafeMutableRawPointer(pointer), bytes: max(64, count * 4)) }
}

/// Keeps a few recently freed large buffers for reuse. Freeing a large
/// buffer unmaps it, and the next allocation of the same size pays page
/// faults and kernel zeroing (often more than the operation itself);
/// loops such as training steps and benchmarks allocate the same sizes
/// repeatedly. Capped at `RETORT_BUFFER_CACHE_MB` (default 64; 0 disables),
/// or `Memory.setBufferCacheLimit`.
final class BufferCache: @unchecked Sendable {
  static let shared = BufferCache()
  private var lock = pthread_mutex_t()
  private var buffers: [(UnsafeMutableRawPointer, Int)] = []
  private var total = 0
  private var capacity: Int
  private let minBytes = 1 << 20

  init() {
    pthread_mutex_init(&lock, nil)
    var mb = 64
    if let s = getenv("RETORT_BUFFER_CACHE_MB"), let v = Int(String(cString: s)), v >= 0 { mb = v }
    capacity = mb << 20
  }

  /// Changes the cap, freeing cached buffers beyond it.
  func setCapacity(_ bytes: Int) {
    pthread_mutex_lock(&lock)
    capacity = Swift.max(0, bytes)
    while total > capacity, !buffers.isEmpty {
      let old = buffers.removeFirst()
      total -= old.1
      free(old.0)
    }
    pthread_mutex_unlock(&lock)
  }

  /// Bytes currently held.
  var heldBytes: Int {
    pthread_mutex_lock(&lock)
    defer { pthread_mutex_unlock(&lock) }
    return total
  }

  /// A cached buffer of exactly `bytes`, if any.
  func take(bytes: Int) -> UnsafeMutableRawPointer? {
    guard bytes >= minBytes else { return nil }
    pthread_mutex_lock(&lock)
    defer { pthread_mutex_unlock(&lock) }
    guard let i = buffers.lastIndex(where: { $0.1 == bytes }) else { return nil }
    let b = buffers.remove(at: i)
    total -= b.1
    return b.0
  }

  /// Returns a buffer: cached if large and there is room, else freed.
  func give(_ p: UnsafeMutableRawPointer, bytes: Int) {
    guard bytes >= minBytes else { free(p); return }
    pthread_mutex_lock(&lock)
    guard bytes <= capacity else { pthread_mutex_unlock(&lock); free(p); return }
    buffers.append((p, bytes))
    total += bytes
    while total > capacity, !buffers.isEmpty {
      let old = buffers.removeFirst()
      total -= old.1
      free(old.0)
    }
    pthread_mutex_unlock(&lock)
  }
}
