// `retort bench startup`: wall time of `retort -e '1+1'` (a fresh process
// each run), beside `python3 -c "pass"` for scale. Target: median < 30 ms.

import Foundation

extension BenchRegistry {
  static let startup = BenchSuite(
    name: "startup", summary: "Wall time of `retort -e '1+1'` in a fresh process (median ms).",
    options: [("runs", "20", "processes to start")]
  ) { args, out in
    let runs = try args.int("runs")
    let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
    let ours = try (0..<runs).map { _ in try timeProcess(exe, ["-e", "1+1"]) }
    var fields: [(String, BenchValue)] = [("median_ms", .double(median(ours) * 1000)), ("runs", .int(runs))]
    if let py = try? (0..<runs).map({ _ in try timeProcess("/usr/bin/env", ["python3", "-c", "pass"]) }) {
      fields.append(("python3_ms", .double(median(py) * 1000)))
    }
    out.emit("startup", fields)
  }
}

/// Seconds to run a process to completion, output discarded.
func timeProcess(_ path: String, _ arguments: [String]) throws -> Double {
  let p = Process()
  p.executableURL = URL(fileURLWithPath: path)
  p.arguments = arguments
  p.standardOutput = FileHandle.nullDevice
  p.standardError = FileHandle.nullDevice
  let t0 = benchNow()
  try p.run()
  p.waitUntilExit()
  let t = benchNow() - t0
  guard p.terminationStatus == 0 else { throw BenchError("\(path) \(arguments) exited with \(p.terminationStatus)") }
  return t
}

/// Runs a process and returns its standard output (for peers that report their own timings).
func captureProcess(_ path: String, _ arguments: [String], environment: [String: String]? = nil) throws -> String {
  let p = Process()
  p.executableURL = URL(fileURLWithPath: path)
  p.arguments = arguments
  if let env = environment { p.environment = ProcessInfo.processInfo.environment.merging(env) { $1 } }
  let pipe = Pipe()
  p.standardOutput = pipe
  p.standardError = FileHandle.nullDevice
  try p.run()
  let data = pipe.fileHandleForReading.readDataToEndOfFile()
  p.waitUntilExit()
  guard p.terminationStatus == 0 else { throw BenchError("\(path) exited with \(p.terminationStatus)") }
  return String(decoding: data, as: UTF8.self)
}
