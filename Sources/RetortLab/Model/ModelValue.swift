// A model in the language: display, tokenizer, generate, chat,
// conversations, perplexity and batch answering. Training methods are
// registered in ModelValue+Training.swift; a model keeps a trainable copy
// (created on first train / lora) beside the inference model.

import Foundation
import RetortLang
import RetortModels

/// A model as a language value.
final class ModelValue: HostObject {
  static let type = TypeInfo("Model", doc: "A language model (loaded from GGUF / safetensors, or new); generate, chat, train, lora, save.") { t in
    t.property("fingerprint", "16 hex digits identifying the weights (and attached adapters).") { (m: ModelValue) in .string(m.model.fingerprint) }
    t.property("path", "The file the model was loaded from (.gguf or .safetensors; none for model.new), even after training changed its weights.") {
      (m: ModelValue) -> Value in m.sourceFile.map { Value.string($0) } ?? Value.none
    }
    t.property("context", "Context size used for generation.") { (m: ModelValue) in .int(m.context) }
    t.property("tokenizer", "The tokenizer (encode, decode).") { (m: ModelValue) in .object(TokenizerValue(m.model.tokenizer)) }
    t.property("info", "Metadata as a map, as model.info(path) gives it (path, fingerprint, layers, tensor_types, metadata, ...).") { (m: ModelValue) in infoValue(m.model.info, source: m.sourceFile) }
    t.method("tokenize", [.required("text")], "A table of token ids and pieces.") { (m: ModelValue, a: inout Args) in
      let rows = m.model.tokenizer.table(try a.string("text")).map { [String($0.id), Display.quote($0.piece)] }
      return .object(TextBlockValue(Table(headers: ["id", "piece"], rows: rows, rightAligned: [0]).render(width: 100)))
    }
    t.method("generate", [.required("prompt")] + generationParams,
             "Continue the prompt; text streams as generated; Ctrl-C stops and keeps it. temperature=0 is greedy.") {
      (m: ModelValue, a: inout Args) in
      let prompt = try a.string("prompt")
      let opts = try generationOptions(a, context: m.context)
      let interp = a.interpreter
      let r = try modelCall {
        try m.model.generate(prompt, options: opts, onText: { interp.output($0) }, isCancelled: { interp.interruptRequested() })
      }
      return streamedReply(r, interp, context: m.context)
    }
    t.method("chat", [.required("messages")] + generationParams,
             "Reply under the model's chat template to a string or a list of {\"role\", \"content\"} maps.") {
      (m: ModelValue, a: inout Args) in
      let messages = try chatMessages(a)
      let opts = try generationOptions(a, context: m.context)
      let interp = a.interpreter
      let r = try modelCall {
        try m.model.chat(messages, options: opts, onText: { interp.output($0) }, isCancelled: { interp.interruptRequested() })
      }
      return streamedReply(r, interp, context: m.context)
    }
    t.method("conversation", [.optional("system")] + generationParams, "A conversation that keeps its turns (c.send(text)).") {
      (m: ModelValue, a: inout Args) in
      let opts = try generationOptions(a)
      let conv = try modelCall {
        try Conversation(model: m.model, system: try a.optionalString("system"), options: opts, context: m.context)
      }
      return .object(ConversationValue(conv))
    }
    t.method("logprob", [.required("prompt"), .required("completion"), .optional("template", "none: the prompt as it is")],
             "Log-likelihood of completion after prompt (natural log, from exact f32 activations): {logprob, tokens, mean, greedy}; greedy says whether each token is the most likely one; a list of completions gives a list (multiple-choice scoring). template=\"chat\" or \"alpaca\" renders the prompt as answer() does.") {
      (m: ModelValue, a: inout Args) in try logprob(m, &a)
    }
    t.method("perplexity", [.required("text"), .optional("context", "256")],
             "Perplexity as llama.cpp's perplexity tool computes it (windows of context tokens, second halves scored; the text needs at least 2 x context tokens). The default context is 256, or the model's context length if that is shorter.") {
      (m: ModelValue, a: inout Args) in
      let text = try a.string("text")
      let context = try a.int("context", default: min(256, m.model.config.contextLength))
      let interp = a.interpreter
      // Made at the first window, when the count is known, so the bar shows a percentage and ETA.
      var progress: ProgressSink? = nil
      defer { progress?.finish() }
      let r = try modelCall {
        try m.model.perplexity(text, context: context, progress: { d, t in
          if progress == nil { progress = interp.progressFactory("perplexity windows", t) }
          progress?.update(done: d, note: "")
        }, isCancelled: { interp.interruptRequested() })
      }
      // A partial perplexity looks like a whole one: an error keeps it out of variables (the old value stays).
      if r.cancelled {
        let total = r.textTokens / max(1, context)
        throw ScriptError("perplexity interrupted after \(r.windows) of \(total) windows (\(Display.formatFloat(r.perplexity)) over those; nothing was assigned)")
      }
      return .float(r.perplexity)
    }
    t.method("answer", [.required("prompts"), .optional("template", "the one it was trained with, else \"chat\""), .optional("cache"), .optional("resume", "true")] + generationParams,
             "Answer a list of prompts, or a dataset (returning it with an answer field); answers are appended to the cache file as produced and resumed from it. A model trained in this session is prompted in the template it was trained with (train's default is \"alpaca\") unless template= says otherwise.") {
      (m: ModelValue, a: inout Args) in
      try answer(m, &a)
    }
    installTraining(t)
  }

