// Findings of the training audit (December): what a researcher met and now gets told.

import Foundation
import Testing
import RetortLab
import RetortLang

@Suite struct TrainingAuditTests {
  static let tiny = "m = model.new(context=64, layers=1, heads=2, dim=32, seed=1)\n"

  @Test func slipsAreErrorsThatSayWhat() throws {
    let ds = "ds = dataset.from([{\"instruction\": \"Say hi\", \"output\": \"hi!\"}])\n"
    let steps = LabHarness.run(Self.tiny + ds + "m.train(ds, steps=true)")
    #expect(steps.error?.contains("train(): argument 'steps' expects an int, got bool") == true, "\(steps)")
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("retort-audit-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let gguf = dir.appendingPathComponent("m.gguf").path, st = dir.appendingPathComponent("m.safetensors").path
    let saved = LabHarness.run(Self.tiny + "m.save(\"\(gguf)\")\nm.save(\"\(st)\")")
    #expect(saved.error == nil, "\(saved)")
    let resume = LabHarness.run(Self.tiny + ds + "m.train(ds, resume=\"\(gguf)\")")
    #expect(resume.error?.contains("\(gguf): a GGUF model, not a Retort training checkpoint") == true, "\(resume)")
    let info = LabHarness.run("model.info(\"\(st)\")")
    #expect(info.error?.contains("is a .safetensors model; model.info reads .gguf files") == true, "\(info)")
    // Metadata values keep their types.
    let meta = LabHarness.run("x = model.info(\"\(gguf)\")[\"metadata\"]\nprint(x[\"llama.context_length\"] + 1, x[\"llama.block_count\"] == 1)")
    #expect(meta.output == "65 true\n", "\(meta)")
  }

  @Test func aSaveThatCannotQuantizeEverythingSaysSo() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("retort-audit-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    let r = LabHarness.run("m = model.new(dim=60, heads=5, layers=1)\nm.save(\"\(dir.path)/x.gguf\", quant=\"q4_1\")")
    #expect(r.error == nil && r.output.contains("F16") && r.output.contains("not a multiple of the block size go f16"), "\(r)")
  }

  @Test func plainTextsTrainWithoutATemplate() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("retort-audit-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    let r = LabHarness.run(Self.tiny + """
      m.train(["a plain text to learn", "another plain text"], steps=1, seq=32, template="chat")
      m.save("\(dir.path)/t.gguf")
      print(model.info("\(dir.path)/t.gguf")["metadata"].get("retort.train_template"))
      """)
    #expect(r.error == nil && r.output.hasSuffix("nil\n"), "\(r)")
  }

  @Test func bpeSaysWhenTheTextsRanOutOfPairs() {
    let r = LabHarness.run("tokenizer.train_bpe([\"hello world\", \"hello there\"], vocab=300)")
    #expect(r.output.hasPrefix("train_bpe(): learnt 263 of the 300 tokens asked: no other pair"), "\(r)")
  }
}
