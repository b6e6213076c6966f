#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Small POSIX file helpers, so the module needs no Foundation (which would
/// slow down `retort` start-up).
enum PosixFile {
  /// The text of `errno` as a readable reason.
  static func reason(_ code: Int32 = errno) -> String {
    guard let s = strerror(code) else { return "error \(code)" }
    return String(cString: s)
  }

  /// Reads a whole file as bytes.
  static func readAll(_ path: String) throws -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw SessionLogError.io(path: path, operation: "open", reason: reason()) }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if n < 0 {
        if errno == EINTR { continue }
        throw SessionLogError.io(path: path, operation: "read", reason: reason())
      }
      if n == 0 { break }
      bytes.append(contentsOf: chunk[0..<n])
    }
    return bytes
  }

  /// Writes all of `bytes` to `fd`, retrying short writes and EINTR.
  static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
    var done = 0
    while done < bytes.count {
      let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, $0.count - done) }
      if n < 0 {
        if errno == EINTR { continue }
        throw SessionLogError.io(path: path, operation: "write", reason: reason())
      }
      done += n
    }
  }

  /// Writes `text` to `path`, replacing it.
  static func writeFile(_ path: String, _ text: String) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw SessionLogError.io(path: path, operation: "create", reason: reason()) }
    defer { close(fd) }
    try writeAll(fd, Array(text.utf8), path: path)
  }

  /// What identifies a file whatever names it: its device and inode.
  struct FileID: Equatable {
    var device: UInt64, inode: UInt64
    init(_ s: stat) { device = UInt64(truncatingIfNeeded: s.st_dev); inode = UInt64(truncatingIfNeeded: s.st_ino) }
  }

  /// The file at `path` (links followed), or nil if there is none.
  static func fileID(_ path: String) -> FileID? {
    var s = stat()
    return stat(path, &s) == 0 ? FileID(s) : nil
  }

  /// The file open as `fd`, or nil.
  static func fileID(fd: Int32) -> FileID? {
    var s = stat()
    return fd >= 0 && fstat(fd, &s) == 0 ? FileID(s) : nil
  }

  /// True when `a` and `b` name the same file (device and inode; links followed).
  static func sameFile(_ a: String, _ b: String) -> Bool {
    guard let x = fileID(a) else { return false }
    return x == fileID(b)
  }

  /// True when the file at `path` begins with `prefix` (false if it cannot be read).
  static func begins(_ path: String, with prefix: String) -> Bool {
    let want = Array(prefix.utf8)
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var got = [UInt8](repeating: 0, count: want.count)
    var done = 0
    while done < want.count {
      let n = got.withUnsafeMutableBytes { buf in buf.baseAddress.map { read(fd, $0 + done, buf.count - done) } ?? 0 }
      if n < 0 && errno == EINTR { continue }
      guard n > 0 else { return false }
      done += n
    }
    return got == want
  }

  /// True if something exists at `path`.
  static func exists(_ path: String) -> Bool {
    var st = stat()
    return stat(path, &st) == 0
  }

  /// Creates `path` and its missing parents as directories (`mkdir -p`).
  static func makeDirectories(_ path: String) throws {
    guard !path.isEmpty else { return }
    var prefix = path.hasPrefix("/") ? "/" : ""
    for part in path.split(separator: "/") {
      prefix += part
      if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
        throw SessionLogError.io(path: prefix, operation: "create directory", reason: reason())
      }
      var st = stat()
      if stat(prefix, &st) != 0 || (st.st_mode & S_IFMT) != S_IFDIR {
        throw SessionLogError.io(path: prefix, operation: "create directory", reason: "not a directory")
      }
      prefix += "/"
    }
  }

  /// The directory part of `path` ("" when there is none).
  static func directory(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "" }
    if slash == path.startIndex { return "/" }
    return String(path[..<slash])
  }

  /// The current working directory, or "." if it cannot be read.
  static func currentDirectory() -> String {
    guard let p = getcwd(nil, 0) else { return "." }
    defer { free(p) }
    return String(cString: p)
  }
}
