// Training bindings through a full interpreter on tiny new models: train,
// determinism, LoRA attach / merge, save / load round trips, vocabulary
// extension and argument errors.

import Foundation
import Testing
import RetortLab
import RetortLang

struct TrainBindingTests {
  /// Six tiny instruction records and an Alpaca prompt builder.
  static let setup = """
    ds = dataset.from([
      {"instruction": "Say hi", "output": "hi!"},
      {"instruction": "Say bye", "output": "bye."},
      {"instruction": "Count", "output": "1 2 3"},
      {"instruction": "Colour?", "output": "red"},
      {"instruction": "Animal?", "output": "cat"},
      {"instruction": "Number?", "output": "42"},
    ])
    fn alpaca(i) {
      return "Below is an instruction that describes a task. Write a response that appropriately completes the request.\\n\\n### Instruction:\\n" + i + "\\n\\n### Response:\\n"
    }

    """

  static func tmp(_ ext: String) -> String {
    NSTemporaryDirectory() + "/retort-trainbind-\(UUID().uuidString).\(ext)"
  }

  @Test func trainDrivesLossDownAndReproducesAnswers() {
    let (out, err) = LabHarness.run(Self.setup + """
      m = model.new(context=192, layers=1, heads=2, dim=32, seed=1)
      r = m.train(ds, steps=60, lr=0.02, batch=6, seq=192, packing=false, warmup=5)
      print(len(r.loss), r.loss[0] > 3 * r.loss[-1], r.trainable == m.trainable, r.cancelled)
      print(r.config["template"], r.config["steps"], r.config["batch"])
      print(r)
      a = m.generate(alpaca("Say bye"), max_tokens=10, temperature=0)
      b = m.generate(alpaca("Animal?"), max_tokens=10, temperature=0)
      """)
    #expect(err == nil, "\(err ?? "")")
    #expect(out.contains("60 true true false\n"), "\(out)")
    #expect(out.contains("alpaca 60 6\n"))
    #expect(out.contains("Run(60 steps, loss "))
    #expect(out.contains("bye.\n"), "\(out)")
    #expect(out.contains("cat\n"), "\(out)")
  }

  @Test func chartsAndTokenTablesDisplayAsTheyAre() {
    let r = LabHarness.run(Self.setup + """
      m = model.new(context=64, layers=1, heads=2, dim=32, seed=2)
      r = m.train(ds, steps=3, batch=2, seq=64, template="chat")
      c = r.chart(width=40, height=5)
      c
      str(c) == c.text and len(c.lines) > 5
      [c]
      m.tokenize("hi")
      """)
    #expect(r.error == nil, "\(r)")
    #expect(!r.output.contains("\\n") && r.output.contains("\ntrue\n[<Text, "), "\(r.output)")
    #expect(r.output.hasSuffix(" id  piece\n───  ─────\n104  \"h\"\n105  \"i\"\n"), "\(r.output)")
  }

  @Test func shortRunsChartAndModelsInMemoryNameNoFile() {
    let r = LabHarness.run(Self.setup + """
      m = model.new(context=64, layers=1, heads=2, dim=32, seed=2)
      [m.info["path"], m.info["file_bytes"]]
      r = m.train(ds, steps=2, batch=2, seq=64, template="chat")
      r
      r.compare(r, names=["a", "b"])
      [m.info["path"], m.info["file_bytes"], m.path]
      """)
    #expect(r.error == nil, "\(r)")
    // A run of 2 steps draws its curve (it showed "(no steps)"), alone and compared.
    #expect(!r.output.contains("(no steps)") && r.output.components(separatedBy: "+----").count == 3, "\(r.output)")
    // model.new and a trained model live in memory: no file path (it was a random temporary file), no file size.
    #expect(r.output.hasPrefix("[nil, nil]\n") && r.output.hasSuffix("[nil, nil, nil]\n"), "\(r.output)")
  }

  @Test func anEpochTrainsEachRowOnce() {
    // 6 rows at batch 4: an epoch is a step of 4 and a short step of 2 (it took 2 rows of the next epoch).
    let r = LabHarness.run(Self.setup + """
      m = model.new(context=64, layers=1, heads=2, dim=32, seed=2)
      a = m.train(ds, epochs=1, batch=4, seq=64, template="chat", packing=false)
      b = m.train(ds, epochs=3, batch=2, grad_accum=2, seq=64, template="chat", packing=false)
      c = m.train(ds, steps=3, batch=4, seq=64, template="chat", packing=false)
      [a.steps, a.rows, a.data["rows"], b.steps, b.rows, c.steps, c.rows]
      """)
    #expect(r.error == nil, "\(r)")
    #expect(r.output.hasSuffix("[2, 6, 6, 6, 18, 3, 12]\n"), "\(r.output)")
  }

