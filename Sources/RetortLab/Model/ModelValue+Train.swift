// `m.train(ds, ...)`: reads the keywords into TrainOptions, converts the
// dataset, runs the trainer with a progress bar ("loss 2.31 · 850 tok/s")
// and Ctrl-C as cancellation, then refreshes the inference model.

import Foundation
import RetortData
import RetortFiles
import RetortLang
import RetortModels

/// The keywords of `m.train`.
let trainParams: [Param] = [
  .required("ds"), .optional("epochs", "1 (when steps is not given)"), .optional("steps"), .optional("lr", "3e-4"),
  .optional("schedule", "\"cosine\""), .optional("warmup", "0"), .optional("min_lr_ratio", "0"), .optional("batch", "8"),
  .optional("seq", "min(256, context)"), .optional("grad_accum", "1"), .optional("weight_decay", "0"), .optional("clip", "1.0"),
  .optional("seed", "0"), .optional("template", "\"alpaca\""), .optional("eval"), .optional("eval_every", "0"),
  .optional("packing", "true"), .optional("checkpointing", "false"), .optional("checkpoint"),
  .optional("checkpoint_every", "0"), .optional("resume"),
]

/// Reads the training keywords, naming the argument on bad values.
func trainOptions(_ a: Args) throws -> TrainOptions {
  var o = TrainOptions()
  o.epochs = try a.optionalInt("epochs")
  o.steps = try a.optionalInt("steps")
  if let s = o.steps, s <= 0 { throw ScriptError("train(): argument 'steps' must be at least 1, got \(s)") }
  if let e = o.epochs, e <= 0 { throw ScriptError("train(): argument 'epochs' must be at least 1, got \(e)") }
  if let s = o.steps, let e = o.epochs {
    throw ScriptError("train(): give steps or epochs, not both (steps=\(s) would end the run whatever epochs=\(e) says)")
  }
  o.lr = try a.float("lr", default: 3e-4)
  let schedule = try a.string("schedule", default: "cosine")
  guard let sch = LRSchedule(rawValue: schedule) else {
    throw ScriptError("train(): argument 'schedule' must be \"cosine\", \"linear\" or \"constant\", got \"\(schedule)\"")
  }
  o.schedule = sch
  o.warmup = try a.int("warmup", default: 0)
  o.minLRRatio = try a.float("min_lr_ratio", default: 0)
  o.batch = try a.int("batch", default: 8)
  o.seq = try a.optionalInt("seq")
  o.gradAccum = try a.int("grad_accum", default: 1)
  o.weightDecay = try a.float("weight_decay", default: 0)
  o.clip = try a.float("clip", default: 1)
  o.seed = try a.int("seed", default: 0)
  let template = try a.string("template", default: "alpaca")
  guard let tpl = PromptTemplate(rawValue: template) else {
    throw ScriptError("train(): argument 'template' must be \"alpaca\" or \"chat\", got \"\(template)\"")
  }
  o.template = tpl
  o.evalEvery = try a.int("eval_every", default: 0)
  if o.evalEvery > 0 && !a.has("eval") {
    throw ScriptError("train(): argument 'eval_every' needs eval= (held-out data to evaluate on)")
  }
  o.packing = try a.bool("packing", default: true)
  o.gradientCheckpointing = try a.bool("checkpointing", default: false)
  o.checkpoint = try a.optionalPath("checkpoint")
  o.checkpointEvery = try a.int("checkpoint_every", default: 0)
  if o.checkpointEvery < 0 { throw ScriptError("train(): argument 'checkpoint_every' must be >= 0, got \(o.checkpointEvery)") }
  if o.checkpointEvery > 0 && o.checkpoint == nil && !a.has("resume") {
    throw ScriptError("train(): argument 'checkpoint_every' needs checkpoint=\"file\" to write to")
  }
  return o
}

/// A dataset (instruction records) or a list of texts as training data.
func trainingData(_ v: Value, _ arg: String) throws -> TrainingData {
  let purpose = arg == "eval" ? "evaluate on" : "train on"
  let data: TrainingData
  let count: Int
  if case .object(let o as DatasetValue) = v {
    let ex = o.ds.records.map { InstructionExample(instruction: $0.instruction, input: $0.input, output: $0.output) }
    if let i = ex.firstIndex(where: { $0.output.isEmpty }) {
      throw ScriptError("train(): argument '\(arg)': record \(i) has no output to \(purpose)")
    }
    data = .instructions(ex)
    count = ex.count
  } else {
    let texts = try textsOf(v, "train(): argument '\(arg)'")
    data = .text(texts)
    count = texts.count
  }
  guard count > 0 else { throw ScriptError("train(): argument '\(arg)' is empty; nothing to \(purpose)") }
  return data
}

