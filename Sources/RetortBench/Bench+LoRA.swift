// `retort bench lora --model smollm2 --seq 256`: median time of one LoRA
// training step (r=8, alpha 16, q/k/v/o/gate/up/down, batch 1) with the base
// frozen in its GGUF quantization (forward on the fused quantized kernels),
// and torch + peft on the same file (Scripts/reference/lora_torch.py).

import Foundation
import RetortCompute
import RetortModels

extension BenchRegistry {
  static let lora = BenchSuite(
    name: "lora", summary: "one LoRA step (r=8, 7 targets, batch 1) on a GGUF model, seconds (vs torch+peft)",
    options: [("model", "smollm2", "model name or .gguf path"), ("seq", "256", "tokens per step"),
              ("threads", "2", "worker threads"), ("steps", "5", "timed steps"),
              ("peer", "true", "also measure torch + peft"),
              ("save-adapter", "", "write the trained adapter (PEFT layout) and reference logits to this directory"),
              ("train-embeddings", "false", "also train a copy of the embeddings (PEFT modules_to_save)")]
  ) { args, out in
    let threads = try args.int("threads"), seq = try args.int("seq"), steps = try args.int("steps")
    guard seq >= 2, steps >= 1 else { throw BenchError("lora: --seq must be >= 2 and --steps >= 1") }
    let path = try ModelCache.resolve(args.string("model"))
    let loaded = try LlamaModel(path)
    let m = try TrainableLlama(model: loaded, quantizedBase: true)
    let count = try m.attachLoRA(LoRAOptions(rank: 8, alpha: 16, dropout: 0, seed: 1, trainEmbeddings: args.bool("train-embeddings")))
    let warm = 1
    let rng = CounterRNG(seed: 3)
    let v = m.config.vocabularySize
    let rows = (0..<(steps + warm)).map { r in (0..<seq).map { rng.int(r * seq + $0, below: v) } }
    var o = TrainOptions()
    o.steps = steps + warm; o.batch = 1; o.seq = seq; o.lr = 1e-4; o.packing = true
    var stamps: [Double] = []
    let start = benchNow()
    stamps.append(start)
    guard threads >= 1 else { throw BenchError("lora: --threads must be positive") }
    _ = try WorkerPool.with(WorkerPool.pool(threads: threads)) {
      try m.train(.tokens(rows), options: o, progress: { _ in stamps.append(benchNow()) })
    }
    let times = ((warm + 1)..<stamps.count).map { stamps[$0] - stamps[$0 - 1] }
    let med = median(times)
    var fields: [(String, BenchValue)] = [
      ("model", .string((path as NSString).lastPathComponent)), ("seq", .int(seq)), ("threads", .int(threads)),
      ("trainable_params", .int(count)), ("step_s", .double(med)), ("steps", .int(times.count)),
      ("peak_rss_mb", .double(peakResidentMB()))]
    if args.bool("peer"), let peer = torchPeer("lora_torch.py", ["--gguf", path, "--seq", String(seq), "--threads", String(threads),
                                                                  "--steps", String(steps)], threads: threads),
       let ps = peer["step_s"] as? Double {
      fields += [("torch_step_s", .double(ps)), ("ratio", .double(ps / med))]
    } else if args.bool("peer") {
      out.note("lora: torch + peft peer unavailable (set RETORT_PYTHON to a python with torch, transformers, peft, gguf)")
    }
    out.emit("lora", fields)
    let dir = args.string("save-adapter")
    if !dir.isEmpty {
      try m.saveLoRA(dir, baseModel: path)
      let prompt = loaded.tokenizer.encode("The capital of France is")
      let adapted = try m.logits(prompt)
      let base = m.unloadLoRA()
      let plain = try m.logits(prompt)
      if let base { try m.attach(base) }
      let vocab = m.config.vocabularySize, last = (prompt.count - 1) * vocab
      let json: [String: Any] = ["tokens": prompt, "adapted_last": Array(adapted[last..<(last + vocab)]),
                                 "base_last": Array(plain[last..<(last + vocab)])]
      try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: dir + "/retort_logits.json"))
    }
  }
}
