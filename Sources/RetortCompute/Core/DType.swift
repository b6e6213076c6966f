// What a tensor's values mean. Storage is always f32; a bool tensor holds
// 0 and 1 and is told apart by this tag, so comparisons stay SIMD kernels.

/// The element type of a tensor.
///
/// `bool` tensors come from comparisons, logical ops and lists of booleans.
/// They display as `true`/`false`, select as masks in indexing (`t[t > 0]`),
/// and arithmetic or reductions on them give f32 0s and 1s (`mask.sum()` counts).
/// Views (reshape, transpose, slicing, selection) keep the type.
public enum DType: String, Sendable {
  case f32, bool
}

extension Tensor {
  /// This tensor tagged as `dtype` (self, retagged; for freshly made results).
  @discardableResult
  func tagged(_ dtype: DType) -> Tensor {
    self.dtype = dtype
    return self
  }
}
