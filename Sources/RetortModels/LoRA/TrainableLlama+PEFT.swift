// Adapters in Hugging Face PEFT's layout: a directory with
// `adapter_config.json` and `adapter_model.safetensors` holding
// `base_model.model.model.layers.N.self_attn.q_proj.lora_A.weight` [r, in]
// and `...lora_B.weight` [out, r]. B's rows of q and k are converted between
// GGUF's and HF's head layouts (see HFLayout), so `peft` applies them to the
// matching `transformers` model, and adapters trained there load here.

import Foundation
import RetortFiles

extension TrainableLlama {
  /// Writes the attached adapters as a PEFT directory (files replaced atomically).
  public func saveLoRA(_ dir: String, baseModel: String = "") throws {
    guard let lora else { throw ModelError("save_lora: no adapters are attached") }
    do {
      try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    } catch {
      throw ModelError("save_lora: cannot create directory \(dir): \(error.localizedDescription)")
    }
    var tensors: [(name: String, shape: [Int], values: [Float])] = []
    let r = lora.options.rank
    for l in 0..<config.layers {
      for kind in LinearKind.allCases {
        guard let (a, b) = lora.pair(l, kind) else { continue }
        let s = kind.shape(config)
        let prefix = "base_model.model.model.layers.\(l).\(kind.hfName)"
        var bv = Array(UnsafeBufferPointer(start: b, count: s.rows * r))
        if let h = HFLayout.permutedHeads(kind, config) {
          bv = HFLayout.permuteRows(bv, rows: s.rows, cols: r, heads: h, toHF: true)
        }
        tensors.append((prefix + ".lora_A.weight", [r, s.cols], Array(UnsafeBufferPointer(start: a, count: r * s.cols))))
        tensors.append((prefix + ".lora_B.weight", [s.rows, r], bv))
      }
    }
    // Trained embedding copies go as PEFT's modules_to_save: embed_tokens and lm_head (the same values when tied).
    var saved: Any = NSNull()
    if let emb = lora.copy("token_embd.weight") {
      let n = config.vocabularySize * config.dim, shape = [config.vocabularySize, config.dim]
      let out = lora.copy("output.weight") ?? emb
      tensors.append(("base_model.model.model.embed_tokens.weight", shape, Array(UnsafeBufferPointer(start: emb, count: n))))
      tensors.append(("base_model.model.lm_head.weight", shape, Array(UnsafeBufferPointer(start: out, count: n))))
      saved = ["embed_tokens", "lm_head"]
    }
    let modules = lora.options.targets.map { $0.hfName.split(separator: ".").last.map(String.init) ?? "" }
    let cfg: [String: Any] = [
      "peft_type": "LORA", "task_type": "CAUSAL_LM", "r": r, "lora_alpha": Self.shortDouble(lora.options.alpha),
      "lora_dropout": Self.shortDouble(lora.options.dropout), "target_modules": modules, "bias": "none",
      "fan_in_fan_out": false, "inference_mode": true, "init_lora_weights": true, "use_rslora": false,
      "use_dora": false, "modules_to_save": saved, "layers_to_transform": NSNull(),
      "base_model_name_or_path": baseModel, "revision": NSNull(),
    ]
    let json = try JSONSerialization.data(withJSONObject: cfg, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    try AtomicFile.write(try SafetensorsFile.encode(tensors, metadata: ["format": "pt"]), to: dir + "/adapter_model.safetensors")
    try AtomicFile.write([UInt8](json), to: dir + "/adapter_config.json")
    // Tokens extend_vocab added (user-defined ones) as Hugging Face's added_tokens.json,
    // {"piece": id}: the embedding rows above are theirs, and a Python user adds them
    // to the base tokenizer in id order (tokenizer.add_tokens) to use them.
    let added = tokenizer.types.indices.filter { tokenizer.types[$0] == .userDefined }
    if !added.isEmpty {
      let map = Dictionary(added.map { (tokenizer.tokens[$0], $0) }, uniquingKeysWith: { a, _ in a })
      let data = try JSONSerialization.data(withJSONObject: map, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
      try AtomicFile.write([UInt8](data), to: dir + "/added_tokens.json")
    } else {
      // A file left by an earlier save into this directory would add tokens this adapter has no rows for.
      unlink(dir + "/added_tokens.json")
    }
    // The prompt template the adapters were trained with, so a model that loads them is asked the
    // same way (peft ignores the file; m.save keeps the same in its metadata).
    if let t = trainedTemplate {
      let data = try JSONSerialization.data(withJSONObject: ["train_template": t.rawValue], options: [.sortedKeys])
      try AtomicFile.write([UInt8](data), to: dir + "/" + Self.adapterNotesFile)
    } else {
      unlink(dir + "/" + Self.adapterNotesFile)
    }
  }

  /// Retort's own file beside a saved adapter: {"train_template": "alpaca"|"chat"}.
  static let adapterNotesFile = "retort_adapter.json"

  /// The template recorded beside an adapter, if any (an unreadable file is no template).
  static func adapterTemplate(_ dir: String) -> PromptTemplate? {
    guard let data = FileManager.default.contents(atPath: dir + "/" + adapterNotesFile),
      let obj = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
      let name = obj["train_template"] as? String else { return nil }
    return PromptTemplate(rawValue: name)
  }

  /// A Float as the Double its shortest decimal names (0.05, not 0.05000000074505806).
  static func shortDouble(_ x: Float) -> Double { Double("\(x)") ?? Double(x) }

  /// Reads a PEFT adapter directory (written here or by `peft`) and attaches it.
  @discardableResult
  public func loadLoRA(_ dir: String) throws -> LoRAAdapters {
    guard lora == nil else { throw ModelError("load_lora: adapters are already attached; merge_lora() or unload_lora() first") }
    var isDir: ObjCBool = false
    if FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), !isDir.boolValue {
      throw ModelError("load_lora: \(dir) is a file; expected the directory that save_lora or peft wrote (adapter_config.json and adapter_model.safetensors)")
    }
    // An adapter trained over an extended vocabulary carries its tokens (added_tokens.json):
    // the same tokens are added here first, so its embedding rows line up.
    let extra = try addedTokens(dir)
    var c = config
    c.vocabularySize += extra.count
    let adapters = try LoRAAdapters(peftDirectory: dir, config: c, tiedOutput: tiedOutput)
    try appendTokens(extra)
    lora = adapters
    if let t = Self.adapterTemplate(dir) { trainedTemplate = t }
    return adapters
  }

  /// The tokens of `dir/added_tokens.json` ({"piece": id}) this vocabulary lacks, in id
  /// order; they must continue it (ids from its size on). Empty without the file.
  func addedTokens(_ dir: String) throws -> [String] {
    let path = dir + "/added_tokens.json"
    guard let data = FileManager.default.contents(atPath: path) else { return [] }
    guard let map = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
      throw ModelError("load_lora: \(path) is not a JSON object of {\"piece\": id}")
    }
    var entries: [(piece: String, id: Int)] = []
    for (piece, v) in map {
      guard let id = (v as? NSNumber)?.intValue, id >= 0 else { throw ModelError("load_lora: \(path): the id of \(piece.debugDescription) is not a token id") }
      entries.append((piece, id))
    }
    entries.sort { $0.id < $1.id }
    let vocab = tokenizer.vocabularySize
    for e in entries where e.id < vocab && tokenizer.tokens[e.id] != e.piece {
      throw ModelError("load_lora: \(path): token \(e.id) is \(e.piece.debugDescription) in the adapter but \(tokenizer.tokens[e.id].debugDescription) in this model (another base or vocabulary)")
    }
    let new = entries.filter { $0.id >= vocab }
    for (i, e) in new.enumerated() where e.id != vocab + i || tokenizer.id(of: e.piece) != nil {
      throw ModelError("load_lora: \(path): the adapter's tokens do not continue this model's vocabulary of \(vocab) (token \(e.id) \(e.piece.debugDescription)); extend it as the adapter's model was")
    }
    return new.map(\.piece)
  }
}