  @Test func trainSaysWhatItTruncatedAndSkipped() {
    let (out, err) = LabHarness.run(Self.setup + """
      long = ds.map(fn(r) { return {"instruction": r.instruction, "output": r.output * 20} })
      m = model.new(context=64, layers=1, heads=2, dim=32, seed=1)
      r = m.train(long, steps=1, batch=2, seq=48, template="chat", eval=long.take(2))
      print(r.data["examples"], r.data["truncated"], r.data["skipped"], r.data["rows"], r.data["fill"])
      print(r)
      ok = m.train(ds, steps=1, batch=2, seq=48, template="chat")
      print(ok.data["truncated"], ok.data["skipped"], ok.data["rows"], ok.data["fill"] < 1)
      """)
    #expect(err == nil, "\(err ?? "")")
    #expect(out.contains("train: of 6 examples, 6 truncated to seq=48 tokens"), "\(out)")
    #expect(out.contains("train: of 2 eval examples, 2 truncated to seq=48 tokens\n"), "\(out)")
    #expect(out.contains("6 6 0 6 1.0\n") && out.contains("  data: 6 examples -> 6 rows per epoch, 100% filled"), "\(out)")
    #expect(out.contains("0 0 6 true\n") && !out.contains("of 6 examples, 0"), "\(out)")
    // A prompt that fills the row leaves nothing to train: a clear error that says what to change.
    let (_, err2) = LabHarness.run(Self.setup + """
      m = model.new(context=64, layers=1, heads=2, dim=32, seed=1)
      m.train(dataset.from([{"instruction": "Why " * 20, "output": "so"}]), steps=1, seq=48, template="chat")
      """)
    #expect(err2?.contains("raise seq") == true, "\(err2 ?? "")")
  }

  /// Records progress notes; asks to stop once `stopAt` steps are done.
  final class Recorder: ProgressSink {
    var labels: [String] = [], notes: [String] = [], stopAt: Int, stop = false
    init(stopAt: Int) { self.stopAt = stopAt }
    func update(done: Int, note: String) {
      notes.append(note)
      if done >= stopAt { stop = true }
    }
    func finish() {}
  }

  @Test func aRunResumedInTheSessionGoesOnEvaluating() {
    let interp = Lab.makeInterpreter()
    let rec = Recorder(stopAt: 3)
    interp.progressFactory = { _, _ in rec }
    interp.interruptRequested = { rec.stop }
    _ = LabHarness.run(Self.setup + """
      m = model.new(context=64, layers=1, heads=2, dim=32, seed=1)
      r = m.train(ds, steps=8, lr=0.05, batch=6, seq=64, template="chat", eval=ds, eval_every=2)
      """, in: interp)
    rec.stop = false
    rec.stopAt = Int.max
    let (out, err) = LabHarness.run("""
      print(r.cancelled, r.eval_steps)
      r2 = m.train(ds, resume=r)
      b = model.new(context=64, layers=1, heads=2, dim=32, seed=1)
      rb = b.train(ds, steps=8, lr=0.05, batch=6, seq=64, template="chat", eval=ds, eval_every=2)
      print(r2.eval_steps, r2.eval_loss == rb.eval_loss)
      """, in: interp)
    #expect(err == nil, "\(err ?? "")")
    #expect(out.hasPrefix("true [2]\n"), "\(out)")
    #expect(out.hasSuffix("[2, 4, 6, 8] true\n"), "\(out)")
    // The progress line says when it is evaluating.
    #expect(rec.notes.contains { $0.hasPrefix("evaluating 0/") && $0.hasSuffix(" rows") }, "\(rec.notes)")
  }

