// Errors raised by the compute core. Every failure a user can cause (bad
// shapes, indices, sizes, quantized data) is one of these, never a crash.

/// An error from a tensor operation, with a message naming the operation,
/// the offending argument and what was expected.
public struct ComputeError: Error, CustomStringConvertible, Equatable {
  /// The message shown to the user, e.g.
  /// `matmul: shapes [2, 3] and [4, 5] do not align: 3 vs 4`.
  public let description: String

  /// Creates an error with the full message.
  public init(_ message: String) { description = message }
}

/// Formats a shape the way NumPy prints lists: `[2, 3]`.
@inlinable
public func shapeString(_ shape: [Int]) -> String {
  "[" + shape.map(String.init).joined(separator: ", ") + "]"
}