func train(_ m: ModelValue, _ a: inout Args) throws -> Value {
  guard let dsValue = a.value("ds") else { throw ScriptError("train(): missing ds") }
  let data = try trainingData(dsValue, "ds")
  var eval = try a.value("eval").map { try trainingData($0, "eval") }
  let o = try trainOptions(a)
  let interp = a.interpreter
  var resume: TrainRun? = nil
  var resumePath: String? = nil
  if let v = a.value("resume") {
    switch v {
    case .object(let r as RunValue):
      resume = r.run
      // The run goes on evaluating on its own held-out data, as it goes on with its other settings.
      if eval == nil { eval = r.evalData }
    case .string(let path): resumePath = expandHome(path)
    case .bool(true): resumePath = try checkpointToResume(o, model: m, interp)
    case .bool(false): break
    default:
      throw ScriptError("train(): argument 'resume' expects a Run (from an interrupted m.train), a checkpoint file, or true (with checkpoint=), got \(v.typeName)")
    }
    // The run continues with its own settings: any other given setting is an error, not silently ignored.
    // checkpoint_every may change: how often the state is saved does not change the run.
    if case .bool = v {} else if let given = trainParams.map(\.name).first(where: { !["ds", "eval", "resume", "checkpoint_every"].contains($0) && a.has($0) }) {
      throw ScriptError("train(): resume= continues the run with its own settings; drop argument '\(given)'")
    }
  }
  let tl: TrainableLlama
  var attached = false
  var resumeNote = ""
  if let path = resumePath {
    (tl, resume, attached, resumeNote) = try resumeFromCheckpoint(m, path, interp)
    // A file holds the run's settings but not its held-out data.
    if eval == nil, let r = resume, let last = r.evalSteps.last, r.steps < r.plannedSteps {
      resumeNote += "note: the run evaluated on held-out data (last at step \(last)); pass eval= again to go on evaluating\n"
    }
  } else {
    tl = try m.trainableCopy(quantizedBase: false, interp)
  }
  // A resumed run saves its state as often as this call says (resume=true restates every setting).
  var restated = false
  if case .bool(true)? = a.value("resume") { restated = true }
  if var r = resume, a.has("checkpoint_every") || restated {
    if o.checkpointEvery > 0 && r.options.checkpoint == nil {
      throw ScriptError("train(): argument 'checkpoint_every': the run resumed writes no checkpoint file (start it with checkpoint=\"file\")")
    }
    r.options.checkpointEvery = o.checkpointEvery
    resume = r
  }
  // Full fine-tuning of a model whose base was kept quantized for LoRA (adapters since removed).
  if tl.lora == nil && tl.hasQuantizedBase { try modelCall { try tl.widenToF32() } }
  var progress: ProgressSink? = nil
  defer { progress?.finish() }
  let run: TrainRun
  do {
    run = try modelCall {
      try tl.train(data, options: o, eval: eval, resume: resume, prepared: { stats in
        // Said only now that the data is known to be the run's own: a refused resume claims nothing.
        interp.output(resumeNote)
        resumeNote = ""
        let seq = (resume?.options ?? o).seq ?? min(256, tl.config.contextLength)
        if let note = RunValue.dataWarning(stats, seq: seq) { interp.output(note + "\n") }
      }, progress: { p in
        if progress == nil { progress = interp.progressFactory("training", p.totalSteps) }
        // The bar (or log line) shows count, rate and ETA; the note adds loss and throughput,
        // or how far an evaluation has come.
        if let e = p.evaluated {
          progress?.update(done: p.step, note: "evaluating \(e.done)/\(e.total) rows")
        } else {
          progress?.update(done: p.step, note: String(format: "loss %.3f · %.0f tok/s", Double(p.loss), p.tokensPerSecond))
        }
      }, isCancelled: { interp.interruptRequested() })
    }
  } catch {
    // A refused resume leaves the model as it was: adapters attached for it come off again.
    if attached { tl.unloadLoRA() }
    throw error
  }
  // (A completed run is accepted without preparing any rows.)
  interp.output(resumeNote)
  // A run resumed in this session counted its earlier steps already.
  m.trainedSteps += run.steps - (resumePath == nil ? resume?.steps ?? 0 : 0)
  // (train also set the trainable copy's template, which m.trainedTemplate reads.)
  if run.steps > 0 { try m.refresh() }
  if let i = run.loss.firstIndex(where: { !$0.isFinite }) {
    interp.output("train: the loss became \(Display.formatFloat(Double(run.loss[i]))) at step \(i + 1), so the weights no longer mean anything; try a lower lr (this run had \(Display.formatFloat(Double(run.options.lr)))) or clip=1.0\n")
  }
  if let e = run.checkpointError {
    interp.output(run.steps < run.plannedSteps
      ? "train: the checkpoint could not be written after step \(run.steps) of \(run.plannedSteps), so the run stopped there: \(e)\n"
      : "train: the checkpoint could not be written at the end of the run: \(e)\n")
  }
  if run.cancelled {
    var note = "training interrupted after \(run.steps) of \(counted(run.plannedSteps, "step")); the weights and the run so far are kept (m.train(ds, resume=run) continues it"
    if let path = run.options.checkpoint, run.checkpointError == nil { note += "; so does m.train(ds, resume=\"\(path)\") in a later session" }
    interp.output(note + ")\n")
  }
  return .object(RunValue(run, evalData: eval))
}

