// Elementwise arithmetic with NumPy broadcasting, and its gradients.

import Foundation

extension Tensor {
  /// a + b (broadcasting).
  public static func + (a: Tensor, b: Tensor) throws -> Tensor {
    let out = try binaryApply(AddK.self, a, b, op: "add")
    let sa = a.shape, sb = b.shape
    out.record("add", [a, b]) { g in [try g.sum(to: sa), try g.sum(to: sb)] }
    return out
  }

  /// a - b (broadcasting).
  public static func - (a: Tensor, b: Tensor) throws -> Tensor {
    let out = try binaryApply(SubK.self, a, b, op: "subtract")
    let sa = a.shape, sb = b.shape
    out.record("subtract", [a, b]) { g in [try g.sum(to: sa), try (-g).sum(to: sb)] }
    return out
  }

  /// a * b elementwise (broadcasting).
  public static func * (a: Tensor, b: Tensor) throws -> Tensor {
    let out = try binaryApply(MulK.self, a, b, op: "multiply")
    let ad = a.detached(), bd = b.detached()
    out.record("multiply", [a, b]) { g in
      [a.requiresGrad ? try (g * bd).sum(to: ad.shape) : nil,
       b.requiresGrad ? try (g * ad).sum(to: bd.shape) : nil]
    }
    return out
  }

  /// a / b elementwise (broadcasting).
  public static func / (a: Tensor, b: Tensor) throws -> Tensor {
    let out = try binaryApply(DivK.self, a, b, op: "divide")
    let ad = a.detached(), bd = b.detached()
    out.record("divide", [a, b]) { g in
      [a.requiresGrad ? try (g / bd).sum(to: ad.shape) : nil,
       b.requiresGrad ? try (-(g * ad) / (bd * bd)).sum(to: bd.shape) : nil]
    }
    return out
  }

  /// a ** b elementwise (broadcasting). Gradients follow PyTorch: d/da is 0
  /// where b == 0 (so `x ** 0` has gradient 0 even at x = 0, where
  /// `b * a^(b-1)` is 0 * inf), and d/db is 0 where a == 0 and b >= 0 (the
  /// limit of `a^b * log(a)`; for a < 0 it stays NaN).
  public func pow(_ b: Tensor) throws -> Tensor {
    let a = self
    let out = try binaryApply(PowK.self, a, b, op: "pow")
    let ad = a.detached(), bd = b.detached(), od = out.detached()
    out.record("pow", [a, b]) { g in
      let zero = Tensor(scalar: 0)
      var ga: Tensor? = nil, gb: Tensor? = nil
      if a.requiresGrad {
        let d = try bd * ad.pow(bd - Tensor(scalar: 1))
        ga = try (g * Tensor.where(bd.compare(.equal, zero), zero, d)).sum(to: ad.shape)
      }
      if b.requiresGrad {
        let baseZero = try ad.compare(.equal, zero) * bd.compare(.greaterEqual, zero)
        gb = try (g * Tensor.where(baseZero, zero, od * ad.log())).sum(to: bd.shape)
      }
      return [ga, gb]
    }
    return out
  }

  /// a // b elementwise (broadcasting): the quotient rounded toward minus
  /// infinity, as Python's and PyTorch's `//` (7 // -2 is -4). It has no
  /// gradient (a step function), so an input that records gradients is an
  /// error rather than a silent break in the graph.
  public func floorDivide(_ b: Tensor) throws -> Tensor {
    if GradMode.isEnabled && (requiresGrad || b.requiresGrad) {
      throw ComputeError("operator //: a floor quotient has no gradient; detach() the inputs, or use / for a differentiable quotient")
    }
    return try binaryApply(FloorDivK.self, self, b, op: "floor_divide")
  }

  /// a % b elementwise (broadcasting), with the sign of b as Python's and
  /// PyTorch's `%` (-7 % 2 is 1; a zero divisor gives NaN). Gradients as
  /// PyTorch's: 1 for a, -(a // b) for b.
  public func remainder(_ b: Tensor) throws -> Tensor {
    let a = self
    let out = try binaryApply(RemK.self, a, b, op: "remainder")
    let ad = a.detached(), bd = b.detached()
    out.record("remainder", [a, b]) { g in
      [a.requiresGrad ? try g.sum(to: ad.shape) : nil,
       b.requiresGrad ? try (-(g * binaryApply(FloorDivK.self, ad, bd, op: "remainder"))).sum(to: bd.shape) : nil]
    }
    return out
  }

