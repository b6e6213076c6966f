// Errors raised by RetortModels: every one names the file, tensor, key or
// argument at fault and what was expected.

/// An error from loading, tokenizing or running a model. `description` is
/// the message the language layer shows as `error: <description>`.
public struct ModelError: Error, CustomStringConvertible, Equatable {
  public let description: String
  public init(_ description: String) { self.description = description }
}