extension LoRAAdapters {
  /// Reads a PEFT adapter directory for a model of shape `config` (a
  /// loaded model's: `LlamaModel.adapted` applies them at inference).
  /// `modules_to_save` of embed_tokens and lm_head become trained embedding
  /// copies; on a model with tied embeddings, an lm_head that differs from
  /// embed_tokens becomes a copy of its own (`LoRAOptions.untiedOutput`).
  public convenience init(peftDirectory dir: String, config: LlamaConfig, tiedOutput: Bool = true) throws {
    let cfgPath = dir + "/adapter_config.json"
    guard let data = FileManager.default.contents(atPath: cfgPath) else {
      throw ModelError("load_lora: cannot read \(cfgPath)")
    }
    guard let cfg = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
      throw ModelError("load_lora: \(cfgPath) is not a JSON object")
    }
    if let t = cfg["peft_type"] as? String, t != "LORA" {
      throw ModelError("load_lora: \(cfgPath): peft_type is \(t); only LORA adapters are supported")
    }
    guard let r = (cfg["r"] as? NSNumber)?.intValue, r >= 1, r <= 4096 else {
      throw ModelError("load_lora: \(cfgPath): missing or bad \"r\" (expected an integer in 1...4096)")
    }
    var alpha = (cfg["lora_alpha"] as? NSNumber)?.floatValue ?? Float(r)
    if cfg["use_rslora"] as? Bool == true { alpha *= Float(r).squareRoot() }  // scale alpha/sqrt(r)
    if cfg["use_dora"] as? Bool == true { throw ModelError("load_lora: \(cfgPath): DoRA adapters are not supported") }
    for key in ["rank_pattern", "alpha_pattern"] {
      if let d = cfg[key] as? [String: Any], !d.isEmpty {
        throw ModelError("load_lora: \(cfgPath): per-module \(key) is not supported (one r and alpha for all targets)")
      }
    }
    if cfg["lora_bias"] as? Bool == true { throw ModelError("load_lora: \(cfgPath): lora_bias adapters are not supported") }
    var saved: [String] = []
    if let m = cfg["modules_to_save"], !(m is NSNull) {
      guard let list = m as? [String] else { throw ModelError("load_lora: \(cfgPath): modules_to_save must be a list of module names") }
      saved = list.map { $0.split(separator: ".").last.map(String.init) ?? $0 }
      if let other = saved.first(where: { $0 != "embed_tokens" && $0 != "lm_head" }) {
        throw ModelError("load_lora: \(cfgPath): modules_to_save \(other) is not supported (only embed_tokens and lm_head)")
      }
      guard saved.contains("embed_tokens") else {
        throw ModelError("load_lora: \(cfgPath): modules_to_save without embed_tokens is not supported")
      }
    }
    var names: [String] = []
    if let list = cfg["target_modules"] as? [String] { names = list }
    else if let s = cfg["target_modules"] as? String { names = [s] }
    var targets: [LinearKind] = []
    for n in names {
      guard let k = LinearKind(name: n) else {
        throw ModelError("load_lora: \(cfgPath): target module \(n) is not one of q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj")
      }
      targets.append(k)
    }
    guard !targets.isEmpty else { throw ModelError("load_lora: \(cfgPath): target_modules is empty") }
    targets.sort { $0.index < $1.index }
    let st = try SafetensorsFile(path: dir + "/adapter_model.safetensors")
    var copies: (embedding: [Float], output: [Float]?)?
    if !saved.isEmpty {
      let shape = [config.vocabularySize, config.dim]
      func module(_ name: String) throws -> [Float]? {
        guard let key = st.entries.keys.sorted().first(where: { $0.hasSuffix(name + ".weight") }) else { return nil }
        return try st.floats(key, shape: shape)
      }
      guard let emb = try module("embed_tokens") else {
        throw ModelError("load_lora: \(dir)/adapter_model.safetensors has no embed_tokens weight for modules_to_save")
      }
      copies = (emb, try module("lm_head"))
    }
    // A tied model keeps one copy unless lm_head was trained apart from embed_tokens.
    let untied = tiedOutput && copies.map { $0.output != nil && $0.output != $0.embedding } == true
    try self.init(config: config, options: LoRAOptions(
      rank: r, alpha: alpha, dropout: min(0.99, max(0, (cfg["lora_dropout"] as? NSNumber)?.floatValue ?? 0)), targets: targets,
      trainEmbeddings: copies != nil, untiedOutput: untied), tiedOutput: tiedOutput)
    if let copies {
      for (name, v) in [("token_embd.weight", copies.embedding), ("output.weight", copies.output ?? copies.embedding)] {
        guard let dst = copy(name) else { continue }
        v.withUnsafeBufferPointer { if let p = $0.baseAddress { dst.update(from: p, count: v.count) } }
      }
    }
    func find(_ l: Int, _ kind: LinearKind, _ ab: String) throws -> String {
      let suffix = "layers.\(l).\(kind.hfName).\(ab)"
      for cand in [suffix + ".weight", suffix + ".default.weight"] {
        if let hit = st.entries.keys.first(where: { $0.hasSuffix(cand) }) { return hit }
      }
      throw ModelError("load_lora: \(dir)/adapter_model.safetensors has no tensor for \(suffix)")
    }
    for l in 0..<config.layers {
      for kind in targets {
        guard let (a, b) = pair(l, kind) else { continue }
        let s = kind.shape(config)
        let av = try st.floats(try find(l, kind, "lora_A"), shape: [r, s.cols])
        var bv = try st.floats(try find(l, kind, "lora_B"), shape: [s.rows, r])
        if let h = HFLayout.permutedHeads(kind, config) {
          bv = HFLayout.permuteRows(bv, rows: s.rows, cols: r, heads: h, toHF: false)
        }
        av.withUnsafeBufferPointer { if let p = $0.baseAddress { a.update(from: p, count: av.count) } }
        bv.withUnsafeBufferPointer { if let p = $0.baseAddress { b.update(from: p, count: bv.count) } }
      }
    }
  }
}
