// End-to-end tests of the `retort` executable: pipes, -e, run, replay and
// export, as a user (or CI) drives them.

import Foundation
import Testing

/// The built `retort` next to the test bundle.
func retortBinary() -> URL {
  var dir = Bundle.main.bundleURL
  for _ in 0..<4 {
    let candidate = dir.appendingPathComponent("retort")
    if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    dir = dir.deletingLastPathComponent()
  }
  return URL(fileURLWithPath: ".build/debug/retort")
}

struct Run {
  let status: Int32
  let stdout: String
  let stderr: String
}

func retort(_ args: [String], input: String = "", cwd: URL? = nil, env: [String: String] = [:]) throws -> Run {
  let p = Process()
  p.executableURL = retortBinary()
  p.arguments = args
  if !env.isEmpty { p.environment = ProcessInfo.processInfo.environment.merging(env) { $1 } }
  if let cwd = cwd { p.currentDirectoryURL = cwd }
  let inPipe = Pipe(), outPipe = Pipe(), errPipe = Pipe()
  p.standardInput = inPipe
  p.standardOutput = outPipe
  p.standardError = errPipe
  try p.run()
  inPipe.fileHandleForWriting.write(Data(input.utf8))
  try inPipe.fileHandleForWriting.close()
  let out = outPipe.fileHandleForReading.readDataToEndOfFile()
  let err = errPipe.fileHandleForReading.readDataToEndOfFile()
  p.waitUntilExit()
  return Run(status: p.terminationStatus, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
}

func tempDir() throws -> URL {
  let d = FileManager.default.temporaryDirectory.appendingPathComponent("retort-cli-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
  return d
}

@Suite struct CLITests {
  @Test func evaluateFlag() throws {
    let r = try retort(["-e", "1 + 2 * 3"])
    #expect(r.stdout == "7\n")
    #expect(r.status == 0)
    // Code that starts with '-' is still the code, not an option.
    let neg = try retort(["-e", "-1 - 2"])
    #expect(neg.stdout == "-3\n" && neg.status == 0)
  }

  @Test func pipeRecordsAReplayableSession() throws {
    let dir = try tempDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    let log = dir.appendingPathComponent("s.retort").path
    let r = try retort(["--session", log], input: "x = 2\nx * 21\nfor i in range(2) {\n  print(i)\n}\n")
    #expect(r.stdout == "42\n0\n1\n")
    #expect(r.stderr.isEmpty)
    let text = try String(contentsOfFile: log, encoding: .utf8)
    #expect(text.contains("[2]> x * 21\n42\n[3]> for i in range(2) {\n...>   print(i)\n...> }\n0\n1\n"))
    let check = try retort(["replay", "--check", log])
    #expect(check.status == 0, "\(check.stdout)")
    // A changed output fails the check with a diff.
    try text.replacingOccurrences(of: "\n42\n", with: "\n43\n").write(toFile: log, atomically: true, encoding: .utf8)
    let bad = try retort(["replay", "--check", log])
    #expect(bad.status == 1)
    #expect(bad.stdout.contains("-43\n+42\n"))
  }

  @Test func aCellStoppedByCtrlCIsRecordedWithItsStopPointAndReplaysToTheSameState() throws {
    let dir = try tempDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    let log = dir.appendingPathComponent("s.retort").path
    let p = Process()
    p.executableURL = retortBinary()
    p.arguments = ["--session", log]
    let inPipe = Pipe(), outPipe = Pipe()
    p.standardInput = inPipe
    p.standardOutput = outPipe
    p.standardError = FileHandle.nullDevice
    try p.run()
    let flag = dir.appendingPathComponent("running").path
    let loop = "write_text(\"\(flag)\", \"go\"); for i in range(100000000) { n = i }"
    inPipe.fileHandleForWriting.write(Data("n = 0\n\(loop)\nn > 0\nn\n".utf8))
    try inPipe.fileHandleForWriting.close()
    // Press Ctrl-C once the loop runs (the cell writes a file first).
    for _ in 0..<300 where !FileManager.default.fileExists(atPath: flag) { Thread.sleep(forTimeInterval: 0.05) }
    Thread.sleep(forTimeInterval: 0.3)
    p.interrupt()
    let out = String(decoding: outPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    #expect(out.hasPrefix("true\n"), "\(out)")
    let text = try String(contentsOfFile: log, encoding: .utf8)
    #expect(text.contains("\n\\ Interrupted by Ctrl-C at cancellation point "), "\(text)")
    // The replay stops the loop at the same point, so `n` (cell 4) matches too.
    let check = try retort(["replay", "--check", log])
    #expect(check.status == 0 && check.stdout.hasSuffix("4 cells, all match\n"), "\(check.stdout)")
  }

  @Test func ctrlCStopsAScriptAtASafePointAndTrainingWritesItsCheckpoint() throws {
    let dir = try tempDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    let flag = dir.appendingPathComponent("running").path, ck = dir.appendingPathComponent("run.ckpt").path
    let script = dir.appendingPathComponent("train.retort")
    try """
      m = model.new(layers=1, dim=32, heads=2, hidden=64, context=32, seed=1)
      write_text("\(flag)", "go")
      r = m.train(["hello world, hello retort"] * 20, steps=1000000, batch=2, seq=16, checkpoint="\(ck)")
      print("not reached")
      """.write(to: script, atomically: true, encoding: .utf8)
    let p = Process()
    p.executableURL = retortBinary()
    p.arguments = ["run", script.path]
    let outPipe = Pipe(), errPipe = Pipe()
    p.standardOutput = outPipe
    p.standardError = errPipe
    try p.run()
    for _ in 0..<600 where !FileManager.default.fileExists(atPath: flag) { Thread.sleep(forTimeInterval: 0.05) }
    Thread.sleep(forTimeInterval: 0.5)
    p.interrupt()
    let out = String(decoding: outPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let err = String(decoding: errPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    #expect(p.terminationReason == .exit && p.terminationStatus == 130, "\(p.terminationReason) \(p.terminationStatus) \(err)")
    #expect(!out.contains("not reached") && out.contains("training interrupted after"), "\(out) \(err)")
    #expect(err.contains("\(script.path): stopped by Ctrl-C\n") && !err.contains("error:"), "\(err)")
    #expect(FileManager.default.fileExists(atPath: ck), "\(err)")
  }

  @Test func aSessionReplaysAtTheWidthItWasRecordedAt() throws {
    let dir = try tempDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    let log = dir.appendingPathComponent("s.retort").path
    let cell = "[\"category number \" + str(i) for i in range(7)]\n"
    let wide = try retort(["--session", log], input: cell, env: ["COLUMNS": "200"])
    #expect(wide.stdout.hasPrefix("[\"category number 0\", "), "\(wide.stdout)")
    #expect(try String(contentsOfFile: log, encoding: .utf8).contains("\n# width: 200\n"))
    let check = try retort(["replay", "--check", log], env: ["COLUMNS": "60"])
    #expect(check.status == 0, "\(check.stdout)")
  }

  @Test func pipeDefaultsToSessionsFolderAndNoRecordSkipsIt() throws {
    let dir = try tempDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    _ = try retort([], input: "1\n", cwd: dir)
    let logs = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("Sessions").path)
    #expect(logs.count == 1 && logs[0].hasSuffix(".retort"))
    let other = try tempDir()
    defer { try? FileManager.default.removeItem(at: other) }
    _ = try retort(["--no-record"], input: "1\n", cwd: other)
    #expect(!FileManager.default.fileExists(atPath: other.appendingPathComponent("Sessions").path))
  }

  @Test func anExistingFileIsNeverReplacedBySessionLog() throws {
    // `--session data.jsonl` (a slip) replaced the file with a session log.
    let dir = try tempDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    let data = dir.appendingPathComponent("precious.jsonl")
    try "{\"instruction\": \"keep me\"}\n".write(to: data, atomically: true, encoding: .utf8)
    let r = try retort(["--session", data.path], input: "6 * 7\n")
    #expect(r.stdout == "42\n" && r.stderr.contains("already exists; Retort does not replace a file"), "\(r)")
    #expect(try String(contentsOf: data, encoding: .utf8) == "{\"instruction\": \"keep me\"}\n")
  }

  @Test func errorsKeepStateAndGoToStderr() throws {
    let r = try retort(["--no-record"], input: "x = 1\ny + 1\nx + 1\n")
    #expect(r.stdout == "2\n")
    #expect(r.stderr.contains("error: name 'y' is not defined"))
    #expect(r.status == 1)
  }

  @Test func aScriptsTraceSaysScript() throws {
    let dir = try tempDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    let script = dir.appendingPathComponent("f.retort")
    try "fn f() {\n  nope\n}\nf()\n".write(to: script, atomically: true, encoding: .utf8)
    let r = try retort(["run", script.path])
    #expect(r.stderr.contains("call trace (most recent call last):\n  \(script.path):4:1 in <script>\n  \(script.path):2:3 in f"), "\(r.stderr)")
  }

  @Test func runScriptReportsFileLineColumn() throws {
    let dir = try tempDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    let script = dir.appendingPathComponent("exp.retort")
    try "print(args)\nx = 1\nx + nope\nprint(\"not reached\")\n".write(to: script, atomically: true, encoding: .utf8)
    let r = try retort(["run", script.path, "a", "b"])
    #expect(r.stdout == "[\"a\", \"b\"]\n")
    #expect(r.stderr.contains("--> \(script.path):3:5"))
    #expect(r.status == 1)
  }

  @Test func exportWritesMarkdownAndNotebook() throws {
    let dir = try tempDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    let log = dir.appendingPathComponent("s.retort").path
    _ = try retort(["--session", log], input: "6 * 7\n")
    #expect(try retort(["export", log, "--to", "md"]).status == 0)
    let md = try String(contentsOfFile: dir.appendingPathComponent("s.md").path, encoding: .utf8)
    #expect(md.contains("6 * 7") && md.contains("42"))
    #expect(try retort(["export", log, "--to", "ipynb", "-o", dir.appendingPathComponent("n.ipynb").path]).status == 0)
    let data = try Data(contentsOf: dir.appendingPathComponent("n.ipynb"))
    let nb = try JSONSerialization.jsonObject(with: data) as? [String: Any]
    #expect(nb?["nbformat"] as? Int == 4)
    #expect((nb?["cells"] as? [Any])?.count == 1)
  }

  @Test func metaCommandsSave() throws {
    let dir = try tempDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("inputs.retort").path
    let r = try retort(["--no-record"], input: "x = 5\nx * 2\n1 / 0\n:save \(path)\n:quit\nx * 3\n")
    // The cell that failed is left out, so the script runs.
    #expect(r.stdout.hasPrefix("10\nsaved 2 cells to \(path) (left out the cell that failed: [3])\n"), "\(r.stdout)")
    #expect(!r.stdout.contains("\n15\n"))
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "x = 5\nx * 2\n")
  }

  @Test func exportToStandardOutput() throws {
    let dir = try tempDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    let log = dir.appendingPathComponent("s.retort").path
    _ = try retort(["--session", log], input: "1 + 1\n")
    let r = try retort(["export", log, "--to", "md", "-o", "-"], cwd: dir)
    #expect(r.stdout.hasPrefix("# Retort session") && r.stdout.contains("1 + 1") && !r.stdout.contains("wrote"), "\(r.stdout)")
    #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("-").path))
  }
}
