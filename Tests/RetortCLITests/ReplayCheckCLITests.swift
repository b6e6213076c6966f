// `replay --check` vouches for every cell: a log cut short in its last cell fails it.

import Foundation
import Testing

@Suite struct ReplayCheckCLITests {
  @Test func aLogCutShortInItsLastCellFailsTheCheck() throws {
    let dir = try tempDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    let log = dir.appendingPathComponent("cut.retort").path
    try "# Retort session log\n[1]> 1 + 1\n2\n[2]> 2 + 2\n4".write(toFile: log, atomically: true, encoding: .utf8)
    let check = try retort(["replay", "--check", log])
    #expect(check.status == 1, "\(check)")
    #expect(check.stdout.contains("check \(log): 1 cell, all match; the last cell was cut short and is not checked"), "\(check.stdout)")
    // A plain replay runs what it can and succeeds.
    #expect(try retort(["replay", log]).status == 0)
  }

  @Test func anErrorAfterTextWithoutANewlineStartsItsOwnLine() throws {
    let dir = try tempDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    let log = dir.appendingPathComponent("s.retort").path
    _ = try retort(["--session", log], input: "print(\"partial error: \", end=\"\"); 1/0\n")
    let text = try String(contentsOfFile: log, encoding: .utf8)
    #expect(text.contains("partial error: \nerror: division by zero\n"), "\(text)")
    #expect(try retort(["replay", "--check", log]).status == 0)
    // The notebook keeps the printed text and the error apart.
    let nb = try retort(["export", log, "--to", "ipynb", "-o", "-"])
    #expect(nb.stdout.contains("\"partial error: \\n\""), "\(nb.stdout)")
    #expect(nb.stdout.contains("\"error: division by zero\"") || nb.stdout.contains("\"evalue\" : \"division by zero\""), "\(nb.stdout)")
  }
}

@Suite struct PipedInputCLITests {
  @Test func invalidUTF8InPipedInputIsNamed() throws {
    let p = Process()
    p.executableURL = retortBinary()
    p.arguments = ["--no-record"]
    let inPipe = Pipe(), errPipe = Pipe(), outPipe = Pipe()
    p.standardInput = inPipe
    p.standardError = errPipe
    p.standardOutput = outPipe
    try p.run()
    inPipe.fileHandleForWriting.write(Data([0x31, 0x0A, 0x22, 0x61, 0xFF, 0x22, 0x0A]))  // 1, then "a\xff"
    try inPipe.fileHandleForWriting.close()
    let err = String(decoding: errPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    _ = outPipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    #expect(err.contains("warning: input line 2 is not valid UTF-8; its bad bytes were read as U+FFFD"), "\(err)")
  }
}
