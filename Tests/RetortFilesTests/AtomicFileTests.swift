// AtomicFile replaces regular files whole, follows symlinks instead of
// replacing them, writes devices in place instead of renaming over them,
// and names the path and the reason when it cannot write.

import Foundation
import Testing
@testable import RetortFiles

private func scratch() -> String {
  let dir = NSTemporaryDirectory() + "retort-files-" + UUID().uuidString
  try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
  return dir
}

private func contents(_ path: String) -> String? {
  FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
}

@Test func replacesAFileAndMakesMissingDirectories() throws {
  let dir = scratch()
  defer { try? FileManager.default.removeItem(atPath: dir) }
  let path = dir + "/a/b/out.txt"
  try AtomicFile.write("first", to: path)
  try AtomicFile.write("second", to: path)
  #expect(contents(path) == "second")
  // No temporary files are left beside it.
  #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/a/b") == ["out.txt"])
}

@Test func keepsTheModeOfTheFileItReplaces() throws {
  let dir = scratch()
  defer { try? FileManager.default.removeItem(atPath: dir) }
  let path = dir + "/script.sh"
  try AtomicFile.write("#!/bin/sh\n", to: path)
  chmod(path, 0o750)
  try AtomicFile.write("#!/bin/sh\necho hi\n", to: path)
  var st = stat()
  #expect(stat(path, &st) == 0 && st.st_mode & 0o777 == 0o750)
}

@Test func followsSymlinksAndKeepsThem() throws {
  let dir = scratch()
  defer { try? FileManager.default.removeItem(atPath: dir) }
  try AtomicFile.write("old", to: dir + "/real.txt")
  symlink("real.txt", dir + "/link.txt")  // relative, as `ln -s` makes it
  try AtomicFile.write("new", to: dir + "/link.txt")
  #expect(contents(dir + "/real.txt") == "new")
  var st = stat()
  #expect(lstat(dir + "/link.txt", &st) == 0 && st.st_mode & S_IFMT == S_IFLNK)
  // A dangling link creates the file it points to.
  symlink(dir + "/later.txt", dir + "/dangling.txt")
  try AtomicFile.write("made", to: dir + "/dangling.txt")
  #expect(contents(dir + "/later.txt") == "made")
  // A loop is an error, not a hang.
  symlink(dir + "/loop-b", dir + "/loop-a")
  symlink(dir + "/loop-a", dir + "/loop-b")
  #expect(throws: FileError.self) { try AtomicFile.write("x", to: dir + "/loop-a") }
}

@Test func writesDevicesInPlace() throws {
  try AtomicFile.write("discarded", to: "/dev/null")
  var st = stat()
  #expect(stat("/dev/null", &st) == 0 && st.st_mode & S_IFMT == S_IFCHR)
  // A FIFO gets the bytes (read on another thread) and stays a FIFO.
  let dir = scratch()
  defer { try? FileManager.default.removeItem(atPath: dir) }
  let fifo = dir + "/pipe"
  #expect(mkfifo(fifo, 0o644) == 0)
  nonisolated(unsafe) var got: [UInt8] = []
  let finished = DispatchSemaphore(value: 0)
  let reader = Thread {
    let fd = open(fifo, O_RDONLY)  // waits for the writer to open its end
    var buf = [UInt8](repeating: 0, count: 256)
    while fd >= 0 {
      let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if n <= 0 { break }
      got += buf[0..<n]
    }
    if fd >= 0 { close(fd) }
    finished.signal()
  }
  reader.start()
  try AtomicFile.write("through the pipe", to: fifo)
  finished.wait()
  #expect(String(decoding: got, as: UTF8.self) == "through the pipe")
  #expect(lstat(fifo, &st) == 0 && st.st_mode & S_IFMT == S_IFIFO)
}

#if os(Linux)
@Test func writesToAPipeThroughItsProcPath() throws {
  // /dev/stdout of a piped process is such a link: to "pipe:[...]", which no path names.
  var fds: [Int32] = [0, 0]
  #expect(pipe(&fds) == 0)
  defer { close(fds[0]) }
  try AtomicFile.write("into the pipe", to: "/proc/self/fd/\(fds[1])")
  close(fds[1])
  var buf = [UInt8](repeating: 0, count: 64)
  let n = buf.withUnsafeMutableBytes { read(fds[0], $0.baseAddress, $0.count) }
  #expect(n > 0 && String(decoding: buf[0..<n], as: UTF8.self) == "into the pipe")
}
#endif

@Test func errorsNameThePathAndTheReason() throws {
  let dir = scratch()
  defer { try? FileManager.default.removeItem(atPath: dir) }
  do {
    try AtomicFile.write("x", to: dir)
    Issue.record("writing over a directory should fail")
  } catch let e as FileError {
    #expect(e.description == "cannot write \(dir): it is a directory")
  }
  #expect(throws: FileError.self) { try AtomicFile.write("x", to: "") }
  #expect(throws: FileError.self) { try AtomicFile.checkWritable(dir) }
  try AtomicFile.checkWritable(dir + "/new/file")
  if FileManager.default.fileExists(atPath: "/dev/full") {
    do {
      try AtomicFile.write("x", to: "/dev/full")
      Issue.record("/dev/full should refuse the write")
    } catch let e as FileError {
      #expect(e.path == "/dev/full" && e.reason.contains("space"))
    }
    var st = stat()
    #expect(stat("/dev/full", &st) == 0 && st.st_mode & S_IFMT == S_IFCHR)
  }
}
