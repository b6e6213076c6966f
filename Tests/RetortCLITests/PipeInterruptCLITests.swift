// Ctrl-C while `retort` waits for piped input.

import Foundation
import Testing

@Suite struct PipeInterruptCLITests {
  @Test func aCtrlCWhileWaitingForPipedInputStopsRetortWith130() throws {
    // Audit G finding 8: the press was latched onto the next cell, which stopped at once.
    let dir = try tempDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    let log = dir.appendingPathComponent("s.retort").path
    let out = dir.appendingPathComponent("out.txt")
    _ = FileManager.default.createFile(atPath: out.path, contents: nil)
    let p = Process()
    p.executableURL = retortBinary()
    p.arguments = ["--session", log]
    let inPipe = Pipe(), errPipe = Pipe()
    p.standardInput = inPipe
    p.standardOutput = try FileHandle(forWritingTo: out)
    p.standardError = errPipe
    try p.run()
    inPipe.fileHandleForWriting.write(Data("print(1)\n".utf8))
    // Once cell 1 has run, Retort waits for more input: press Ctrl-C then.
    for _ in 0..<400 where (try? String(contentsOf: out, encoding: .utf8)) != "1\n" { Thread.sleep(forTimeInterval: 0.025) }
    Thread.sleep(forTimeInterval: 0.2)
    p.interrupt()
    Thread.sleep(forTimeInterval: 0.5)
    // Retort has gone: the write fails (EPIPE, not a SIGPIPE that would end the tests).
    signal(SIGPIPE, SIG_IGN)
    try? inPipe.fileHandleForWriting.write(contentsOf: Data("print(5)\n".utf8))
    try? inPipe.fileHandleForWriting.close()
    let err = String(decoding: errPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    #expect(p.terminationReason == .exit && p.terminationStatus == 130, "\(p.terminationStatus) \(err)")
    #expect(err.contains("stopped by Ctrl-C while waiting for input"), "\(err)")
    #expect(try String(contentsOf: out, encoding: .utf8) == "1\n")
    let text = try String(contentsOfFile: log, encoding: .utf8)
    #expect(text.hasSuffix("[1]> print(1)\n1\n") && !text.contains("Interrupted"), "\(text)")
  }
}