  @Test func progressAndCtrlCKeepTheRunSoFar() {
    let interp = Lab.makeInterpreter()
    let rec = Recorder(stopAt: 3)
    interp.progressFactory = { label, total in rec.labels.append("\(label) \(total ?? -1)"); return rec }
    interp.interruptRequested = { rec.stop }
    _ = LabHarness.run(Self.setup + """
      m = model.new(context=64, layers=1, heads=2, dim=32, seed=1)
      a = m.generate("Say", max_tokens=6, temperature=0)
      r = m.train(ds, steps=50, lr=0.05, batch=6, seq=64, template="chat")
      """, in: interp)
    rec.stop = false
    let (out, err) = LabHarness.run("""
      print(r.cancelled, len(r.loss), r.config["steps"], m.trainable)
      print(r)
      print(m.generate("Say", max_tokens=6, temperature=0) != a)
      """, in: interp)
    #expect(err == nil, "\(err ?? "")")
    #expect(rec.labels == ["training 50"], "\(rec.labels)")
    #expect(rec.notes.count == 3 && rec.notes.allSatisfy { $0.hasPrefix("loss ") && $0.contains(" tok/s") }, "\(rec.notes)")
    #expect(out.hasPrefix("true 3 50 "), "\(out)")
    #expect(out.contains("Run(3 of 50 steps, loss "), "\(out)")
    #expect(out.contains("interrupted)"), "\(out)")
    #expect(out.hasSuffix("true\n"), "\(out)")
    // Resuming continues the same run: the curve of a run that was never interrupted.
    rec.stopAt = Int.max
    let (out2, err2) = LabHarness.run("""
      r2 = m.train(ds, resume=r)
      b = model.new(context=64, layers=1, heads=2, dim=32, seed=1)
      rb = b.train(ds, steps=50, lr=0.05, batch=6, seq=64, template="chat")
      print(r2.steps, r2.cancelled, r2.loss == rb.loss, r2.config == rb.config)
      """, in: interp)
    #expect(err2 == nil, "\(err2 ?? "")")
    #expect(out2.hasSuffix("50 false true true\n"), "\(out2)")
    let (_, err3) = LabHarness.run("m.train(ds, resume=r, lr=0.1)\n", in: interp)
    #expect(err3?.contains("resume= continues the run with its own settings; drop argument 'lr'") == true, "\(err3 ?? "")")
    let (_, err4) = LabHarness.run("m.train(ds, resume=r)\n", in: interp)
    #expect(err4?.contains("already resumed") == true, "\(err4 ?? "")")
  }

  @Test func aCheckpointFileResumesTheRunInANewSession() {
    let path = Self.tmp("ckpt")
    defer { unlink(path) }
    for lora in [false, true] {
      let make = lora ? "m = model.load(\"\(ModelBindingTests.path)\", context=64)\n" : "m = model.new(context=64, layers=1, heads=2, dim=32, seed=1)\n"
      let attach = lora ? "m.lora(r=2, dropout=0.1)\n" : ""
      let first = Lab.makeInterpreter()
      let rec = Recorder(stopAt: 3)
      first.progressFactory = { _, _ in rec }
      first.interruptRequested = { rec.stop }
      let (out, err) = LabHarness.run(Self.setup + make + attach + """
        r = m.train(ds, steps=8, lr=0.05, batch=3, seq=64, template="chat", checkpoint="\(path)", checkpoint_every=2)
        """, in: first)
      #expect(err == nil, "\(err ?? "")")
      #expect(out.contains("so does m.train(ds, resume=\"\(path)\") in a later session"), "\(out)")
      // A new session: the model made again (full fine-tuning: even with other weights), nothing attached.
      let second = Lab.makeInterpreter()
      let remake = lora ? make : "m = model.new(context=64, layers=1, heads=2, dim=32, seed=7)\n"
      let (out2, err2) = LabHarness.run(Self.setup + remake + """
        r2 = m.train(ds, resume="\(path)")
        b = \(make.dropFirst(4))
        \(lora ? "b.lora(r=2, dropout=0.1)" : "")
        rb = b.train(ds, steps=8, lr=0.05, batch=3, seq=64, template="chat")
        print(r2.steps, r2.cancelled, r2.loss == rb.loss)
        print(m.generate("Say", max_tokens=6, temperature=0) == b.generate("Say", max_tokens=6, temperature=0))
        """, in: second)
      #expect(err2 == nil, "\(err2 ?? "")")
      #expect(out2.contains("train: resuming the run of \(path) after step 3 of 8"), "\(out2)")
      #expect(out2.contains("attached the run's LoRA adapters") == lora, "\(out2)")
      // Same curve, and the same model afterwards (generate also streams its text).
      #expect(out2.contains("8 false true\n") && out2.hasSuffix("true\n"), "\(out2)")
      let (out3, err3) = LabHarness.run("m.train(ds, resume=\"\(path)\")\n", in: second)
      #expect(err3 == nil && out3.contains("completed all its 8 steps; the model takes its trained weights"), "\(out3) \(err3 ?? "")")
    }
    let (_, err4) = LabHarness.run(Self.setup + "m = model.new(context=64, layers=1, heads=2, dim=32)\nm.train(ds, steps=2, checkpoint_every=1)\n",
                                   in: Lab.makeInterpreter())
    #expect(err4?.contains("checkpoint_every' needs checkpoint=") == true, "\(err4 ?? "")")
  }

