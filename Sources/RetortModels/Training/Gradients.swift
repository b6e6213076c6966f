// Gradient buffers parallel to the trainable values: the model's flat
// parameters (full training) and/or the LoRA adapters.

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

  func zero() {
    if let model { model.pointer.update(repeating: 0, count: model.count) }
    if let lora { lora.pointer.update(repeating: 0, count: lora.count) }
  }

  /// Gradient pointer of the model tensor at `offset`.
  func model(_ offset: Int) -> UnsafeMutablePointer<Float>? { model.map { $0.pointer + offset } }
}
