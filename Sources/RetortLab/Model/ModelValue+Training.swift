// Training methods of a model value: train, lora / merge_lora / unload_lora,
// extend_vocab, save, save_lora, load_lora. The trainable copy is made on
// first use (f32 for full fine-tuning; a frozen quantized base for LoRA) and,
// after anything that changes the weights, the inference model is rebuilt
// from it so generate / chat / answer use the new weights.

import Foundation
import RetortFiles
import RetortData
import RetortLang
import RetortModels

extension ModelValue {
  // swiftlint:disable:next function_body_length
  static func installTraining(_ t: TypeInfo) {
    t.property("trainable", "Parameters the next train() updates (the adapters when LoRA is attached).") { (m: ModelValue) in
      .int(m.nextTrainParameters)
    }
    t.method("train", trainParams,
             "Supervised fine-tuning on a dataset (prompt masked, response + EOS trained) or a list of texts; returns a Run. Examples longer than seq are truncated (texts in packed rows continue into the next row instead), and those left with nothing to train are skipped; train says so, and run.data counts them. packing=true fills rows of seq tokens with whole examples, packing=false gives each example its own row. Ctrl-C stops after the current step and keeps the weights; m.train(ds, resume=run) then continues that run (its settings, optimizer state and data position) as if it had not stopped. checkpoint=\"file\" also writes that state to a file (atomically: every checkpoint_every steps, on Ctrl-C and at the end), and m.train(ds, resume=\"file\") continues the run from it in a later session, attaching the run's LoRA adapters if needed (a completed run just gives the model its trained weights). A resumed run keeps its settings; only checkpoint_every may be given anew. resume=true with checkpoint= and the usual settings does that when the file exists and starts the run when it does not, so a script rerun after a crash carries on where it stopped. checkpointing=true is another thing: gradient checkpointing (recompute activations to save memory).") {
      (m: ModelValue, a: inout Args) in
      try train(m, &a)
    }
    t.method("lora", [.optional("r", "8"), .optional("alpha", "16"), .optional("dropout", "0"),
                      .optional("targets", "[\"q\", \"k\", \"v\", \"o\", \"gate\", \"up\", \"down\"]"), .optional("seed", "0"),
                      .optional("train_embeddings", "false")],
             "Attach LoRA adapters (B = 0, outputs unchanged; a quantized base stays frozen and quantized); returns the trainable parameter count. After training, a loaded model generates (generate / chat / answer) from its own, still quantized weights with the adapters applied on the fly, and m.fingerprint names both. train_embeddings=true also trains a copy of the token embeddings (and of an untied output layer), as PEFT's modules_to_save=[\"embed_tokens\", \"lm_head\"] does: what tokens added by extend_vocab need. save_lora writes it in that layout.") {
      (m: ModelValue, a: inout Args) in
      var targets: [LinearKind] = LinearKind.allCases
      if a.has("targets") {
        targets = try a.strings("targets").map { name in
          guard let k = LinearKind(name: name) else {
            throw ScriptError("lora(): argument 'targets': unknown target \"\(name)\"; expected some of q, k, v, o, gate, up, down")
          }
          return k
        }
      }
      let o = LoRAOptions(rank: try a.int("r", default: 8), alpha: try a.float("alpha", default: 16),
                          dropout: try a.float("dropout", default: 0), targets: targets,
                          seed: try a.int("seed", default: 0), trainEmbeddings: try a.bool("train_embeddings", default: false))
      let tl = try m.trainableCopy(quantizedBase: true, a.interpreter)
      let count = try modelCall { try tl.attachLoRA(o) }
      if tl.untrainedTokens > 0 && !o.trainEmbeddings {
        a.interpreter.output("lora: the \(counted(tl.untrainedTokens, "token")) added by extend_vocab keep their mean embeddings: LoRA trains only the projections; pass train_embeddings=true to train the embeddings too, or train them first with full fine-tuning (as BELLE's LLaMA-EXT did)\n")
      }
      return .int(count)
    }
    t.method("merge_lora", [], "Add the adapters into the base weights (widened to f32) and remove them.") {
      (m: ModelValue, _: inout Args) in
      let tl = try m.requireLoRA("merge_lora")
      try modelCall { try tl.mergeLoRA() }
      try m.refresh()
      return .none
    }
    t.method("unload_lora", [], "Remove the adapters, going back to the base weights.") {
      (m: ModelValue, _: inout Args) in
      let tl = try m.requireLoRA("unload_lora")
      tl.unloadLoRA()
      try m.refresh()
      return .none
    }
    t.method("extend_vocab", [.required("tokens"), .optional("texts"), .optional("ascii")],
             "Add tokens (a list of strings, or a trained tokenizer's pieces); new embedding rows are the mean of the old, trained by full fine-tuning (LoRA leaves them as they are, and lora() says so). Given texts, shows tokens per character before and after. From a tokenizer, pieces that are part of a character are skipped, and so are all-ASCII pieces when the model has merges of its own (they would re-cut English it already reads), unless ascii=true.") {
      (m: ModelValue, a: inout Args) in
      try extendVocab(m, &a)
    }
    t.method("save", [.required("path"), .optional("quant")],
             "Write the weights (LoRA merged) atomically: .safetensors (f32), or .gguf with quant \"f32\" (default), \"f16\", \"q8_0\", \"q4_0\" or \"q4_1\". The prompt template the model was trained with goes too, so answer() on the reloaded model asks in it.") {
      (m: ModelValue, a: inout Args) in
      let path = try a.path("path")
      let quant = try a.string("quant", default: "f32")
      let tl = try m.trainableCopy(quantizedBase: false, a.interpreter)
      let types = try modelCall { try tl.save(path, quant: quant) }
      // A block type applies only where rows divide into blocks (as in llama.cpp): say what went how.
      if let counts = types, quant != "f32", quant != "f16" {
        if counts[.f16] != nil {
          let parts = counts.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key.name < $1.key.name) }
            .map { "\($0.value) \($0.key.name)" }
          a.interpreter.output("saved \(path): tensors \(parts.joined(separator: ", ")) (norms stay f32; "
            + "matrices whose rows are not a multiple of the block size go f16\(quant.hasPrefix("q4") ? ", embeddings q8_0" : ""))\n")
        }
      }
      return .none
    }
    t.method("save_lora", [.required("dir"), .optional("base_model", "the Hugging Face id of a known model, else \"\"")],
             "Write the adapters in Hugging Face PEFT layout (adapter_config.json, adapter_model.safetensors); base_model is written as base_model_name_or_path (HuggingFaceTB/SmolLM2-135M-Instruct for smollm2).") {
      (m: ModelValue, a: inout Args) in
      let dir = try a.path("dir")
      let tl = try m.requireLoRA("save_lora")
      let known = m.sourceFile.flatMap { ModelCache.huggingFaceRepo(forFile: $0) } ?? ""
      try modelCall { try tl.saveLoRA(dir, baseModel: try a.string("base_model", default: known)) }
      return .none
    }
    t.method("load_lora", [.required("dir")], "Attach adapters from a PEFT directory (written here or by peft, modules_to_save embed_tokens and lm_head included, even trained apart on a tied model); returns their parameter count.") {
      (m: ModelValue, a: inout Args) in
      let dir = try a.path("dir")
      let tl = try m.trainableCopy(quantizedBase: true, a.interpreter)
      let adapters = try modelCall { try tl.loadLoRA(dir) }
      try m.refresh()
      return .int(adapters.parameterCount)
    }
  }

  /// The trainable copy, made on first use from the inference model.
  func trainableCopy(quantizedBase: Bool, _ interp: Interpreter) throws -> TrainableLlama {
    if let t = trainable { return t }
    let progress = interp.progressFactory("copying weights", model.config.layers)
    defer { progress.finish() }
    let t = try modelCall {
      try TrainableLlama(model: model, quantizedBase: quantizedBase,
                         progress: { d, _ in progress.update(done: d, note: "layers") },
                         isCancelled: { interp.interruptRequested() })
    }
    trainable = t
    source = (model, t.baseRevision)
    return t
  }

  /// The trainable copy when it has adapters, else an error naming the operation.
  func requireLoRA(_ op: String) throws -> TrainableLlama {
    guard let t = trainable, t.lora != nil else {
      throw ScriptError("\(op)(): no LoRA adapters are attached; call m.lora(...) or m.load_lora(dir) first")
    }
    return t
  }

  /// Rebuilds the inference model from the trainable copy. While the base
  /// weights are those of the loaded model, that model runs with the adapters
  /// applied on the fly (quantized speed and memory, the function QLoRA
  /// trained); otherwise the weights, adapters merged, go through an f32 file.
  func refresh() throws {
    guard let t = trainable else { return }
    if label == nil { label = model.info.name ?? (model.file.path as NSString).lastPathComponent }
    if let (base, revision) = source, revision == t.baseRevision {
      model = try modelCall { try t.lora.map { try base.adapted($0) } ?? base }
      return
    }
    model = try modelCall { try t.makeLlamaModel() }
  }

  /// The summary shown for a model whose weights live in memory (no volatile file names).
  func memorySummary(_ label: String) -> String {
    let c = model.config
    let total = trainable?.totalParameterCount ?? model.info.parameters
    var lines = ["model \(label) (in memory)",
                 "  architecture llama, \(total) parameters",
                 "  \(counted(c.layers, "layer")), width \(c.dim), \(c.heads) heads, \(c.kvHeads) KV heads, SwiGLU \(c.ffnDim)",
                 "  \(ModelInfo.contextText(c.contextLength, loaded: context)), vocabulary \(c.vocabularySize)"]
    if let t = trainable {
      if let l = t.lora {
        let targets = l.options.targets.map(\.rawValue).joined(separator: ", ")
        let embeddings = !l.options.trainEmbeddings ? "" : t.outputTied == t.tiedOutput
          ? " and a copy of the embeddings" : " and copies of the embeddings and the output layer"
        lines.append("  LoRA r=\(l.options.rank) alpha=\(Display.formatFloat(Double(l.options.alpha))) on \(targets)\(embeddings): \(l.parameterCount) trainable parameters")
      } else {
        lines.append("  trainable: \(nextTrainParameters) parameters" + (t.hasQuantizedBase ? " (full fine-tuning widens the quantized base to f32)" : ""))
      }
    }
    if trainedSteps > 0 { lines.append("  trained \(trainedSteps) step\(trainedSteps == 1 ? "" : "s")") }
    return lines.joined(separator: "\n")
  }
}

