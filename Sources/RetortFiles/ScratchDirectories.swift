// Scratch directories: made fresh with mkdtemp under $TMPDIR (or /tmp), and
// removed with their contents when the process exits, as Python's
// TemporaryDirectory is at the end of its block. A process killed by a signal
// leaves them for the system's temporary-file cleaning.

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum ScratchDirectories {
  private static let lock = NSLock()
  nonisolated(unsafe) private static var made: [String] = []

  /// Makes a new, empty directory only this user can enter ("retort-XXXXXX")
  /// and returns its path.
  public static func make() throws -> String {
    var base = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
    if base.isEmpty { base = "/tmp" }
    while base.count > 1 && base.hasSuffix("/") { base.removeLast() }
    var template = Array((base + "/retort-XXXXXX").utf8CString)
    let made = template.withUnsafeMutableBufferPointer { buf -> String? in
      guard let base = buf.baseAddress, mkdtemp(base) != nil else { return nil }
      return String(cString: base)
    }
    guard let path = made else { throw FileError(base, String(cString: strerror(errno))) }
    lock.lock()
    if Self.made.isEmpty { atexit { ScratchDirectories.removeAll() } }
    Self.made.append(path)
    lock.unlock()
    return path
  }

  /// Removes every directory `make` returned (at exit).
  static func removeAll() {
    lock.lock()
    let paths = made
    made = []
    lock.unlock()
    for p in paths { try? FileManager.default.removeItem(atPath: p) }
  }
}
