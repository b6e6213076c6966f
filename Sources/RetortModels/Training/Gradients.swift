// Gradient buffers parallel to the trainable values: the model's flat
// parameters (full training) and/or the LoRA adapters.

import RetortCompute

/// Accumulated gradients of one optimizer step.
final class Gradients {
  /// d loss / d model parameters (nil when the base is frozen).
  let model: FloatBuffer?
  /// d loss / d adapter parameters (nil without LoRA).
  let lora: FloatBuffer?

  init(model m: TrainableLlama, trainBase: Bool) {
    model = trainBase ? FloatBuffer(count: m.values.count) : nil
    lora = m.lora.map { FloatBuffer(count: $0.values.count) }
    zero()
  }

  /// Clears both buffers, split over the worker pool (the model's gradients
  /// are as large as the model: tens of MB for the small benchmark config).
  func zero() {
    for buffer in [model, lora].compactMap({ $0 }) {
      let p = buffer.pointer
      WorkerPool.current.parallelRanges(buffer.count, grain: 1 << 18) { r in
        (p + r.lowerBound).update(repeating: 0, count: r.count)
      }
    }
  }

  /// Gradient pointer of the model tensor at `offset`.
  func model(_ offset: Int) -> UnsafeMutablePointer<Float>? { model.map { $0.pointer + offset } }
}
