// Whole-file writes that a crash cannot leave half done. The bytes go to a
// hidden temporary file beside the target (its directory made if missing),
// are flushed to disk, then renamed over the target, so an interrupted save
// leaves the previous file as it was.
//
// The target is what the path names: a symlink is followed (the file it
// points to is replaced and the link stays), and a device, FIFO or socket is
// written in place, as `echo > /dev/stdout` would (renaming over them would
// put a regular file where the device was).

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file that could not be written, with the path and the system's reason.
public struct FileError: Error, CustomStringConvertible, Sendable {
  public let path: String
  public let reason: String
  public init(_ path: String, _ reason: String) { self.path = path; self.reason = reason }
  public var description: String { "cannot write \(path): \(reason)" }

  /// The reason given when the path names a directory.
  static let directoryReason = "it is a directory"
  /// Whether the path names a directory (callers with their own error for that check this).
  public var isDirectory: Bool { reason == Self.directoryReason }
}

/// Crash-safe whole-file writes.
public enum AtomicFile {
  /// Replaces `path` with `bytes`.
  public static func write(_ bytes: [UInt8], to path: String) throws {
    try bytes.withUnsafeBytes { try write(parts: [$0], to: path) }
  }

  /// Replaces `path` with `text` in UTF-8.
  public static func write(_ text: String, to path: String) throws {
    try write(Array(text.utf8), to: path)
  }

  /// Replaces `path` with `parts` one after another (large buffers are
  /// written where they are, without joining them first).
  public static func write(parts: [UnsafeRawBufferPointer], to path: String) throws {
    try stream(to: path) { emit in for part in parts { try emit(part) } }
  }

  /// Replaces `path` with what `produce` emits, piece by piece, so a large
  /// file is never whole in memory. If `produce` throws (an error, a Ctrl-C),
  /// the temporary file is removed and the previous file stays as it was.
  public static func stream(to path: String, _ produce: (_ emit: (UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws {
    switch try target(path) {
    case .special(let device):
      let fd = open(device, O_WRONLY | O_TRUNC | O_CLOEXEC)
      guard fd >= 0 else { throw FileError(path, errorText()) }
      defer { close(fd) }
      try produce { part in if let reason = writeAll(fd, [part]) { throw FileError(path, reason) } }
    case .file(let file, let mode):
      let tmp = try sibling(of: file, "tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))", for: path)
      let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
      guard fd >= 0 else { throw FileError(path, errorText()) }
      do {
        try produce { part in if let reason = writeAll(fd, [part]) { throw FileError(path, reason) } }
      } catch {
        close(fd)
        unlink(tmp)
        throw error
      }
      if let mode { fchmod(fd, mode) }
      var reason = fsync(fd) != 0 ? errorText() : nil
      if close(fd) != 0, reason == nil { reason = errorText() }
      if reason == nil, rename(tmp, file) != 0 { reason = errorText() }
      if let reason {
        unlink(tmp)
        throw FileError(path, reason)
      }
    }
  }

  /// Throws unless `path` could be written (its directory is made if
  /// missing): long work that saves at its end checks this before it starts.
  public static func checkWritable(_ path: String) throws {
    switch try target(path) {
    case .special(let device):
      guard access(device, W_OK) == 0 else { throw FileError(path, errorText()) }
    case .file(let file, _):
      let probe = try sibling(of: file, "probe-\(getpid())", for: path)
      let fd = open(probe, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
      guard fd >= 0 else { throw FileError(path, errorText()) }
      close(fd)
      unlink(probe)
    }
  }

  /// What a write to `path` replaces: a regular file (or none yet), with
  /// the existing file's permissions, or a device-like file written in place.
  enum Target { case file(String, mode_t?), special(String) }

  static func target(_ path: String) throws -> Target {
    guard !path.isEmpty else { throw FileError(path, "the path is empty") }
    var st = stat()
    // An existing target, links followed: /dev/stdout of a pipe links to "pipe:[...]",
    // which no path names, so devices are told apart here and opened by the given path.
    if stat(path, &st) == 0 {
      switch st.st_mode & S_IFMT {
      case S_IFDIR: throw FileError(path, FileError.directoryReason)
      case S_IFREG:
        guard let real = realpath(path, nil) else { throw FileError(path, errorText()) }
        defer { free(real) }
        return .file(String(cString: real), st.st_mode & 0o7777)
      default: return .special(path)
      }
    }
    if errno == ELOOP { throw FileError(path, "too many levels of symbolic links") }
    // Missing, or a symlink to a file not made yet: follow the links to the file to create
    // (at most 40, as the kernel does; stat found no loop, but links can change meanwhile).
    var file = path
    for _ in 0..<40 {
      guard lstat(file, &st) == 0, st.st_mode & S_IFMT == S_IFLNK else { break }
      var buf = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
      let n = readlink(file, &buf, buf.count - 1)
      guard n > 0 else { throw FileError(path, errorText()) }
      let link = String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
      let dir = (file as NSString).deletingLastPathComponent
      file = link.hasPrefix("/") || dir.isEmpty ? link : dir + "/" + link
    }
    return .file(file, nil)
  }

  /// A hidden file beside `file` (`.name.tag`) in its directory, which is
  /// made if missing (as `mkdir -p` would); errors name `path`, as given.
  static func sibling(of file: String, _ tag: String, for path: String) throws -> String {
    let dir = (file as NSString).deletingLastPathComponent
    var st = stat()
    if !dir.isEmpty && stat(dir, &st) != 0 {
      var isDir: ObjCBool = false
      do {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
      } catch {
        // Name the part of the path that is in the way, if one is a file.
        var part = dir
        while !part.isEmpty && part != "/" && !FileManager.default.fileExists(atPath: part, isDirectory: &isDir) {
          part = (part as NSString).deletingLastPathComponent
        }
        throw FileError(path, FileManager.default.fileExists(atPath: part, isDirectory: &isDir) && !isDir.boolValue
          ? "'\(part)' is not a directory" : "cannot create directory '\(dir)'")
      }
    } else if !dir.isEmpty && st.st_mode & S_IFMT != S_IFDIR {
      throw FileError(path, "'\(dir)' is not a directory")
    }
    return (dir.isEmpty ? "." : dir) + "/.\((file as NSString).lastPathComponent).\(tag)"
  }

  /// Writes every byte of `parts` (retrying interrupted writes); the reason on failure.
  static func writeAll(_ fd: Int32, _ parts: [UnsafeRawBufferPointer]) -> String? {
    for raw in parts {
      guard let base = raw.baseAddress else { continue }
      var off = 0
      while off < raw.count {
        let n = sysWrite(fd, base + off, raw.count - off)
        if n < 0 && errno == EINTR { continue }
        guard n > 0 else { return n < 0 ? errorText() : "the write made no progress" }
        off += n
      }
    }
    return nil
  }

  static func errorText() -> String { String(cString: strerror(errno)) }
}

#if canImport(Glibc)
private let sysWrite = Glibc.write
#else
private let sysWrite = Darwin.write
#endif