/// Texts from a dataset (instruction, input and output of each record), a list of strings or a string.
func textsOf(_ v: Value, _ what: String) throws -> [String] {
  switch v {
  case .object(let o as DatasetValue):
    return o.ds.records.map { r in [r.instruction, r.input, r.output].filter { !$0.isEmpty }.joined(separator: "\n") }
  case .string(let s): return [s]
  case .list(let box):
    return try box.items.enumerated().map { i, item in
      guard case .string(let s) = item else { throw ScriptError("\(what)[\(i)] is \(item.typeNameWithArticle); expected a string") }
      return s
    }
  default: throw ScriptError("\(what) is \(v.typeNameWithArticle); expected a dataset or a list of strings")
  }
}

private func extendVocab(_ m: ModelValue, _ a: inout Args) throws -> Value {
  guard let tokens = a.value("tokens") else { throw ScriptError("extend_vocab(): missing tokens") }
  let texts = try a.value("texts").map { try textsOf($0, "extend_vocab(): argument 'texts'") }
  let tl = try m.trainableCopy(quantizedBase: false, a.interpreter)
  let before = tl.tokenizer.vocabularySize
  let tpcBefore = texts.map { tl.tokenizer.tokensPerCharacter($0) }
  let added: Int
  var skipped: [String] = []
  if case .object(let o as TokenizerValue) = tokens {
    let ascii = a.has("ascii") ? try a.bool("ascii", default: false) : nil
    let r = try modelCall { try tl.extendVocab(from: o.tok, ascii: ascii) }
    added = r.added
    if r.partial > 0 { skipped.append("\(r.partial) that are part of a character") }
    if r.ascii > 0 { skipped.append("\(r.ascii) all-ASCII (ascii=true adds them)") }
  } else {
    let pieces = try textsOf(tokens, "extend_vocab(): argument 'tokens'")
    added = try modelCall { try tl.extendVocab(pieces) }
    // Said, not silent: pieces the tokenizer already reads as one token add nothing.
    let known = Set(pieces.filter { !$0.isEmpty }).count - added
    if known > 0 { skipped.append("\(known) already \(known == 1 ? "a single token" : "single tokens")") }
  }
  try m.refresh()
  var line = "added \(counted(added, "token")) (vocabulary \(before) -> \(tl.tokenizer.vocabularySize))"
  if let texts, let b = tpcBefore {
    let after = tl.tokenizer.tokensPerCharacter(texts)
    line += String(format: "; tokens per character %.3f -> %.3f on ", b, after) + counted(texts.count, "text")
  }
  if !skipped.isEmpty { line += "; skipped pieces: " + skipped.joined(separator: ", ") }
  a.interpreter.output(line + "\n")
  return .int(added)
}

extension ModelValue {
  /// Parameters the next train() updates: the adapters when LoRA is attached,
  /// else every weight (full fine-tuning trains an f32 copy of a quantized base).
  var nextTrainParameters: Int {
    guard let t = trainable else { return model.info.parameters }
    if t.lora != nil || !t.hasQuantizedBase { return t.trainableParameterCount }
    return model.info.parameters
  }
}
