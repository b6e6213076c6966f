// The `model` namespace through a full interpreter, on a tiny random model
// written with RetortModels' GGUF writer (the real model is not needed).

import Foundation
import Testing
import RetortModels

struct ModelBindingTests {
  /// A 1-layer model over a byte vocabulary (256 tokens + 2 control tokens).
  static let path: String = {
    var w = GGUFWriter()
    let enc: [String] = (0..<256).map { b in
      let printable = (33...126).contains(b) || (161...172).contains(b) || (174...255).contains(b)
      return String(Character(Unicode.Scalar(UInt32(printable ? b : 0))!))
    }
    // Non-printable bytes map to 256+n as in GPT-2's byte encoder.
    var n: UInt32 = 0
    let tokens = enc.enumerated().map { b, s -> String in
      if s != "\u{0}" || b == 0 && (33...126).contains(0) { return s }
      defer { n += 1 }
      return String(Character(Unicode.Scalar(256 + n)!))
    } + ["<|im_start|>", "<|im_end|>"]
    let dim = 32, ffn = 64, vocab = tokens.count
    for (k, v) in [("general.architecture", GGUFValue.string("llama")), ("llama.block_count", .uint32(1)),
                   ("llama.context_length", .uint32(128)), ("llama.embedding_length", .uint32(UInt32(dim))),
                   ("llama.feed_forward_length", .uint32(UInt32(ffn))), ("llama.attention.head_count", .uint32(2)),
                   ("llama.attention.head_count_kv", .uint32(1)), ("tokenizer.ggml.model", .string("gpt2")),
                   ("tokenizer.ggml.pre", .string("gpt2")), ("tokenizer.ggml.eos_token_id", .uint32(UInt32(vocab - 1))),
                   ("tokenizer.chat_template", .string("{{'<|im_start|>' + message['role'] }}"))] {
      w.set(k, v)
    }
    w.set("tokenizer.ggml.tokens", .array(of: .string, tokens.map { .string($0) }))
    w.set("tokenizer.ggml.token_type", .array(of: .int32, (0..<vocab).map { .int32($0 >= 256 ? 3 : 1) }))
    w.set("tokenizer.ggml.merges", .array(of: .string, []))
    var s: UInt64 = 5
    func r(_ c: Int) -> [Float] {
      (0..<c).map { _ in s = s &* 6364136223846793005 &+ 1; return Float(Int64(bitPattern: s) >> 40) / Float(1 << 23) * 0.5 }
    }
    try? w.add(tensor: "token_embd.weight", shape: [dim, vocab], type: .q8_0, values: r(dim * vocab))
    try? w.add(tensor: "output_norm.weight", shape: [dim], values: [Float](repeating: 1, count: dim))
    try? w.add(tensor: "blk.0.attn_norm.weight", shape: [dim], values: [Float](repeating: 1, count: dim))
    try? w.add(tensor: "blk.0.ffn_norm.weight", shape: [dim], values: [Float](repeating: 1, count: dim))
    for (name, shape) in [("attn_q", [dim, dim]), ("attn_k", [dim, dim / 2]), ("attn_v", [dim, dim / 2]),
                          ("attn_output", [dim, dim]), ("ffn_gate", [dim, ffn]), ("ffn_up", [dim, ffn]), ("ffn_down", [ffn, dim])] {
      try? w.add(tensor: "blk.0.\(name).weight", shape: shape, type: .q4_1, values: r(shape[0] * shape[1]))
    }
    let p = NSTemporaryDirectory() + "/retort-binding-\(UUID().uuidString).gguf"
    try? w.write(to: p)
    return p
  }()

  @Test func loadInfoTokenizeGenerate() {
    let p = Self.path
    let (out, err) = LabHarness.run("""
      i = model.info("\(p)")
      print(i["architecture"], i["layers"], i["heads"], i["kv_heads"])
      m = model.load("\(p)", context=64)
      ids = m.tokenizer.encode("hi there")
      print(ids)
      print(m.tokenizer.decode(ids))
      a = m.generate("hi", max_tokens=4, temperature=0)
      b = m.generate("hi", max_tokens=4, temperature=0)
      print(a == b)
      print(len(m.fingerprint))
      print(m.info["layers"], m.info["fingerprint"] == i["fingerprint"])
      """)
    #expect(err == nil, "\(err ?? "")")
    #expect(out.contains("llama 1 2 1"))
    #expect(out.hasSuffix("\n1 true\n"), "\(out)")
    #expect(out.contains("[104, 105, 220, 116, 104, 101, 114, 101]") || out.contains("hi there"))
    #expect(out.contains("true\n16"))
  }

  @Test func aReplyCutByAFullContextSaysSoAndTheDisplayNamesTheLoadedContext() {
    let (out, err) = LabHarness.run("""
      m = model.load("\(Self.path)", context=16)
      m
      m.generate("abcdefghijkl", max_tokens=20, temperature=0)
      """)
    #expect(err == nil, "\(err ?? "")")
    #expect(out.contains("context length 128 (loaded with 16)"), "\(out)")
    #expect(out.hasSuffix("\n[stopped: the context of 16 tokens is full]\n"), "\(out)")
  }

  @Test func errorsAreClear() {
    let (_, err) = LabHarness.run("model.load(\"no-such-model\")")
    #expect(err?.contains("no model file 'no-such-model'") == true, "\(err ?? "")")
    let (_, err2) = LabHarness.run("m = model.load(\"\(Self.path)\")\nm.generate(\"hi\", top_p=0)")
    #expect(err2?.contains("top_p must be in (0, 1]") == true, "\(err2 ?? "")")
  }
}

/// Glue between models and datasets: answering a dataset (a local model as the
/// judge is tested with the judge bindings).
struct ModelGlueTests {
  @Test func answerDatasetAddsFields() {
    let p = ModelBindingTests.path
    let (out, err) = LabHarness.run("""
      m = model.load("\(p)", context=64)
      ds = dataset.from([{"instruction": "hi", "output": "x", "category": "a"}, {"instruction": "yo", "input": "z", "output": "y", "category": "b"}])
      a = m.answer(ds, max_tokens=3, temperature=0)
      print(a.count, "answer" in a.fields, "answer_tokens" in a.fields, a[1].input)
      b = m.answer(ds, max_tokens=3, temperature=0)
      print(a[0].answer == b[0].answer, a[1].answer_tokens <= 3, a.fingerprint == b.fingerprint)
      c = m.answer(ds, template="Q: {prompt}\\nA:", max_tokens=2, temperature=0)
      print(c.count)
      """)
    #expect(err == nil, "\(err ?? "")")
    // Timings are reported in a line of their own (masked in replays), never in the records.
    let lines = out.split(separator: "\n").map(String.init)
    #expect(lines.count == 6 && lines[0].hasPrefix("answered 2 prompts in ") && lines[0].hasSuffix(" tok/s"), "\(out)")
    #expect(lines[1] == "2 true true z" && lines[3] == "true true true" && lines[5] == "2", "\(out)")
  }
}
