// `retort bench train --config tiny|small`: training tokens/s of a fresh
// byte-level model (fused forward/backward + AdamW), with PyTorch (eager,
// same model and thread count; Scripts/reference/train_torch.py) measured in
// the same run, step for step in alternation, when a Python with torch is
// available ($RETORT_PYTHON or python3).
// `retort bench lora --model smollm2 --seq 256`: median seconds of one LoRA
// step (r=8, all seven projections, batch 1) on the frozen Q4_1 model, with
// torch + peft (Scripts/reference/lora_torch.py) side by side.

import Foundation
import RetortCompute
import RetortModels

extension BenchRegistry {
  static let train = BenchSuite(
    name: "train", summary: "training tokens/s of a tiny/small Llama from scratch (vs PyTorch eager)",
    options: [("config", "tiny", "tiny (4x128, ctx 128) or small (6x384, ctx 256), batch 16"),
              ("threads", "2", "worker threads (and torch.set_num_threads)"),
              ("steps", "0", "timed steps (0 = 16 tiny / 4 small)"), ("peer", "true", "also measure PyTorch"),
              ("rounds", "0", "rounds of `steps` steps, ours alternating step by step with PyTorch's (0 = 5 tiny / 3 small); medians and the median step ratio are reported"),
              ("save", "", "write the trained model to this .gguf/.safetensors path")]
  ) { args, out in
    let threads = try args.int("threads")
    let name = args.string("config")
    let shape: (ctx: Int, layers: Int, heads: Int, dim: Int, hidden: Int)
    switch name {
    case "tiny": shape = (128, 4, 4, 128, 344)
    case "small": shape = (256, 6, 6, 384, 1024)
    default: throw BenchError("train: --config must be tiny or small, got '\(name)'")
    }
    var steps = try args.int("steps")
    if steps <= 0 { steps = name == "tiny" ? 16 : 4 }
    var rounds = try args.int("rounds")
    if rounds <= 0 { rounds = name == "tiny" ? 5 : 3 }
    guard threads >= 1 else { throw BenchError("train: --threads must be positive") }
    let warm = 2, batch = 16
    let rng = CounterRNG(seed: 2)
    let rows = (0..<((steps + warm) * batch)).map { r in (0..<shape.ctx).map { rng.int(r * shape.ctx + $0, below: 256) } }
    var o = TrainOptions()
    o.steps = steps + warm; o.batch = batch; o.seq = shape.ctx; o.lr = 3e-4; o.clip = 1; o.packing = true
    // Our steps alternate with the peer's, one for one (the peer waits for a line on stdin between
    // steps), so load changes on a shared machine hit both sides alike; each pair gives a ratio.
    // The peer answers 50 ms after its step: its OpenMP workers spin for a few ms after each
    // parallel region, and spinning during our step would take our cores (ours ran 25% slower).
    let peer = args.bool("peer") ? torchPeerSession("train_torch.py", ["--config", name, "--threads", String(threads),
                                                                     "--warmup", String(warm), "--serve", "--settle", "0.05"], threads: threads) : nil
    var ours: [Double] = [], theirs: [Double] = [], ratios: [Double] = [], roundRatios: [Double] = []
    var peerError: Error? = nil
    var model: TrainableLlama? = nil
    var finalLoss: Float = 0
    let start = benchNow()
    for _ in 0..<rounds {
      let m = try TrainableLlama(vocab: 256, context: shape.ctx, layers: shape.layers, heads: shape.heads,
                                 dim: shape.dim, hidden: shape.hidden, seed: 1)
      var last = benchNow()
      var pairs: [Double] = []
      let run = try WorkerPool.with(WorkerPool.pool(threads: threads)) {
        try m.train(.tokens(rows), options: o, progress: { p in
          let ourStep = benchNow() - last
          if p.step > warm {
            ours.append(ourStep)
            if let (session, _) = peer, peerError == nil {
              do {
                guard let t = try session.request("step")["step_s"] as? Double else { throw BenchError("train: the peer's answer has no step_s") }
                theirs.append(t)
                pairs.append(t / ourStep)
              } catch { peerError = error }
            }
          }
          last = benchNow()
        })
      }
      finalLoss = run.loss.last ?? 0
      model = m
      ratios += pairs
      if !pairs.isEmpty { roundRatios.append(median(pairs)) }
    }
    let tps = Double(batch * shape.ctx) / median(ours)
    var fields: [(String, BenchValue)] = [
      ("config", .string(name)), ("threads", .int(threads)), ("params", .int(model?.parameterCount ?? 0)),
      ("tokens_per_s", .double(tps)), ("step_s", .double(Double(batch * shape.ctx) / tps)), ("steps", .int(steps)),
      ("rounds", .int(rounds)), ("final_loss", .double(Double(finalLoss))), ("wall_s", .double(benchNow() - start)),
      ("peak_rss_mb", .double(peakResidentMB()))]
    if !theirs.isEmpty {
      // ratio: the median of the step-by-step ratios; the spread of the rounds' medians shows how noisy the machine was.
      fields += [("torch_tokens_per_s", .double(Double(batch * shape.ctx) / median(theirs))), ("ratio", .double(median(ratios))),
                 ("ratio_min", .double(roundRatios.min() ?? 0)), ("ratio_max", .double(roundRatios.max() ?? 0)),
                 ("torch_attention", .string(peer?.1["attn"] as? String ?? ""))]
    } else if args.bool("peer") {
      out.note("train: PyTorch peer unavailable (set RETORT_PYTHON to a python with torch)")
    }
    // A peer that stopped answering leaves the pairs it made; ours are measured either way.
    if let peerError { out.note("train: the PyTorch peer stopped after \(theirs.count) steps: \(peerError)") }
    out.emit("train", fields)
    let save = args.string("save")
    if !save.isEmpty, let model { try model.save(save) }
  }
}
