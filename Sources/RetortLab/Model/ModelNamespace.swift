// The `model` namespace: load a GGUF or safetensors model (path or known
// name), make a new one to train, and inspect a file's metadata without
// loading weights.

import Foundation
import RetortFiles
import RetortLang
import RetortModels

/// Generation keywords shared by generate, chat, conversation and answer.
let generationParams: [Param] = [
  .optional("max_tokens", "256"), .optional("temperature", "0.8"), .optional("top_k", "40"),
  .optional("top_p", "0.95"), .optional("min_p", "0.05"), .optional("repeat_penalty", "1.0"),
  .optional("seed", "42"), .optional("stop", "[]"),
]

/// Reads the generation keywords (defaults as listed in `generationParams`);
/// prompt and reply stay within `context` tokens when given (a model loaded
/// with a lower context).
func generationOptions(_ a: Args, context: Int? = nil) throws -> GenerationOptions {
  var s = SamplingOptions()
  s.temperature = try a.double("temperature", default: 0.8)
  s.topK = try a.int("top_k", default: 40)
  s.topP = try a.double("top_p", default: 0.95)
  s.minP = try a.double("min_p", default: 0.05)
  s.repeatPenalty = try a.double("repeat_penalty", default: 1.0)
  let seed = try a.int("seed", default: 42)
  s.seed = UInt64(bitPattern: Int64(seed))
  if s.temperature == 0 { s.topK = 1 }
  var o = GenerationOptions(maxTokens: try a.int("max_tokens", default: 256), sampling: s)
  if a.value("stop") != nil { o.stop = try a.strings("stop") }
  o.context = context
  try o.sampling.validate()
  return o
}

/// The value of a reply that streamed as it was generated: ends its line (or
/// marks it interrupted, or stopped by a full context) and notes the text, so the statement does not show it twice.
func streamedReply(_ r: GenerationResult, _ interp: Interpreter, context: Int? = nil) -> Value {
  switch r.finishReason {
  case .cancelled: interp.output("\n[interrupted]\n")
  // Said, so a short reply is not taken for the model's own end.
  case .contextFull: interp.output("\n[stopped: the context\(context.map { " of \(counted($0, "token"))" } ?? "") is full]\n")
  // An empty reply is the model's own choice, not a fault: say so.
  case .endOfSequence where r.text.isEmpty: interp.output("[the model ended at once: its first token was end-of-sequence]\n")
  default: interp.output("\n")
  }
  interp.streamedText = r.text
  return .string(r.text)
}

/// Runs domain code, turning ModelError into a script error.
func modelCall<T>(_ body: () throws -> T) throws -> T {
  do { return try body() } catch let e as ModelError { throw ScriptError(e.description) }
}

extension Lab {
  static func installModel(_ interp: Interpreter) {
    interp.define(namespace: Namespace(
      name: "model", doc: "Language models: load (GGUF, safetensors), new, info; then generate, chat, answer, train, lora, save.",
      functions: [
        NativeFunction(
          name: "load", params: [.required("path"), .optional("context", "min(2048, the model's context length)")],
          doc: "Load a .gguf model (a path, or a known name such as \"smollm2\" in $RETORT_MODELS, default ~/.cache/retort/models) or a .safetensors checkpoint written by m.save."
        ) { a in
          let path = try a.path("path")
          let requested = try a.optionalInt("context")
          let interp = a.interpreter
          if path.hasSuffix(".safetensors") {
            let t = try explainingCheckpoint(path) {
              try modelCall { try TrainableLlama.load(path, isCancelled: { interp.interruptRequested() }) }
            }
            let context = requested ?? min(2048, t.config.contextLength)
            guard context > 0, context <= t.config.contextLength else {
              throw ScriptError("model.load(): context must be in 1...\(t.config.contextLength), got \(context)")
            }
            return .object(try ModelValue(trainable: t, label: (path as NSString).lastPathComponent, context: context,
                                          sourceFile: path))
          }
          let progress = interp.progressFactory("loading", nil)
          defer { progress.finish() }
          let m = try explainingCheckpoint(path) {
            try modelCall {
              try LlamaModel(path, progress: { done, total in progress.update(done: done, note: "of \(total) layers") },
                             isCancelled: { interp.interruptRequested() })
            }
          }
          let context = requested ?? min(2048, m.config.contextLength)
          guard context > 0, context <= m.config.contextLength else {
            throw ScriptError("model.load(): context must be in 1...\(m.config.contextLength), got \(context)")
          }
          return .object(ModelValue(m, context: context))
        },
        NativeFunction(
          name: "new",
          params: [.optional("vocab", "259"), .optional("context", "128"), .optional("layers", "2"), .optional("heads", "4"),
                   .optional("kv_heads", "heads"), .optional("dim", "64"), .optional("hidden", "8*dim/3 rounded up to 8"),
                   .optional("seed", "0"), .optional("tokenizer", "byte-level")],
          doc: "A new randomly initialised Llama-style model to train (byte-level tokenizer with <|endoftext|>, <|im_start|>, <|im_end|>, or a tokenizer from tokenizer.train_bpe)."
        ) { a in
          var tok: Tokenizer? = nil
          if let v = a.value("tokenizer") {
            guard case .object(let o as TokenizerValue) = v else {
              throw ScriptError("model.new(): argument 'tokenizer' expects a tokenizer (tokenizer.train_bpe(...) or m.tokenizer), got \(v.typeName)")
            }
            tok = o.tok
          }
          let vocab = try a.int("vocab", default: tok?.vocabularySize ?? 259)
          let t = try modelCall {
            try TrainableLlama(vocab: vocab, context: try a.int("context", default: 128), layers: try a.int("layers", default: 2),
                               heads: try a.int("heads", default: 4), kvHeads: try a.optionalInt("kv_heads"),
                               dim: try a.int("dim", default: 64), hidden: try a.optionalInt("hidden"),
                               seed: try a.int("seed", default: 0), tokenizer: tok)
          }
          return .object(try ModelValue(trainable: t, label: "new"))
        },
        NativeFunction(
          name: "info", params: [.required("path")],
          doc: "The metadata of a .gguf file without loading its weights."
        ) { a in
          let path = try a.path("path")
          // Retort's own .safetensors keeps its shape in the header, but the weights come with it.
          if path.hasSuffix(".safetensors") {
            throw ScriptError("model.info(): '\(path)' is a .safetensors model; model.info reads .gguf files. Use model.load(\"\(path)\").info")
          }
          return infoValue(try modelCall { try ModelInfo(path) })
        },
      ]))
  }
}

