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

  /// Bytes the OS reports as available (MemAvailable), or nil if unknown.
  public static func availableBytes() -> Int? {
    #if os(Linux)
    guard let f = fopen("/proc/meminfo", "r") else { return nil }
    defer { fclose(f) }
    var line = [CChar](repeating: 0, count: 256)
    while fgets(&line, 256, f) != nil {
      let s = String(cString: line)
      if s.hasPrefix("MemAvailable:") {
        let digits = s.filter { $0.isNumber }
        return Int(digits).map { $0 * 1024 }
      }
    }
    return nil
    #else
    return nil
    #endif
  }

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
    guard posix_memalign(&raw, 64, bytes) == 0, let p = raw else {
      throw ComputeError("\(what): out of memory allocating \(bytes >> 20) MB")
    }
    return p.bindMemory(to: Float.self, capacity: max(1, count))
  }
}

/// The reference-counted buffer behind one or more tensor views.
public final class TensorStorage {
  /// Start of the buffer (64-byte aligned).
  public let pointer: UnsafeMutablePointer<Float>
  /// Number of floats in the buffer.
  public let count: Int

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

  deinit { free(pointer) }
}