  var typeInfo: TypeInfo { Self.type }
  /// The inference model; replaced by `refresh()` after training changes the weights.
  var model: LlamaModel
  let context: Int
  /// The trainable copy (f32, or a frozen quantized base with LoRA), once created.
  var trainable: TrainableLlama?
  /// The loaded model the trainable copy was made from, and the copy's base
  /// revision then (see `refresh`).
  var source: (model: LlamaModel, revision: Int)?
  /// What to call the model once its weights no longer come from a file (nil: still the loaded file).
  var label: String?
  /// Optimizer steps trained through this value.
  var trainedSteps = 0
  /// The prompt template the model was last trained with ("alpaca" or
  /// "chat"): answer() prompts in it unless told otherwise, so a model trained
  /// with the defaults is asked questions the way it learnt them. A file that
  /// m.save wrote after training keeps it (retort.train_template).
  var trainedTemplate: String? { (trainable?.trainedTemplate ?? model.trainedTemplate)?.rawValue }
  /// The file the model was loaded from (nil for model.new); `model.file` is a
  /// temporary file once the weights live in memory.
  let sourceFile: String?

  init(_ model: LlamaModel, context: Int) {
    self.model = model
    self.context = context
    self.sourceFile = model.file.path
  }

  /// A model that lives in memory (made by model.new, or loaded from the safetensors file `sourceFile`).
  init(trainable: TrainableLlama, label: String, context: Int? = nil, sourceFile: String? = nil) throws {
    self.trainable = trainable
    self.model = try trainable.makeLlamaModel()
    self.context = context ?? trainable.config.contextLength
    self.label = label
    self.sourceFile = sourceFile
  }

  func render(_ context: RenderContext) throws -> String {
    // Both name the context generation holds (model.load's context=) when it is not the file's.
    label.map { memorySummary($0) } ?? model.info.summary(loadedContext: self.context)
  }
}

/// `messages`: a string (one user message) or a list of {"role", "content"} maps.
func chatMessages(_ a: Args) throws -> [ChatMessage] {
  guard let v = a.value("messages") else { throw ScriptError("chat(): missing messages") }
  if case .string(let s) = v { return [ChatMessage(role: "user", content: s)] }
  guard case .list(let items) = v else {
    throw ScriptError("chat(): argument 'messages' expects a string or a list of {\"role\", \"content\"} maps, got \(v.typeName)")
  }
  var out: [ChatMessage] = []
  for (i, item) in items.items.enumerated() {
    guard case .map(let box) = item,
          case .string(let role)? = box[.string("role")], case .string(let content)? = box[.string("content")] else {
      throw ScriptError("chat(): messages[\(i)] must be a map with string \"role\" and \"content\"")
    }
    guard ["system", "user", "assistant"].contains(role) else {
      throw ScriptError("chat(): messages[\(i)] has role \"\(role)\"; expected \"system\", \"user\" or \"assistant\"")
    }
    out.append(ChatMessage(role: role, content: content))
  }
  guard !out.isEmpty else { throw ScriptError("chat(): messages is empty; give a string or at least one {\"role\", \"content\"} map") }
  return out
}