/// A GGUF metadata value in the language; nil for a long array (shown by its summary).
func metadataValue(_ v: GGUFValue) -> Value? {
  switch v {
  case .string(let s): return .string(s)
  case .bool(let b): return .bool(b)
  case .float32, .float64: return v.double.map { .float($0) }
  case .array(_, let items):
    guard items.count <= 64 else { return nil }
    let values = items.compactMap(metadataValue)
    return values.count == items.count ? .list(ListBox(values)) : nil
  default: return v.int.map { .int($0) } ?? v.double.map { .float($0) }
  }
}

/// A model's metadata as a map (`model.info(path)` and `m.info`). `source`
/// is the file a model value was loaded from: a model built in memory
/// (model.new, trained, merged) has no file of its own, so its path is that
/// file (nil for model.new) and its file_bytes nil.
func infoValue(_ info: ModelInfo, source: String? = nil) -> Value {
  var pairs: [(String, Value)] = [
    ("path", info.inMemory ? source.map { .string($0) } ?? .none : .string(info.path)), ("fingerprint", .string(info.fingerprint)),
    ("architecture", .string(info.architecture)), ("parameters", .int(info.parameters)),
    ("file_bytes", info.inMemory ? .none : .int(info.fileBytes)),
  ]
  if let n = info.name { pairs.append(("name", .string(n))) }
  if let v = info.layers { pairs.append(("layers", .int(v))) }
  if let v = info.heads { pairs.append(("heads", .int(v))) }
  if let v = info.kvHeads { pairs.append(("kv_heads", .int(v))) }
  if let v = info.contextLength { pairs.append(("context_length", .int(v))) }
  pairs.append(("tensor_types", .map(info.tensorTypes.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) })))
  // Numbers as numbers and strings as strings (m.info["metadata"]["retort.train_template"] == "alpaca");
  // a long array (the tokenizer's) as its summary.
  let typed = Dictionary(info.metadataValues?.map { ($0.key, $0.value) } ?? [], uniquingKeysWith: { a, _ in a })
  pairs.append(("metadata", .map(info.metadata.map { entry in
    (entry.key, typed[entry.key].flatMap(metadataValue) ?? .string(entry.value))
  })))
  return .map(pairs)
}

/// Runs `load`; when it fails on a training checkpoint (train's checkpoint= file),
/// the error says what such a file is for instead of how it is not a model.
private func explainingCheckpoint<T>(_ path: String, _ load: () throws -> T) throws -> T {
  do {
    return try load()
  } catch {
    guard let run = try? TrainableLlama.checkpointSummary(path) else { throw error }
    throw ScriptError("model.load(): \(path) is a training checkpoint (\(run.steps) of \(counted(run.plannedSteps, "step"))), not a model: "
      + "load the model the run started from and continue it with m.train(ds, resume=\"\(path)\"), or m.save a model file")
  }
}
