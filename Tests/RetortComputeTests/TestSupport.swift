// Shared numeric assertions: one helper with explicit tolerances that
// reports at the caller's line.

import Testing
@testable import RetortCompute

/// Expects |a - b| <= atol + rtol * |b| elementwise.
func expectClose(_ a: [Float], _ b: [Float], atol: Float = 1e-5, rtol: Float = 1e-5,
                 _ what: String = "", sourceLocation: SourceLocation = #_sourceLocation) {
  #expect(a.count == b.count, "\(what): length \(a.count) vs \(b.count)", sourceLocation: sourceLocation)
  guard a.count == b.count else { return }
  var worst = 0, worstErr: Float = 0
  var bad = 0
  for i in 0..<a.count {
    let err = abs(a[i] - b[i])
    let ok = err <= atol + rtol * abs(b[i]) || (a[i].isNaN && b[i].isNaN) || a[i] == b[i]
    if !ok { bad += 1; if err > worstErr { worstErr = err; worst = i } }
  }
  #expect(bad == 0, "\(what): \(bad) of \(a.count) differ; worst at \(worst): \(bad > 0 ? a[worst] : 0) vs \(bad > 0 ? b[worst] : 0)",
          sourceLocation: sourceLocation)
}

/// Deterministic pseudo-random floats in [-1, 1).
func randomFloats(_ n: Int, seed: Int) -> [Float] {
  let rng = CounterRNG(seed: seed)
  return (0..<n).map { rng.uniform($0) * 2 - 1 }
}

/// Plain triple-loop reference product in double precision.
func referenceMatmul(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int) -> [Float] {
  var c = [Float](repeating: 0, count: m * n)
  for i in 0..<m {
    for j in 0..<n {
      var s = 0.0
      for p in 0..<k { s += Double(a[i * k + p]) * Double(b[p * n + j]) }
      c[i * n + j] = Float(s)
    }
  }
  return c
}
