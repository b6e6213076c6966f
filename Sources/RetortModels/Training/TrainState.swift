// Where an interrupted run stopped, so that `train(resume:)` continues it as
// if it had never stopped: the optimizer moments, the data position (epoch
// and row), and keys that check that the model and the data are the ones the
// run left. Only interrupted runs keep it (the moments of a full fine-tune
// are twice the model's size), and it is handed over once.

/// The state an interrupted run leaves for `train(resume:)`.
public final class TrainState: @unchecked Sendable {
  var adam: AdamW?, adamLoRA: AdamW?
  let epoch: Int, cursor: Int
  let dataKey: UInt64
  /// Nil for a state read from a checkpoint file (`resumeRun(checkpoint:)` checked the model).
  let modelKey: TrainState.ModelKey?
  weak var model: TrainableLlama?
  /// For a state read from a file: puts the run's trained values into the
  /// model, once `train` has checked the data (so a refused resume changes nothing).
  var restore: (() -> Void)?
  /// Whether a later `train(resume:)` took it over.
  public internal(set) var used = false

  /// The model as the run left it: base weights' revision, the adapters
  /// object, and a hash of the adapter values.
  struct ModelKey: Equatable {
    var baseRevision: Int
    var lora: ObjectIdentifier?
    var loraHash: UInt64
  }

  init(adam: AdamW?, adamLoRA: AdamW?, epoch: Int, cursor: Int, dataKey: UInt64, model: TrainableLlama,
       restore: (() -> Void)? = nil) {
    self.adam = adam; self.adamLoRA = adamLoRA; self.epoch = epoch; self.cursor = cursor; self.dataKey = dataKey
    self.model = model
    self.restore = restore
    modelKey = restore == nil ? model.resumeKey : nil
  }

  /// FNV-1a over the fitted examples' tokens and targets.
  static func dataKey(_ examples: [TokenizedExample]) -> UInt64 {
    var h = FNV1a()
    for e in examples {
      var count = Int32(e.tokens.count)
      withUnsafeBytes(of: &count) { h.mix($0) }
      e.tokens.withUnsafeBytes { h.mix($0) }
      e.targets.withUnsafeBytes { h.mix($0) }
    }
    return h.value
  }
}

extension TrainableLlama {
  /// What must not have changed for a run to resume.
  var resumeKey: TrainState.ModelKey {
    var h = FNV1a()
    if let lora { h.mix(UnsafePointer(lora.values.pointer), count: lora.values.count) }
    return TrainState.ModelKey(baseRevision: baseRevision, lora: lora.map { ObjectIdentifier($0) }, loraHash: h.value)
  }

  /// The state of `run` if it can be resumed on this model, or an error saying why not.
  func resumable(_ run: TrainRun) throws -> TrainState {
    // A completed run read from a file still hands over its trained weights.
    guard run.steps < run.plannedSteps || run.state?.restore != nil else {
      throw ModelError("train: the run completed \(run.plannedSteps == 1 ? "its 1 step" : "all its \(run.plannedSteps) steps"); there is nothing to resume (start a new run)")
    }
    guard let st = run.state else { throw ModelError("train: this run kept no state to resume from") }
    guard !st.used else { throw ModelError("train: this run was already resumed; resume the run that call returned") }
    guard st.model === self else { throw ModelError("train: the run was trained on another model; resume it on that one") }
    guard st.modelKey == nil || st.modelKey == resumeKey else {
      throw ModelError("train: the model changed since the run stopped (trained again, adapters attached, merged or loaded, or weights set); the run cannot resume")
    }
    return st
  }
}