  /// self ** exponent for a scalar exponent.
  public func pow(_ exponent: Float) throws -> Tensor { try pow(Tensor(scalar: exponent)) }

  /// Elementwise maximum (broadcasting); the gradient goes to the larger input (to `a` on ties).
  public static func maximum(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    let out = try binaryApply(MaxK.self, a, b, op: "maximum")
    let ad = a.detached(), bd = b.detached()
    out.record("maximum", [a, b]) { g in
      let mask = try binaryApply(GeK.self, ad, bd, op: "maximum")
      return [try (g * mask).sum(to: ad.shape), try (g * (Tensor(scalar: 1) - mask)).sum(to: bd.shape)]
    }
    return out
  }

  /// Elementwise minimum (broadcasting); the gradient goes to the smaller input (to `a` on ties).
  public static func minimum(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    let out = try binaryApply(MinK.self, a, b, op: "minimum")
    let ad = a.detached(), bd = b.detached()
    out.record("minimum", [a, b]) { g in
      let mask = try binaryApply(LeK.self, ad, bd, op: "minimum")
      return [try (g * mask).sum(to: ad.shape), try (g * (Tensor(scalar: 1) - mask)).sum(to: bd.shape)]
    }
    return out
  }

  /// -x.
  public static prefix func - (x: Tensor) -> Tensor {
    // Same shape as x: the allocation was already possible once.
    (try? x * Tensor(scalar: -1)) ?? x
  }

  /// a + scalar.
  public static func + (a: Tensor, b: Float) throws -> Tensor { try a + Tensor(scalar: b) }
  /// a - scalar.
  public static func - (a: Tensor, b: Float) throws -> Tensor { try a - Tensor(scalar: b) }
  /// a * scalar.
  public static func * (a: Tensor, b: Float) throws -> Tensor { try a * Tensor(scalar: b) }
  /// a / scalar.
  public static func / (a: Tensor, b: Float) throws -> Tensor { try a / Tensor(scalar: b) }
  /// scalar - a.
  public static func - (a: Float, b: Tensor) throws -> Tensor { try Tensor(scalar: a) - b }
  /// scalar * a.
  public static func * (a: Float, b: Tensor) throws -> Tensor { try b * Tensor(scalar: a) }

  /// Elementwise comparison: a bool tensor, 1 where true and 0 where false (no gradient).
  public func compare(_ op: ComparisonOp, _ other: Tensor) throws -> Tensor {
    switch op {
    case .equal: return try binaryApply(EqK.self, self, other, op: "==").tagged(.bool)
    case .notEqual: return try binaryApply(NeK.self, self, other, op: "!=").tagged(.bool)
    case .less: return try binaryApply(LtK.self, self, other, op: "<").tagged(.bool)
    case .lessEqual: return try binaryApply(LeK.self, self, other, op: "<=").tagged(.bool)
    case .greater: return try binaryApply(GtK.self, self, other, op: ">").tagged(.bool)
    case .greaterEqual: return try binaryApply(GeK.self, self, other, op: ">=").tagged(.bool)
    }
  }

  /// Picks `a` where `condition` is non-zero and `b` elsewhere (broadcasting all three).
  public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) throws -> Tensor {
    let shape = try broadcastShape(broadcastShape(condition.shape, a.shape, op: "where"), b.shape, op: "where")
    let mask = try binaryApply(NeK.self, condition.broadcastView(to: shape, op: "where"), Tensor(scalar: 0), op: "where")
    let av = try a.broadcastView(to: shape, op: "where").contiguous()
    let bv = try b.broadcastView(to: shape, op: "where").contiguous()
    defer { withExtendedLifetime((av, bv)) {} }  // raw pointers into them are used below
    let out = try Tensor(uninitialized: shape, what: "where")
    let m = mask.pointer, pa = av.pointer, pb = bv.pointer, o = out.mutablePointer
    for i in 0..<out.count { o[i] = m[i] != 0 ? pa[i] : pb[i] }
    let sa = a.shape, sb = b.shape
    out.record("where", [a, b]) { g in
      [try (g * mask).sum(to: sa), try (g * (Tensor(scalar: 1) - mask)).sum(to: sb)]
    }
    return out
  }
}

/// Elementwise comparison operators.
public enum ComparisonOp: String, Sendable {
  case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
}
