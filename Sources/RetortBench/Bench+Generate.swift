// `retort bench generate --model PATH --prompt 512 --gen 128 --threads 2`:
// prompt-processing and generation tokens/s (medians, as llama-bench's pp
// and tg tests) and peak resident memory; with --llama-bench PATH, runs
// llama.cpp's llama-bench on the same file in the same run and adds ratios.

import Foundation
import RetortModels

extension BenchRegistry {
  static let generate = BenchSuite(
    name: "generate", summary: "model prompt/generation tokens/s and peak RSS (vs llama-bench)",
    options: [("model", "smollm2", "GGUF path or known model name"), ("prompt", "512", "prompt tokens (pp)"),
              ("gen", "128", "generated tokens (tg)"), ("threads", "2", "worker threads"),
              ("repeats", "5", "timed runs per test"),
              ("lora", "", "PEFT adapter directory applied at inference (as after m.lora and train)"),
              ("llama-bench", "", "path of llama.cpp's llama-bench to measure side by side")]
  ) { args, out in
    let threads = try args.int("threads"), pp = try args.int("prompt"), tg = try args.int("gen")
    let repeats = try args.int("repeats")
    guard threads > 0, pp > 0, tg > 0, repeats > 0 else { throw BenchError("generate: --threads, --prompt, --gen, --repeats must be positive") }
    // The compute core's shared pool reads its size once, on first use.
    setenv("RETORT_THREADS", String(threads), 1)
    var model: LlamaModel
    do { model = try LlamaModel(args.string("model")) } catch { throw BenchError("\(error)") }
    let lora = args.string("lora")
    if !lora.isEmpty && !args.string("llama-bench").isEmpty {
      throw BenchError("generate: --lora and --llama-bench together would compare different models (llama-bench runs the base)")
    }
    if !lora.isEmpty { model = try model.adapted(LoRAAdapters(peftDirectory: lora, config: model.config)) }
    let c = model.config
    let cache = try model.makeCache(context: pp + tg)
    // Deterministic pseudo-random prompt tokens (llama-bench also uses random tokens).
    var state: UInt64 = 12345
    let tokens = (0..<pp).map { _ -> Int in
      state = state &* 6364136223846793005 &+ 1442695040888963407
      return Int(state >> 33) % c.vocabularySize
    }
    let ppTimes = try benchTimes(repeats: repeats, warmup: 1) {
      cache.truncate(to: 0)
      _ = try model.forward(tokens, cache: cache)
    }
    let tgTimes = try benchTimes(repeats: repeats, warmup: 1) {
      cache.truncate(to: 0)
      var t = tokens[0]
      for _ in 0..<tg {
        let logits = try model.forward([t], cache: cache)
        t = logits.indices.max { logits[$0] < logits[$1] } ?? 0
      }
    }
    let promptTPS = Double(pp) / median(ppTimes), genTPS = Double(tg) / median(tgTimes)
    let fileMB = Double(model.file.file.count) / 1_048_576, kvMB = Double(cache.byteCount) / 1_048_576
    var fields: [(String, BenchValue)] = [
      ("model", .string((model.file.path as NSString).lastPathComponent)), ("threads", .int(threads)),
      ("prompt", .int(pp)), ("gen", .int(tg)), ("prompt_tps", .double(promptTPS)), ("gen_tps", .double(genTPS)),
      ("peak_rss_mb", .double(peakResidentMB())), ("file_mb", .double(fileMB)), ("kv_cache_mb", .double(kvMB)),
      ("repeats", .int(repeats)),
    ]
    if !lora.isEmpty { fields.append(("lora", .string((lora as NSString).lastPathComponent))) }
    let peer = args.string("llama-bench")
    if !peer.isEmpty {
      let r = try llamaBench(peer, model: model.file.path, pp: pp, tg: tg, threads: threads, repeats: repeats)
      fields += [("llama_pp_tps", .double(r.pp)), ("llama_tg_tps", .double(r.tg)),
                 ("prompt_ratio", .double(promptTPS / r.pp)), ("gen_ratio", .double(genTPS / r.tg))]
    }
    out.emit("generate", fields)
  }

  /// Runs llama-bench and returns its average pp and tg tokens/s.
  static func llamaBench(_ path: String, model: String, pp: Int, tg: Int, threads: Int, repeats: Int) throws -> (pp: Double, tg: Double) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = ["-m", model, "-p", String(pp), "-n", String(tg), "-t", String(threads), "-r", String(repeats), "-o", "json"]
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = FileHandle.nullDevice
    do { try p.run() } catch { throw BenchError("cannot run llama-bench at \(path): \(error)") }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    guard let rows = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
      throw BenchError("llama-bench at \(path) gave no JSON output")
    }
    var ppTS = Double.nan, tgTS = Double.nan
    for r in rows {
      let nPrompt = r["n_prompt"] as? Int ?? 0, nGen = r["n_gen"] as? Int ?? 0
      let ts = r["avg_ts"] as? Double ?? .nan
      if nPrompt > 0 && nGen == 0 { ppTS = ts }
      if nGen > 0 && nPrompt == 0 { tgTS = ts }
    }
    return (ppTS, tgTS)
  }
}
