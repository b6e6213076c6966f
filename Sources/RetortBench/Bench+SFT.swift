// `retort bench sft --model smollm2 --data seed_tasks.jsonl --mode lora|full`:
// an end-to-end instruction-tuning trial on real data (self-instruct seed
// tasks: `instruction` plus `instances` of `{input, output}`), reporting the
// held-out loss before and after, the training loss curve's ends and tokens/s;
// `--save` writes the result (.gguf with --quant, or a PEFT directory for LoRA).

import Foundation
import RetortCompute
import RetortModels

extension BenchRegistry {
  static let sft = BenchSuite(
    name: "sft", summary: "instruction tuning trial on a seed-task JSONL file: held-out loss before/after, tokens/s",
    options: [("model", "smollm2", "model name or .gguf path"), ("data", "/work/shared/data/alpaca/seed_tasks.jsonl", "JSONL seed tasks"),
              ("mode", "lora", "lora (frozen quantized base) or full (f32 copy)"), ("steps", "10", "optimizer steps"),
              ("batch", "4", "rows per step"), ("seq", "256", "tokens per row"), ("lr", "0", "learning rate (0 = 2e-4 LoRA, 2e-5 full)"),
              ("template", "chat", "chat or alpaca"), ("threads", "2", "worker threads"),
              ("save", "", "output: .gguf path (full or merged) or a directory (PEFT adapter)"), ("quant", "q4_1", "GGUF type for --save")]
  ) { args, out in
    let threads = try args.int("threads"), steps = try args.int("steps")
    let mode = args.string("mode")
    guard mode == "lora" || mode == "full" else { throw BenchError("sft: --mode must be lora or full") }
    guard let template = PromptTemplate(rawValue: args.string("template")) else { throw BenchError("sft: --template must be chat or alpaca") }
    let examples = try seedExamples(args.string("data"))
    guard examples.count >= 10 else { throw BenchError("sft: \(args.string("data")) has only \(examples.count) examples") }
    let held = Array(examples.suffix(examples.count / 10)), train = Array(examples.prefix(examples.count - held.count))
    try WorkerPool.with(WorkerPool.pool(threads: threads)) {
      let path = try ModelCache.resolve(args.string("model"))
      let m = try TrainableLlama.load(path, quantizedBase: mode == "lora")
      if mode == "lora" { try m.attachLoRA(LoRAOptions(rank: 8, alpha: 16)) }
      var o = TrainOptions()
      o.steps = steps; o.batch = try args.int("batch"); o.seq = try args.int("seq"); o.template = template
      o.lr = try args.double("lr") > 0 ? Float(try args.double("lr")) : (mode == "lora" ? 2e-4 : 2e-5)
      o.warmup = min(2, steps - 1); o.packing = true
      let before = try m.evalLoss(.instructions(held), template: template, seq: o.seq, batch: o.batch)
      let run = try m.train(.instructions(train), options: o, eval: .instructions(held), progress: { p in
        out.note(String(format: "step %d/%d  loss %.4f  %.0f tok/s  eta %.0fs", p.step, p.totalSteps, p.loss, p.tokensPerSecond, p.eta))
      })
      out.emit("sft", [("mode", .string(mode)), ("examples", .int(train.count)), ("held_out", .int(held.count)),
                       ("trainable_params", .int(run.trainableParameters)), ("steps", .int(run.steps)),
                       ("eval_loss_before", .double(Double(before))), ("eval_loss_after", .double(Double(run.evalLoss.last ?? 0))),
                       ("loss_first", .double(Double(run.loss.first ?? 0))), ("loss_last", .double(Double(run.loss.last ?? 0))),
                       ("tokens_per_s", .double(run.tokensPerSecond)), ("wall_s", .double(run.wallTime)),
                       ("peak_rss_mb", .double(peakResidentMB()))])
      let save = args.string("save")
      if save.hasSuffix(".gguf") { try m.save(save, quant: args.string("quant")) }
      else if !save.isEmpty { try m.saveLoRA(save, baseModel: path) }
    }
  }
}

/// Instruction examples from self-instruct seed tasks (one per instance).
func seedExamples(_ path: String) throws -> [InstructionExample] {
  guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw BenchError("sft: cannot read \(path)") }
  var out: [InstructionExample] = []
  for (n, line) in text.split(separator: "\n").enumerated() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
    guard let obj = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any],
          let instruction = obj["instruction"] as? String else {
      throw BenchError("sft: \(path):\(n + 1): expected a JSON object with \"instruction\"")
    }
    for inst in obj["instances"] as? [[String: Any]] ?? [] {
      out.append(InstructionExample(instruction: instruction, input: inst["input"] as? String ?? "",
                                    output: inst["output"] as? String ?? ""))
    }
  }
  return out
}
