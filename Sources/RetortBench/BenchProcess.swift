// Running peers and child processes for benchmarks: timing a process,
// capturing a peer's output, and giving peers the same thread count.

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// OMP/MKL/OpenBLAS thread counts for a peer, so it uses the cores we use.
func peerThreads(_ threads: Int) -> [String: String] {
  Dictionary(uniqueKeysWithValues: ["OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"].map { ($0, String(threads)) })
}

/// Seconds to run a process to completion, output discarded. Uses
/// posix_spawn directly: Foundation's Process adds tens of milliseconds of
/// its own on Linux, which would swamp a start-up measurement.
func timeProcess(_ path: String, _ arguments: [String]) throws -> Double {
  var actions = posix_spawn_file_actions_t()
  posix_spawn_file_actions_init(&actions)
  defer { posix_spawn_file_actions_destroy(&actions) }
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
  let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
  defer { for a in argv { free(a) } }
  var pid: pid_t = 0
  let t0 = benchNow()
  let rc = posix_spawn(&pid, path, &actions, nil, argv, environ)
  guard rc == 0 else { throw BenchError("cannot start \(path): error \(rc)") }
  var status: Int32 = 0
  while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
  let t = benchNow() - t0
  guard status == 0 else { throw BenchError("\(path) \(arguments) exited with status \(status)") }
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

/// A peer that answers requests line by line (one JSON line per request line),
/// so a benchmark can alternate its own work with the peer's in small steps:
/// load on a shared machine then hits both sides alike.
final class PeerSession {
  let process = Process()
  let input = Pipe(), output = Pipe()
  var buffer: [UInt8] = []

  /// Starts the peer and waits for its first line (its "ready" report).
  init(_ path: String, _ arguments: [String], environment: [String: String]? = nil) throws {
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    if let env = environment { process.environment = ProcessInfo.processInfo.environment.merging(env) { $1 } }
    process.standardInput = input
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    // A peer that dies must not take the benchmark with it: writing to its pipe then fails with EPIPE.
    signal(SIGPIPE, SIG_IGN)
    try process.run()
  }

  deinit {
    try? input.fileHandleForWriting.close()
    if process.isRunning { process.terminate() }
    process.waitUntilExit()
  }

  /// The next JSON object the peer prints (lines that are not JSON objects are skipped).
  func readObject() throws -> [String: Any] {
    while true {
      if let nl = buffer.firstIndex(of: 10) {
        let line = Data(buffer[..<nl])
        buffer.removeSubrange(...nl)
        if line.first == UInt8(ascii: "{"), let obj = (try? JSONSerialization.jsonObject(with: line)) as? [String: Any] {
          return obj
        }
        continue
      }
      let chunk = output.fileHandleForReading.availableData
      guard !chunk.isEmpty else { throw BenchError("the peer \(process.arguments?.first ?? "") ended without answering") }
      buffer += chunk
    }
  }

  /// Sends one request line and returns the peer's answer.
  func request(_ line: String) throws -> [String: Any] {
    try input.fileHandleForWriting.write(contentsOf: Data((line + "\n").utf8))
    return try readObject()
  }
}

/// The command that runs Scripts/reference/<script> with a Python that has
/// torch ($RETORT_PYTHON or python3), or nil when the script is missing.
func torchCommand(_ script: String) -> [String]? {
  let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  let path = repo.appendingPathComponent("Scripts/reference/\(script)").path
  guard FileManager.default.fileExists(atPath: path) else { return nil }
  return [ProcessInfo.processInfo.environment["RETORT_PYTHON"] ?? "python3", path]
}

/// Runs a torch peer script to the end and returns its last JSON line, or nil when unavailable.
func torchPeer(_ script: String, _ arguments: [String], threads: Int) -> [String: Any]? {
  guard let command = torchCommand(script),
        let s = try? captureProcess("/usr/bin/env", command + arguments, environment: peerThreads(threads)),
        let line = s.split(separator: "\n").last(where: { $0.hasPrefix("{") }) else { return nil }
  return (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
}

/// A torch peer script in serving mode, after its ready line; nil when unavailable.
func torchPeerSession(_ script: String, _ arguments: [String], threads: Int) -> (PeerSession, [String: Any])? {
  guard let command = torchCommand(script),
        let peer = try? PeerSession("/usr/bin/env", command + arguments, environment: peerThreads(threads)),
        let ready = try? peer.readObject(), ready["ready"] as? Bool == true else { return nil }
  return (peer, ready)
}