/// For `resume=true`: the checkpoint file to continue, or nil (a fresh run)
/// when there is none yet. A run saved with other settings is an error.
func checkpointToResume(_ o: TrainOptions, model m: ModelValue, _ interp: Interpreter) throws -> String? {
  guard let path = o.checkpoint else {
    throw ScriptError("train(): resume=true needs checkpoint=\"file\": it continues the run saved there, if there is one")
  }
  guard FileManager.default.fileExists(atPath: path) else {
    interp.output("train: no checkpoint at \(path) yet; starting the run\n")
    return nil
  }
  let saved = try modelCall { try TrainableLlama.checkpointSummary(path) }
  var want = o
  if want.seq == nil { want.seq = min(256, m.model.config.contextLength) }
  // How often the state is saved may change (it does not change the run).
  let diffs = want.differences(from: saved.options).filter { $0.name != "checkpoint_every" }
  guard diffs.isEmpty else {
    let list = diffs.prefix(4).map { "\($0.name) \($0.mine) here, \($0.theirs) there" }.joined(separator: "; ")
    throw ScriptError("train(): \(path) holds a run with other settings (\(list)); give the same settings, another checkpoint file, or resume=false to start over")
  }
  return path
}

/// The trainable copy with a checkpoint's run read into it: a LoRA run keeps
/// the loaded base quantized and gets its adapters attached if they are not.
/// Also returns what to say once the run's data is accepted.
func resumeFromCheckpoint(_ m: ModelValue, _ path: String, _ interp: Interpreter) throws -> (TrainableLlama, TrainRun, Bool, String) {
  let adapters = try modelCall { try TrainableLlama.checkpointSummary(path).lora }
  let tl = try m.trainableCopy(quantizedBase: adapters != nil, interp)
  if tl.lora == nil && tl.hasQuantizedBase && adapters == nil { try modelCall { try tl.widenToF32() } }
  var attached = false
  if let adapters, tl.lora == nil {
    _ = try modelCall { try tl.attachLoRA(adapters) }
    attached = true
  }
  do {
    let run = try modelCall { try tl.resumeRun(checkpoint: path) }
    var note = attached ? "train: attached the run's LoRA adapters (r=\(adapters?.rank ?? 0)) to resume it\n" : ""
    note += run.steps < run.plannedSteps
      ? "train: resuming the run of \(path) after step \(run.steps) of \(run.plannedSteps)\n"
      : "train: the run of \(path) completed \(run.plannedSteps == 1 ? "its 1 step" : "all its \(run.plannedSteps) steps"); the model takes its trained weights\n"
    return (tl, run, attached, note)
  } catch {
    if attached { tl.unloadLoRA() }
    throw error
  }
}
