// `retort export` refusing to replace session logs.

import Foundation
import Testing

@Suite struct ExportCommandTests {
  @Test func exportRefusesToWriteOverItsOwnInput() throws {
    let dir = try tempDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    let log = dir.appendingPathComponent("s.retort").path
    _ = try retort(["--session", log], input: "6 * 7\n")
    let before = try String(contentsOfFile: log, encoding: .utf8)
    let r = try retort(["export", log, "--to", "md", "-o", log])
    #expect(r.status == 1 && r.stderr == "error: '\(log)' is the session log being exported; give -o another path\n", "\(r)")
    #expect(!r.stdout.contains("wrote"))
    #expect(try String(contentsOfFile: log, encoding: .utf8) == before)
  }
}
