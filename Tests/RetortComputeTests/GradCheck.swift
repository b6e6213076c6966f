// Finite-difference gradient checking for the autodiff tape.

import Testing
@testable import RetortCompute

/// Checks d(sum(f(inputs) * w))/d(inputs) from backward() against central
/// differences (f32, eps 1e-2; tolerance 2e-2 relative + 2e-3 absolute).
func gradCheck(_ name: String, _ inputs: [Tensor], eps: Float = 1e-2, atol: Float = 2e-3, rtol: Float = 2e-2,
               sourceLocation: SourceLocation = #_sourceLocation, _ f: ([Tensor]) throws -> Tensor) throws {
  for t in inputs { t.requiresGrad = true; t.zeroGrad() }
  let out = try f(inputs)
  let w = try Tensor(randomFloats(out.count, seed: 77), shape: out.shape)
  let loss = try (out * w).sum()
  try loss.backward()
  for (n, t) in inputs.enumerated() {
    guard let g = t.grad else {
      Issue.record("\(name): input \(n) got no gradient", sourceLocation: sourceLocation)
      continue
    }
    let analytic = g.toArray()
    var numeric = [Float](repeating: 0, count: t.count)
    try Tensor.noGrad {
      for i in 0..<t.count {
        let p = t.mutablePointer
        let orig = p[i]
        p[i] = orig + eps
        let up = try (f(inputs) * w).sum().item()
        p[i] = orig - eps
        let dn = try (f(inputs) * w).sum().item()
        p[i] = orig
        numeric[i] = (up - dn) / (2 * eps)
      }
    }
    expectClose(analytic, numeric, atol: atol, rtol: rtol, "\(name) input \(n)", sourceLocation: sourceLocation)
  }
}
