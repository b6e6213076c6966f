// Atomic file replacement: write a temporary file in the same directory
// (made if missing), flush it to disk, then rename it over the target. A crash or Ctrl-C in the
// middle leaves the previous file untouched.

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Crash-safe whole-file writes.
public enum AtomicFile {
  /// Throws unless `path` could be written (its directory made if missing):
  /// long work that saves at its end checks this before it starts.
  public static func checkWritable(_ path: String) throws {
    let probe = sibling(of: path, "probe-\(getpid())")
    let fd = open(probe, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw ModelError("cannot write \(path): \(String(cString: strerror(errno)))") }
    close(fd)
    unlink(probe)
    var st = stat()
    if stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR { throw ModelError("cannot write \(path): it is a directory") }
  }

  /// A hidden file beside `path` (`.name.tag`), in its directory, which is
  /// made if missing (as dataset saves do).
  static func sibling(of path: String, _ tag: String) -> String {
    let dir = (path as NSString).deletingLastPathComponent
    if !dir.isEmpty { try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
    return (dir.isEmpty ? "." : dir) + "/.\((path as NSString).lastPathComponent).\(tag)"
  }

  /// Replaces `path` with `bytes` atomically.
  public static func write(_ bytes: [UInt8], to path: String) throws {
    try bytes.withUnsafeBytes { try write(parts: [$0], to: path) }
  }

  /// Replaces `path` atomically with `parts` one after another (large
  /// buffers are written in place, without joining them first).
  public static func write(parts: [UnsafeRawBufferPointer], to path: String) throws {
    let tmp = sibling(of: path, "tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw ModelError("cannot write \(path): \(String(cString: strerror(errno)))") }
    var ok = true
    for raw in parts where ok {
      var off = 0
      while off < raw.count, let base = raw.baseAddress {
        let n = sysWrite(fd, base + off, raw.count - off)
        if n <= 0 { ok = false; break }
        off += n
      }
    }
    let err = String(cString: strerror(errno))
    if ok { ok = fsync(fd) == 0 }
    close(fd)
    guard ok else {
      unlink(tmp)
      throw ModelError("cannot write \(path): \(err)")
    }
    guard rename(tmp, path) == 0 else {
      let e = String(cString: strerror(errno))
      unlink(tmp)
      throw ModelError("cannot write \(path): \(e)")
    }
  }
}

#if canImport(Glibc)
private let sysWrite = Glibc.write
#else
private let sysWrite = Darwin.write
#endif