  @Test func resumeTrueMakesARerunScriptCarryOn() {
    let path = Self.tmp("ckpt")
    defer { unlink(path) }
    let line = "r = m.train(ds, steps=8, lr=0.05, batch=3, seq=64, template=\"chat\", checkpoint=\"\(path)\", checkpoint_every=2, resume=true)\n"
    let make = "m = model.new(context=64, layers=1, heads=2, dim=32, seed=1)\n"
    // The first run is killed after 3 steps (Ctrl-C here; the file holds step 3).
    let first = Lab.makeInterpreter()
    let rec = Recorder(stopAt: 3)
    first.progressFactory = { _, _ in rec }
    first.interruptRequested = { rec.stop }
    let (out, err) = LabHarness.run(Self.setup + make + line, in: first)
    #expect(err == nil && out.contains("no checkpoint at \(path) yet; starting the run"), "\(out) \(err ?? "")")
    // The same script again carries on, even saving more often (checkpoint_every does not change the run);
    // once more, it only takes the finished weights.
    for expected in ["resuming the run of \(path) after step 3 of 8", "completed all its 8 steps; the model takes its trained weights"] {
      let rerun = line.replacingOccurrences(of: "checkpoint_every=2", with: "checkpoint_every=1")
      let (out2, err2) = LabHarness.run(Self.setup + make + rerun + """
        b = model.new(context=64, layers=1, heads=2, dim=32, seed=1)
        rb = b.train(ds, steps=8, lr=0.05, batch=3, seq=64, template="chat")
        print(r.steps, r.loss == rb.loss)
        """, in: Lab.makeInterpreter())
      #expect(err2 == nil, "\(err2 ?? "")")
      #expect(out2.contains(expected) && out2.hasSuffix("8 true\n"), "\(out2)")
    }
    // Other settings are not silently mixed with the saved run's.
    let (_, err3) = LabHarness.run(Self.setup + make + line.replacingOccurrences(of: "steps=8", with: "steps=9"), in: Lab.makeInterpreter())
    #expect(err3?.contains("holds a run with other settings (steps 9 here, 8 there)") == true, "\(err3 ?? "")")
    let (_, err4) = LabHarness.run(Self.setup + make + "m.train(ds, steps=2, resume=true)\n", in: Lab.makeInterpreter())
    #expect(err4?.contains("resume=true needs checkpoint=") == true, "\(err4 ?? "")")
  }

  @Test func aResumedRunMaySaveItsStateMoreOrLessOften() {
    let path = Self.tmp("ckpt")
    defer { unlink(path) }
    let make = "m = model.new(context=64, layers=1, heads=2, dim=32, seed=1)\n"
    let first = Lab.makeInterpreter()
    func stopping(at n: Int) {
      let rec = Recorder(stopAt: n)
      first.progressFactory = { _, _ in rec }
      first.interruptRequested = { rec.stop }
    }
    stopping(at: 2)
    let (_, err) = LabHarness.run(Self.setup + make + """
      plain = model.new(context=64, layers=1, heads=2, dim=32, seed=1)
      r = m.train(ds, steps=6, lr=0.05, batch=3, seq=64, template="chat", checkpoint="\(path)")
      """, in: first)
    #expect(err == nil, "\(err ?? "")")
    stopping(at: 1000)
    // A run saved to a file takes a new checkpoint_every (other settings stay refused); one with no file cannot.
    let (out2, err2) = LabHarness.run("r2 = m.train(ds, resume=\"\(path)\", checkpoint_every=1)\nprint(r2.steps, r2.config[\"checkpoint_every\"])\n", in: first)
    #expect(err2 == nil && out2.hasSuffix("6 1\n"), "\(out2) \(err2 ?? "")")
    let (_, err3) = LabHarness.run("m.train(ds, resume=\"\(path)\", checkpoint_every=1, lr=0.1)\n", in: first)
    #expect(err3?.contains("drop argument 'lr'") == true, "\(err3 ?? "")")
    stopping(at: 1)
    _ = LabHarness.run("q = plain.train(ds, steps=4, batch=3, seq=64, template=\"chat\")\n", in: first)
    stopping(at: 1000)
    let (_, err4) = LabHarness.run("plain.train(ds, resume=q, checkpoint_every=1)\n", in: first)
    #expect(err4?.contains("the run resumed writes no checkpoint file") == true, "\(err4 ?? "")")
  }

  @Test func loadedQuantizedModelLoRAThenFullFineTuning() {
    let st = Self.tmp("safetensors")
    defer { unlink(st) }
    let (out, err) = LabHarness.run("""
      m = model.load("\(ModelBindingTests.path)", context=64)
      f0 = m.fingerprint
      n = m.lora(r=2)
      r = m.train(["hello there", "general kenobi"], steps=2, batch=2, seq=32, lr=0.01)
      print(r.trainable == n, len(r.loss), m)
      f1 = m.fingerprint
      g = m.generate("hi", max_tokens=6, temperature=0)
      m.save("\(st)")
      print(model.load("\(st)").generate("hi", max_tokens=6, temperature=0) == g)
      m.unload_lora()
      print(f1 != f0, m.fingerprint == f0)
      full = m.train(["hello there"], steps=1, batch=1, seq=32)
      print(full.trainable > n, m.trainable == full.trainable, m.fingerprint != f0)
      """)
    #expect(err == nil, "\(err ?? "")")
    #expect(out.contains("true 2 model "), "\(out)")
    #expect(out.contains("(in memory)"), "\(out)")
    // After LoRA training the loaded (quantized) model runs with the adapters on
    // the fly: its fingerprint changes, and unloading them restores the base.
    #expect(out.hasSuffix("true\ntrue true\ntrue true true\n"), "\(out)")
  }

