// `retort run` error positions in scripts with CRLF line ends or bytes that are not UTF-8.

import Foundation
import Testing

@Suite struct RunErrorPositionTests {
  @Test func aCRLFScriptAndAScriptThatIsNotUTF8GetFileLineColumn() throws {
    // Audit G finding 13: CRLF counted the CR (2:9), and bad UTF-8 got no position at all.
    let dir = try tempDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    let crlf = dir.appendingPathComponent("crlf.retort")
    try Data("x = 1\r\ny = x +\r\n".utf8).write(to: crlf)
    let r = try retort(["--no-record", "run", crlf.path])
    #expect(r.status == 1 && r.stderr.contains("--> \(crlf.path):2:8\n"), "\(r.stderr)")
    let bad = dir.appendingPathComponent("bad.retort")
    try Data([0xFF, 0xFE] + Array(" = 1\n".utf8)).write(to: bad)
    let b = try retort(["--no-record", "run", bad.path])
    #expect(b.status == 1)
    #expect(b.stderr.hasPrefix("error: invalid UTF-8 (byte 0xFF); a script is UTF-8 text\n --> \(bad.path):1:1\n"), "\(b.stderr)")
    #expect(b.stderr.contains("1 | \u{FFFD}\u{FFFD} = 1\n  | ^\n"), "\(b.stderr)")
  }
}
