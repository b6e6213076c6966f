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
