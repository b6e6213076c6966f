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
