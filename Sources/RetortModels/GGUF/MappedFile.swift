// A read-only memory-mapped file: tensor data is read in place, never copied.
// A model built in memory (trained, merged) is held the same way in an
// anonymous mapping, so it never goes through a temporary file.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A whole file mapped read-only into memory. Unmapped on deinit.
public final class MappedFile: @unchecked Sendable {
  /// Path as given.
  public let path: String
  /// Start of the mapping (nil for an empty file).
  public let base: UnsafeRawPointer?
  /// File size in bytes.
  public let count: Int
  /// True for bytes built in memory (`init(bytes:name:)`), which have no file.
  public let inMemory: Bool

  /// Maps `path`. Throws a ModelError naming the path on any failure.
  public init(path: String) throws {
    self.path = path
    inMemory = false
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else {
      throw ModelError("cannot open \(path): \(String(cString: strerror(errno)))")
    }
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0 else {
      throw ModelError("cannot stat \(path): \(String(cString: strerror(errno)))")
    }
    guard (st.st_mode & S_IFMT) == S_IFREG else { throw ModelError("\(path) is not a regular file") }
    count = Int(st.st_size)
    if count == 0 {
      base = nil
      return
    }
    let p = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0)
    guard let p, p != MAP_FAILED else {
      throw ModelError("cannot map \(path): \(String(cString: strerror(errno)))")
    }
    base = UnsafeRawPointer(p)
  }

  /// `bytes` copied into an anonymous read-only mapping; `name` stands for the path in messages.
  public init(bytes: [UInt8], name: String) throws {
    path = name
    inMemory = true
    count = bytes.count
    if count == 0 {
      base = nil
      return
    }
    let p = mmap(nil, count, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
    guard let p, p != MAP_FAILED else {
      throw ModelError("cannot allocate \(count >> 20) MB for \(name): \(String(cString: strerror(errno)))")
    }
    let n = count
    bytes.withUnsafeBytes { if let src = $0.baseAddress { p.copyMemory(from: src, byteCount: n) } }
    mprotect(p, count, PROT_READ)
    base = UnsafeRawPointer(p)
  }

  deinit {
    if let base { munmap(UnsafeMutableRawPointer(mutating: base), count) }
  }

  /// The mapped bytes as a buffer.
  public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }
}
