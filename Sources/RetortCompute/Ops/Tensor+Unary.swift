// Unary math (exp, log, sqrt, rsqrt, tanh, sigmoid, relu, gelu, silu, abs,
// clamp) with SIMD kernels, scalar references and gradients.

import Foundation

enum ExpK: UnaryKernel {
  @inline(__always) static func simd(_ x: V16) -> V16 { vexp(x) }
  @inline(__always) static func scalar(_ x: Float) -> Float { Foundation.exp(x) }
}
enum LogK: UnaryKernel {
  @inline(__always) static func simd(_ x: V16) -> V16 { var r = V16(); for i in 0..<16 { r[i] = Foundation.log(x[i]) }; return r }
  @inline(__always) static func scalar(_ x: Float) -> Float { Foundation.log(x) }
}
enum SqrtK: UnaryKernel {
  @inline(__always) static func simd(_ x: V16) -> V16 { x.squareRoot() }
  @inline(__always) static func scalar(_ x: Float) -> Float { x.squareRoot() }
}
enum RsqrtK: UnaryKernel {
  @inline(__always) static func simd(_ x: V16) -> V16 { 1 / x.squareRoot() }
  @inline(__always) static func scalar(_ x: Float) -> Float { 1 / x.squareRoot() }
}
enum TanhK: UnaryKernel {
  @inline(__always) static func simd(_ x: V16) -> V16 { vtanh(x) }
  @inline(__always) static func scalar(_ x: Float) -> Float { Foundation.tanh(x) }
}
enum SigmoidK: UnaryKernel {
  @inline(__always) static func simd(_ x: V16) -> V16 { vsigmoid(x) }
  @inline(__always) static func scalar(_ x: Float) -> Float { 1 / (1 + Foundation.exp(-x)) }
}
enum ReluK: UnaryKernel {
  @inline(__always) static func simd(_ x: V16) -> V16 { vmax(x, V16()) }
  @inline(__always) static func scalar(_ x: Float) -> Float { Swift.max(x, 0) }
}
enum GeluK: UnaryKernel {
  @inline(__always) static func simd(_ x: V16) -> V16 { vgelu(x) }
  @inline(__always) static func scalar(_ x: Float) -> Float { sgelu(x) }
}
enum SiluK: UnaryKernel {
  @inline(__always) static func simd(_ x: V16) -> V16 { x * vsigmoid(x) }
  @inline(__always) static func scalar(_ x: Float) -> Float { x / (1 + Foundation.exp(-x)) }
}
enum AbsK: UnaryKernel {
  @inline(__always) static func simd(_ x: V16) -> V16 { vabs(x) }
  @inline(__always) static func scalar(_ x: Float) -> Float { Swift.abs(x) }
}
enum SignK: UnaryKernel {
  @inline(__always) static func simd(_ x: V16) -> V16 {
    V16().replacing(with: 1, where: x .> 0).replacing(with: -1, where: x .< 0)
  }
  @inline(__always) static func scalar(_ x: Float) -> Float { x > 0 ? 1 : (x < 0 ? -1 : 0) }
}
/// d/dx gelu(x) for the tanh form.
enum GeluGradK: UnaryKernel {
  @inline(__always) static func simd(_ x: V16) -> V16 {
    let x2: V16 = x * x
    let inner: V16 = x + 0.044715 * x2 * x
    let t: V16 = vtanh(geluC * inner)
    let left: V16 = 0.5 * (1 + t)
    let dinner: V16 = geluC * (1 + 0.134145 * x2)
    let right: V16 = 0.5 * x * (1 - t * t) * dinner
    return left + right
  }
  @inline(__always) static func scalar(_ x: Float) -> Float {
    let x2 = x * x
    let t = Foundation.tanh(geluC * (x + 0.044715 * x2 * x))
    let dinner = geluC * (1 + 0.134145 * x2)
    return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * dinner
  }
}

extension Tensor {
  /// Applies a unary kernel and records `grad = g * d(x)`.
  private func unary<K: UnaryKernel>(_ k: K.Type, _ name: String, _ derivative: @escaping (Tensor, Tensor) throws -> Tensor) throws -> Tensor {
    let out = try unaryApply(k, self, op: name)
    let x = detached(), y = out.detached()
    out.record(name, [self]) { g in [try g * derivative(x, y)] }
    return out
  }

  /// e^x.
  public func exp() throws -> Tensor { try unary(ExpK.self, "exp") { _, y in y } }
  /// Natural logarithm.
  public func log() throws -> Tensor { try unary(LogK.self, "log") { x, _ in try Tensor(scalar: 1) / x } }
  /// Square root.
  public func sqrt() throws -> Tensor { try unary(SqrtK.self, "sqrt") { _, y in try Tensor(scalar: 0.5) / y } }
  /// 1 / sqrt(x).
  public func rsqrt() throws -> Tensor { try unary(RsqrtK.self, "rsqrt") { _, y in try y * y * y * -0.5 } }
  /// Hyperbolic tangent.
  public func tanh() throws -> Tensor { try unary(TanhK.self, "tanh") { _, y in try Tensor(scalar: 1) - y * y } }
  /// Logistic sigmoid.
  public func sigmoid() throws -> Tensor { try unary(SigmoidK.self, "sigmoid") { _, y in try y * (Tensor(scalar: 1) - y) } }
  /// Swift.max(x, 0).
  public func relu() throws -> Tensor {
    try unary(ReluK.self, "relu") { x, _ in try x.compare(.greater, Tensor(scalar: 0)) }
  }
  /// GELU, tanh approximation (as GPT-2 uses).
  public func gelu() throws -> Tensor { try unary(GeluK.self, "gelu") { x, _ in try unaryApply(GeluGradK.self, x, op: "gelu") } }
  /// SiLU (swish): x * sigmoid(x).
  public func silu() throws -> Tensor {
    try unary(SiluK.self, "silu") { x, _ in
      let s = try unaryApply(SigmoidK.self, x, op: "silu")
      return try s * (Tensor(scalar: 1) + x * (Tensor(scalar: 1) - s))
    }
  }
  /// |x|.
  public func abs() throws -> Tensor { try unary(AbsK.self, "abs") { x, _ in try unaryApply(SignK.self, x, op: "abs") } }

  /// Clamps every element to [low, high] (either bound optional); the
  /// gradient passes where the value was inside the range.
  public func clamp(min low: Float? = nil, max high: Float? = nil) throws -> Tensor {
    if let low, let high, low > high { throw ComputeError("clamp: min (\(low)) is larger than max (\(high))") }
    var out = detached()
    if let l = low { out = try binaryApply(MaxK.self, out, Tensor(scalar: l), op: "clamp") }
    if let h = high { out = try binaryApply(MinK.self, out, Tensor(scalar: h), op: "clamp") }
    if low == nil && high == nil { out = try contiguousCopy() }
    let x = detached()
    out.record("clamp", [self]) { g in
      var mask = try Tensor.ones(x.shape)
      if let l = low { mask = try mask * x.compare(.greaterEqual, Tensor(scalar: l)) }
      if let h = high { mask = try mask * x.compare(.lessEqual, Tensor(scalar: h)) }
      return [try g * mask]
    }
    return out
  }
}
