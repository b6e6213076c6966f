// Read-only memory mapping of a data file, so a large JSON Lines file is
// parsed in place: the kernel pages it in as the parser advances and can
// drop pages already read, instead of the process holding a full copy.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file mapped into memory for reading. Unmapped on deinit.
final class MappedFile {
  let path: String
  let count: Int
  private let base: UnsafeMutableRawPointer?
  /// Whether `base` was read into memory (freed) rather than mapped (unmapped).
  private let ownsCopy: Bool

  /// Maps `path`, turning the usual failures into `DataError`s.
  init(path: String) throws {
    self.path = path
    let fd = open(path, O_RDONLY)
    if fd < 0 {
      let e = errno
      if e == ENOENT { throw DataError.fileNotFound(path: path) }
      if e == EISDIR { throw DataError.isDirectory(path: path) }
      throw DataError.io(path: path, reason: "cannot open: " + String(cString: strerror(e)))
    }
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0 else {
      throw DataError.io(path: path, reason: "cannot stat: " + String(cString: strerror(errno)))
    }
    if (st.st_mode & S_IFMT) == S_IFDIR { throw DataError.isDirectory(path: path) }
    // A pipe (/dev/stdin) or a file whose size is not known ahead (/proc) is read, not mapped.
    guard (st.st_mode & S_IFMT) == S_IFREG, st.st_size > 0 else {
      let (p, n) = try Self.readAll(fd, path)
      if n == 0 { free(p); throw DataError.emptyFile(path: path) }
      base = p; count = n; ownsCopy = true
      return
    }
    count = Int(st.st_size)
    guard let p = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
      throw DataError.io(path: path, reason: "cannot map: " + String(cString: strerror(errno)))
    }
    _ = madvise(p, count, MADV_SEQUENTIAL)
    base = p; ownsCopy = false
  }

  /// Reads `fd` to its end into a malloc'd buffer.
  private static func readAll(_ fd: Int32, _ path: String) throws -> (UnsafeMutableRawPointer?, Int) {
    var capacity = 1 << 16, n = 0
    var buf = malloc(capacity)
    while true {
      if n == capacity {
        capacity *= 2
        guard let bigger = realloc(buf, capacity) else {
          free(buf)
          throw DataError.io(path: path, reason: "out of memory reading it")
        }
        buf = bigger
      }
      guard let b = buf else { throw DataError.io(path: path, reason: "out of memory reading it") }
      let got = read(fd, b + n, capacity - n)
      if got < 0 {
        if errno == EINTR { continue }
        let reason = String(cString: strerror(errno))
        free(buf)
        throw DataError.io(path: path, reason: "cannot read: " + reason)
      }
      if got == 0 { return (buf, n) }
      n += got
    }
  }

  /// The bytes, valid while `self` is alive.
  var bytes: UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(start: base?.assumingMemoryBound(to: UInt8.self), count: count)
  }

  /// Tells the kernel the bytes before `offset` will not be read again.
  func release(before offset: Int) {
    guard let base, !ownsCopy else { return }
    let page = Int(sysconf(Int32(_SC_PAGESIZE)))
    let end = offset / page * page
    if end > 0 { _ = madvise(base, end, MADV_DONTNEED) }
  }

  deinit {
    if let base { if ownsCopy { free(base) } else { munmap(base, count) } }
  }
}