  @Test func sameSeedSameLossCurve() {
    let (out, err) = LabHarness.run(Self.setup + """
      m1 = model.new(context=64, layers=1, heads=2, dim=32, seed=3)
      m2 = model.new(context=64, layers=1, heads=2, dim=32, seed=3)
      r1 = m1.train(ds, steps=4, lr=0.01, batch=4, seq=64, template="chat", seed=7)
      r2 = m2.train(ds, steps=4, lr=0.01, batch=4, seq=64, template="chat", seed=7)
      m3 = model.new(context=64, layers=1, heads=2, dim=32, seed=4)
      r3 = m3.train(ds, steps=4, lr=0.01, batch=4, seq=64, template="chat", seed=7)
      print(r1.loss == r2.loss, r1.loss == r3.loss)
      """)
    #expect(err == nil, "\(err ?? "")")
    #expect(out.contains("true false\n"), "\(out)")
  }

  @Test func runsCompareSideBySideAndSave() {
    let csv = Self.tmp("csv"), json = Self.tmp("json")
    defer { unlink(csv); unlink(json) }
    let (out, err) = LabHarness.run(Self.setup + """
      m1 = model.new(context=64, layers=1, heads=2, dim=32, seed=3)
      m2 = model.new(context=64, layers=1, heads=2, dim=32, seed=3)
      r1 = m1.train(ds, steps=4, lr=0.01, batch=4, seq=64, template="chat")
      r2 = m2.train(ds, steps=6, lr=0.003, batch=4, seq=64, template="chat")
      c = r1.compare(r2, names=["fast", "slow"])
      c
      c.names
      c.save("\(csv)")
      r2.save("\(json)")
      """)
    #expect(err == nil, "\(err ?? "")")
    #expect(out.contains("run   steps  tokens  trainable  first loss") && out.contains("\nfast      4 ") && out.contains("\nslow      6 "), "\(out)")
    #expect(out.contains("          * fast   o slow   = several\n") && out.contains("[\"fast\", \"slow\"]"), "\(out)")
    let lines = (try? String(contentsOfFile: csv, encoding: .utf8))?.split(separator: "\n") ?? []
    #expect(lines.count == 7 && lines[0] == "step,fast,slow" && lines[6].hasPrefix("6,,"), "\(lines)")
    #expect((try? String(contentsOfFile: json, encoding: .utf8))?.contains("\"name\" : \"run\"") == true)
    let bad = LabHarness.run(Self.setup + "m = model.new(context=64, layers=1, heads=2, dim=32)\nr = m.train(ds, steps=1, seq=64, template=\"chat\")\nr.compare(r, names=[\"a\"])\n")
    #expect(bad.error?.contains("argument 'names' has 1 name for 2 runs") == true, "\(bad.error ?? "")")
    let same = LabHarness.run(Self.setup + "m = model.new(context=64, layers=1, heads=2, dim=32)\nr = m.train(ds, steps=1, seq=64, template=\"chat\")\nr.compare(r, names=[\"a\", \"a\"])\n")
    #expect(same.error?.contains("compare(): names[1] is \"a\" again; each run needs its own name") == true, "\(same.error ?? "")")
    let txt = LabHarness.run(Self.setup + "m = model.new(context=64, layers=1, heads=2, dim=32)\nr = m.train(ds, steps=1, seq=64, template=\"chat\")\nr.save(\"/tmp/run.txt\")\n")
    #expect(txt.error?.contains("/tmp/run.txt: expected a .csv or .json file name, got .txt") == true, "\(txt.error ?? "")")
    let notRun = LabHarness.run(Self.setup + "m = model.new(context=64, layers=1, heads=2, dim=32)\nr = m.train(ds, steps=1, seq=64, template=\"chat\")\nr.compare(ds)\n")
    #expect(notRun.error?.contains("compare(): argument 1 is a Dataset; expected a Run") == true, "\(notRun.error ?? "")")
  }

