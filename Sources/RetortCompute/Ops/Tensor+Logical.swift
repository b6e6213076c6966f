// Logical and, or, not: bool tensors from any tensors (non-zero is true),
// with broadcasting. The comparisons that also make bool tensors are in
// Tensor+Arithmetic.swift.

extension Tensor {
  /// True where both `a` and `b` are non-zero (broadcasting); a bool tensor, no gradient.
  public static func logicalAnd(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    try binaryApply(AndK.self, a, b, op: "logical_and").tagged(.bool)
  }

  /// True where `a` or `b` is non-zero (broadcasting); a bool tensor, no gradient.
  public static func logicalOr(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    try binaryApply(OrK.self, a, b, op: "logical_or").tagged(.bool)
  }

  /// True where this tensor is zero; a bool tensor, no gradient.
  public func logicalNot() throws -> Tensor {
    try binaryApply(EqK.self, self, Tensor(scalar: 0), op: "logical_not").tagged(.bool)
  }
}

/// 1 where both inputs are non-zero (NaN counts as non-zero, as in NumPy).
enum AndK: BinaryKernel {
  @inline(__always) static func simd(_ a: V16, _ b: V16) -> V16 {
    V16(repeating: 0).replacing(with: 1, where: (a .!= 0) .& (b .!= 0))
  }
  @inline(__always) static func scalar(_ a: Float, _ b: Float) -> Float { a != 0 && b != 0 ? 1 : 0 }
}

/// 1 where either input is non-zero.
enum OrK: BinaryKernel {
  @inline(__always) static func simd(_ a: V16, _ b: V16) -> V16 {
    V16(repeating: 0).replacing(with: 1, where: (a .!= 0) .| (b .!= 0))
  }
  @inline(__always) static func scalar(_ a: Float, _ b: Float) -> Float { a != 0 || b != 0 ? 1 : 0 }
}
