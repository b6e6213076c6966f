// The REPL under a pseudo-terminal, as a user types and pastes: readline is in charge there.

#if canImport(Glibc)
import Foundation
import Glibc
import Testing

/// Runs `retort --no-record` on a pseudo-terminal, sends `keys` (each after a pause), and
/// returns everything it wrote.
func typed(_ keys: [String], env: [String: String] = [:]) throws -> String {
  // /dev/ptmx, unlocked (TIOCSPTLCK) and numbered (TIOCGPTN): posix_openpt by hand.
  let master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
  guard master >= 0 else { throw CocoaError(.fileNoSuchFile) }
  defer { close(master) }
  var unlock: Int32 = 0, number: UInt32 = 0
  guard ioctl(master, 0x4004_5431, &unlock) == 0, ioctl(master, 0x8004_5430, &number) == 0 else {
    throw CocoaError(.fileNoSuchFile)
  }
  let slave = FileHandle(forUpdatingAtPath: "/dev/pts/\(number)")
  guard let slave else { throw CocoaError(.fileNoSuchFile) }
  let p = Process()
  p.executableURL = retortBinary()
  p.arguments = ["--no-record"]
  var environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
  environment["TERM"] = "xterm"
  environment["HOME"] = FileManager.default.temporaryDirectory.path
  p.environment = environment
  p.standardInput = slave
  p.standardOutput = slave
  p.standardError = slave
  try p.run()
  try slave.close()
  var output = [UInt8]()
  func drain(_ seconds: Double) {
    let until = Date().addingTimeInterval(seconds)
    var buf = [UInt8](repeating: 0, count: 4096)
    while Date() < until {
      var pfd = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
      guard poll(&pfd, 1, 50) > 0 else { continue }
      let n = read(master, &buf, buf.count)
      if n <= 0 { return }
      output += buf[0..<n]
    }
  }
  drain(1.0)
  for k in keys {
    _ = k.utf8CString.withUnsafeBufferPointer { write(master, $0.baseAddress, $0.count - 1) }
    drain(0.4)
  }
  _ = "\u{4}".withCString { write(master, $0, 1) }
  drain(0.5)
  // A REPL that did not take the Ctrl-D (a line left unfinished) must not hang the tests.
  if p.isRunning { p.terminate() }
  p.waitUntilExit()
  return String(decoding: output, as: UTF8.self)
}

@Suite(.serialized, .enabled(if: FileManager.default.isWritableFile(atPath: "/dev/ptmx"), "needs pseudo-terminals (/dev/ptmx)"))
struct TerminalCLITests {
  @Test func aPasteWithWindowsLineEndsKeepsOneNewlinePerLine() throws {
    let out = try typed(["\u{1B}[200~t = \"\"\"line1\r\nline2\"\"\"\u{1B}[201~", "\r", "len(t)\r"])
    #expect(out.contains("\n11\r\n") || out.contains("11\r\n"), "\(out.debugDescription)")
    #expect(!out.contains("12\r\n"), "\(out.debugDescription)")
  }

  @Test func aCallsKeywordNamesAreListedFirst() throws {
    let out = try typed(["sorted([1], re", "\t\t", "\u{15}"])  // then Ctrl-U empties the line for Ctrl-D
    let listed = out.components(separatedBy: "\n").first { $0.contains("reverse=") && $0.contains("repr") } ?? ""
    #expect(listed.range(of: "reverse=").map { r in listed.range(of: "read_text").map { r.lowerBound < $0.lowerBound } ?? false } == true,
            "\(out.debugDescription)")
  }

  @Test func backspaceRemovesAWholeChineseCharacterWithoutALocale() throws {
    let out = try typed(["x = \"中文", "\u{7F}", "\"\r", "x\r"], env: ["LANG": "", "LC_ALL": "", "LC_CTYPE": ""])
    #expect(out.contains("\"中\""), "\(out.debugDescription)")
    #expect(!out.contains("\u{FFFD}"), "\(out.debugDescription)")
  }
}
#endif