  @Test func answerPromptsInTheTemplateTheModelWasTrainedWith() throws {
    // train defaults to alpaca and answer to chat: a model trained and asked with
    // the defaults was asked in a format it never saw.
    let dir = NSTemporaryDirectory() + "tpl-\(UInt32.random(in: 0...UInt32.max))"
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let (out, err) = LabHarness.run(Self.setup + """
      m = model.new(context=256, layers=1, heads=2, dim=32, seed=2)
      a = m.answer(["Say hi"], max_tokens=1, cache="\(dir)/before.jsonl")
      r = m.train(ds, steps=2, batch=2, seq=256)
      a = m.answer(["Say hi"], max_tokens=1, cache="\(dir)/after.jsonl")
      a = m.answer(["Say hi"], max_tokens=1, cache="\(dir)/chat.jsonl", template="chat")
      m.save("\(dir)/m.safetensors")
      m.save("\(dir)/m.gguf")
      a = model.load("\(dir)/m.safetensors").answer(["Say hi"], max_tokens=1, cache="\(dir)/st.jsonl")
      a = model.load("\(dir)/m.gguf").answer(["Say hi"], max_tokens=1, cache="\(dir)/gguf.jsonl")
      """)
    #expect(err == nil, "\(out) \(err ?? "")")
    func header(_ name: String) throws -> String {
      String(try String(contentsOfFile: "\(dir)/\(name).jsonl", encoding: .utf8).prefix { $0 != "\n" })
    }
    let before = try header("before"), after = try header("after"), chat = try header("chat")
    // The header records the template as rendered: Alpaca's "### Instruction:" or ChatML's turns.
    #expect(before.contains("im_start") && !before.contains("### Instruction:"), "\(before)")
    #expect(after.contains("### Instruction:"), "\(after)")
    #expect(chat.contains("im_start") && !chat.contains("### Instruction:"), "\(chat)")
    // A saved model keeps the template it was trained with (it was asked in chat once reloaded).
    #expect(try header("st").contains("### Instruction:") && header("gguf").contains("### Instruction:"))
  }

  @Test func trainableCountsEveryWeightOfAQuantizedModelAfterUnload() {
    // After unload_lora it counted only the f32 embeddings and norms, while the
    // next train() (full fine-tuning of an f32 copy) trained every weight.
    let file = NSTemporaryDirectory() + "trainable-\(UInt32.random(in: 0...UInt32.max)).gguf"
    defer { unlink(file) }
    let (out, err) = LabHarness.run(Self.setup + """
      model.new(context=64, layers=1, heads=2, dim=32, seed=2).save("\(file)", quant="q8_0")
      q = model.load("\(file)")
      full = q.trainable
      print(q.lora(r=2) < full)
      q.unload_lora()
      print(q.trainable == full, full == model.info("\(file)")["parameters"])
      """)
    #expect(err == nil && out.hasSuffix("true\ntrue true\n"), "\(out) \(err ?? "")")
  }

  @Test func loraZeroInitAndMerge() {
    let (out, err) = LabHarness.run(Self.setup + """
      m = model.new(context=64, layers=1, heads=2, dim=32, seed=2)
      t = "Below is an instruction. Say hi. hi! Say bye. bye. Count 1 2 3. Colour? red. Animal? cat. Number? 42."
      p0 = m.perplexity(t, context=32)
      a = m.generate("hi", max_tokens=8, temperature=0)
      n = m.lora(r=4, alpha=8)
      print(n, n == m.trainable)
      m.merge_lora()
      print(m.generate("hi", max_tokens=8, temperature=0) == a, m.perplexity(t, context=32) == p0)
      n = m.lora(r=4, alpha=8, targets=["q", "v"])
      r = m.train(ds, steps=20, lr=0.02, batch=6, seq=64, template="chat")
      print(r.trainable, r.loss[-1] < r.loss[0])
      p1 = m.perplexity(t, context=32)
      c = m.generate("hi", max_tokens=8, temperature=0)
      m.merge_lora()
      print(m.generate("hi", max_tokens=8, temperature=0) == c, m.perplexity(t, context=32) == p1, p1 != p0)
      n = m.lora(r=2)
      m.unload_lora()
      print(m.perplexity(t, context=32) == p1)
      """)
    #expect(err == nil, "\(err ?? "")")
    // r=4 on all seven projections of one layer (dim 32, ffn 88): 4 * (4*(32+32) + 3*(32+88)) = 2464.
    #expect(out.contains("2464 true\n"), "\(out)")
    // q and v at r=4: 4 * (32+32) * 2 = 512.
    #expect(out.contains("true true\n"), "\(out)")
    #expect(out.contains("\n512 true\n"), "\(out)")
    #expect(out.hasSuffix("true true true\ntrue\n"), "\(out)")
  }

