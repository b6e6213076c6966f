// `retort bench interp`: the interpreter's speed on a hot loop,
// `s = 0; for i in range(N) { s += i }`, beside CPython running the same
// loop on the same machine. Target: within 3x of CPython.

import RetortLab
import RetortLang
import Foundation

extension BenchRegistry {
  static let interp = BenchSuite(
    name: "interp", summary: "A 1M-iteration loop in Retort vs CPython (median seconds, ratio).",
    options: [("n", "1000000", "loop iterations"), ("runs", "5", "timed runs")]
  ) { args, out in
    let n = try args.int("n"), runs = try args.int("runs")
    let interp = Lab.makeInterpreter()
    interp.output = { _ in }
    var failure: RetortError? = nil
    let times = benchTimes(repeats: runs) {
      runWithLargeStack {
        let r = interp.run("s = 0; for i in range(\(n)) { s += i }", name: "bench", display: false)
        failure = failure ?? r.error
      }
    }
    if let f = failure { throw BenchError(f.rendered()) }
    var fields: [(String, BenchValue)] = [("n", .int(n)), ("seconds", .double(median(times)))]
    let script = """
      import time
      ts = []
      for _ in range(\(runs)):
          t = time.perf_counter()
          s = 0
          for i in range(\(n)):
              s += i
          ts.append(time.perf_counter() - t)
      ts.sort()
      print(ts[len(ts) // 2])
      """
    if let text = try? captureProcess("/usr/bin/env", ["python3", "-c", script]),
       let py = Double(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
      fields.append(("python_seconds", .double(py)))
      fields.append(("ratio_vs_python", .double(median(times) / py)))
    }
    out.emit("interp", fields)
  }
}