  @Test func saveAndLoadRoundTrips() {
    let st = Self.tmp("safetensors"), gg = Self.tmp("gguf"), q8 = Self.tmp("gguf"), dir = Self.tmp("lora")
    defer { for p in [st, gg, q8] { unlink(p) }; try? FileManager.default.removeItem(atPath: dir) }
    let (out, err) = LabHarness.run(Self.setup + """
      m = model.new(context=64, layers=1, heads=2, dim=32, seed=5)
      r = m.train(ds, steps=3, lr=0.01, batch=6, seq=64, template="chat")
      a = m.generate("Say", max_tokens=12, temperature=0)
      m.save("\(st)")
      m.save("\(gg)")
      m.save("\(q8)", quant="q8_0")
      print(model.load("\(st)").generate("Say", max_tokens=12, temperature=0) == a)
      print(model.load("\(gg)").generate("Say", max_tokens=12, temperature=0) == a)
      print(model.info("\(q8)")["tensor_types"]["Q8_0"] > 0)
      n = m.lora(r=2)
      r = m.train(ds, steps=3, lr=0.05, batch=6, seq=64, template="chat")
      b = m.generate("Say", max_tokens=12, temperature=0)
      m.save_lora("\(dir)")
      m2 = model.load("\(st)")
      print(m2.load_lora("\(dir)") == m.trainable)
      print(m2.generate("Say", max_tokens=12, temperature=0) == b)
      """)
    #expect(err == nil, "\(err ?? "")")
    // Generated text streams between the checks; every check prints true.
    #expect(out.split(separator: "\n").filter { $0 == "true" }.count == 5 && !out.contains("false"), "\(out)")
  }

  @Test func bpeTokenizerAndVocabExtension() {
    let (out, err) = LabHarness.run(Self.setup + """
      texts = ["苹果是一种水果", "香蕉是一种水果", "土豆是一种蔬菜", "水果和蔬菜"]
      t = tokenizer.train_bpe(texts + ["hello hello world"], vocab=300, min_frequency=2)
      print(t.vocab_size > 259)
      m = model.new(tokenizer=t, context=32, layers=1, heads=2, dim=16)
      print(m.tokenizer.vocab_size == t.vocab_size)
      b = model.new(context=32, layers=1, heads=2, dim=16)
      n = b.extend_vocab(t, texts=texts)
      print(n > 0, b.tokenizer.vocab_size == 259 + n)
      c = model.new(context=32, layers=1, heads=2, dim=16)
      k = c.extend_vocab(t)
      c.lora(r=2)
      c.unload_lora()
      e = c.lora(r=2, train_embeddings=true)
      rc = c.train(texts, steps=2, batch=2, seq=32)
      print("copy", e - 640 == c.tokenizer.vocab_size * 16, rc.trainable == e)
      r = b.train(texts, steps=2, batch=2, seq=32)
      print(r.steps)
      b.lora(r=2)
      d = model.new(context=32, layers=1, heads=2, dim=16)
      d.extend_vocab(["水果", "a", "水果", ""])
      """)
    #expect(err == nil, "\(err ?? "")")
    #expect(out.contains("true\ntrue\nadded "), "\(out)")
    // A piece the tokenizer already reads as one token is reported, not silently dropped.
    #expect(out.contains("added 1 token (vocabulary 259 -> 260); skipped pieces: 1 already a single token\n"), "\(out)")
    #expect(out.contains("tokens per character"), "\(out)")
    // LoRA over tokens that no full fine-tuning has trained says so (not with train_embeddings); after full training it does not.
    #expect(out.contains("copy true true\n"), "\(out)")
    #expect(out.contains("lora: the ") && out.contains(" tokens added by extend_vocab keep their mean embeddings"), "\(out)")
    #expect(out.components(separatedBy: "keep their mean embeddings").count == 2 && out.contains("\n2\n640\n"), "\(out)")
  }

  @Test func errorsNameTheArgument() {
    func err(_ code: String) -> String {
      LabHarness.run(Self.setup + "m = model.new(context=32, layers=1, heads=2, dim=16)\n" + code).error ?? "(no error)"
    }
    #expect(err("m.train(ds, template=\"vicuna\")").contains("argument 'template' must be \"alpaca\" or \"chat\""))
    #expect(err("m.train(ds, steps=0)").contains("argument 'steps' must be at least 1, got 0"))
    #expect(err("m.train(ds.take(0))").contains("argument 'ds' is empty"))
    #expect(err("m.train(ds, schedule=\"step\")").contains("argument 'schedule'"))
    #expect(err("m.train(ds, seq=1000)").contains("seq must be in 2...32"))
    #expect(err("m.merge_lora()").contains("merge_lora(): no LoRA adapters are attached"))
    #expect(err("m.unload_lora()").contains("unload_lora(): no LoRA adapters are attached"))
    #expect(err("m.save_lora(\"/tmp/x\")").contains("save_lora(): no LoRA adapters"))
    #expect(err("m.lora(targets=[\"qq\"])").contains("unknown target \"qq\""))
    #expect(err("m.lora(r=0)").contains("r must be in 1...4096"))
    #expect(err("m.lora(alpha=-1)").contains("alpha must be a positive number, got -1.0"))
    #expect(err("m.train([\"\"], steps=1)").contains("every text is shorter than two tokens"))
    #expect(err("m.save(\"x.bin\")").contains(".safetensors or .gguf"))
    #expect(err("m.save(\"/tmp/x.gguf\", quant=\"q5_k\")").contains("quant must be one of"))
    #expect(err("model.new(dim=30, heads=4)").contains("dim (30) must be a multiple of heads (4)"))
    #expect(err("model.new(tokenizer=5)").contains("argument 'tokenizer' expects a tokenizer"))
    #expect(err("tokenizer.train_bpe([], vocab=300)").contains("argument 'texts' is empty"))
    // Settings that were accepted and quietly did something else.
    #expect(err("m.train(ds, steps=2, epochs=3)").contains("give steps or epochs, not both"))
    #expect(err("m.train(ds, steps=2, warmup=10, template=\"chat\")").contains("warmup=10 is longer than the run (2 steps)"))
    #expect(err("m.train(ds, epochs=1, batch=64, warmup=3, template=\"chat\")").contains("warmup=3 is longer than the run (1 step)"))
    #expect(err("m.train(ds, steps=2, eval_every=1)").contains("'eval_every' needs eval="))
    #expect(err("m.train(ds, steps=1, lr=1e40)").hasPrefix("error: train(): argument 'lr' must fit a 32-bit float (at most 3.4e38 in size), got 1e+40"))
    // Argument checking names a method as the bindings' own errors do: train(), not Model.train().
    #expect(err("m.train(ds, nope=1)").hasPrefix("error: train() got an unexpected keyword argument 'nope'"))
    #expect(err("m.train(ds, steps=1, eval=dataset.from([{\"instruction\": \"x\", \"output\": \"\"}]))").contains("argument 'eval': record 0 has no output to evaluate on"))
    #expect(err("m.train(ds, steps=1, eval=ds.take(0))").contains("argument 'eval' is empty; nothing to evaluate on"))
    #expect(err("model.new(dim=100000)").contains("dim must be in 2...16384, got 100000"))
    #expect(err("m.chat([])").contains("chat(): messages is empty"))
    #expect(err("m.generate(\"a\", temperature=float(\"inf\"))").contains("temperature must be a finite number >= 0"))
    #expect(err("ds.head(-1)").contains("head(): argument 'n' must be >= 0"))
  }

  @Test func aCheckpointOrAFileGivenForAModelOrAnAdapterDirectorySaysWhatItIs() throws {
    let ckpt = NSTemporaryDirectory() + "ckpt-\(UInt32.random(in: 0...UInt32.max)).ckpt"
    defer { unlink(ckpt) }
    let r = LabHarness.run(Self.setup + """
      m = model.new(context=64, layers=1, heads=2, dim=16, seed=2)
      r = m.train(ds, steps=1, batch=2, seq=64, template="chat", checkpoint="\(ckpt)")
      model.load("\(ckpt)")
      """)
    #expect(r.error?.contains("model.load(): \(ckpt) is a training checkpoint (1 of 1 step), not a model: load the model the run started from and continue it with m.train(ds, resume=\"\(ckpt)\")") == true, "\(r)")
    let f = LabHarness.run("m = model.new(context=64, layers=1, heads=2, dim=16)\nm.load_lora(\"\(ckpt)\")")
    #expect(f.error?.contains("load_lora(): \(ckpt) is a file; expected the directory that save_lora or peft wrote") == true, "\(f)")
  }

  @Test func aResumeRefusedForItsDataClaimsNothing() {
    // It said "the model takes its trained weights" (and attached adapters) before refusing.
    let path = NSTemporaryDirectory() + "refused-\(UInt32.random(in: 0...UInt32.max)).ckpt"
    defer { unlink(path) }
    let interp = Lab.makeInterpreter()
    let first = LabHarness.run(Self.setup + """
      m = model.new(context=64, layers=1, heads=2, dim=16, seed=2)
      r = m.train(ds, steps=2, batch=2, seq=64, template="chat", checkpoint="\(path)")
      """, in: interp)
    #expect(first.error == nil, "\(first)")
    let r = LabHarness.run("m.train(ds.take(3), resume=\"\(path)\")", in: interp)
    #expect(r.error?.contains("resume needs the run's own training data") == true, "\(r)")
    #expect(!r.output.contains("the model takes") && !r.output.contains("resuming"), "\(r.output)")
    let ok = LabHarness.run("r2 = m.train(ds, resume=\"\(path)\")", in: interp)
    #expect(ok.error == nil && ok.output.contains("completed all its 2 steps"), "\(ok)")
  }
}
