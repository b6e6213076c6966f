// Inputs found by fuzzing the REPL that crashed it, hung it or gave wrong or
// unclear results. Each must now give the right value or an error that says
// what was expected.

import Foundation
import Testing
import RetortLab
import RetortLang

@Suite struct EdgeInputTests {
  /// Code whose first error must contain `message`.
  static let errors: [(code: String, message: String)] = [
    ("x = []; for i in range(6) { x = [x] }; tensor(x)", "nested more than 5 deep"),
    ("fn f() { break }", "'break' outside a loop"),
    ("fn g() { for i in [1] { fn h() { continue } } }", "'continue' outside a loop"),
    ("tensor.arange(0, 1e30)", "at most 2147483647 fit"),
    ("tensor.arange(0, 1, step=0)", "step must be"),
    ("tensor([1, 2]).transpose(0, 5)", "axes 0 and 5 are out of range"),
    ("tensor.eye(-1)", "tensor.eye(): n must be >= 0"),
    ("tensor.rand([2], low=3, high=1)", "low must be a finite number no larger than high"),
    ("tensor.randn([2], std=-1)", "std a finite number >= 0"),
    ("tensor.ones([2]).clamp(min=3, max=1)", "min (3.0) is larger than max (1.0)"),
    ("tensor.ones([2]).rms_norm(eps=-1)", "eps must be a finite number >= 0"),
    ("f\"{1.5:.1000000f}\"", "precision is at most 50"),
    ("f\"{1:99999999999999999999999}\"", "width is at most 1000"),
    ("dataset.from([{\"instruction\": \"a\"}]).stats(tokenizer=fn(s) { -1 })", "a count must be 0 or more"),
    ("dataset.from([{\"instruction\": \"a\"}]).save(\"\")", "the path is empty"),
    ("judge.llm(\"http://127.0.0.1:9\", \"m\", {\"a\": \"p\"}, timeout=1e18)", "up to a year"),
    ("judge.model(model.new(layers=1, dim=32, heads=2), prompts=5)", "judge.model(): argument 'prompts'"),
    ("model.new(layers=1, dim=32, heads=2).chat(42)", "argument 'messages' expects a string or a list of {\"role\", \"content\"} maps, got int"),
    ("_7 + 1", "name '_7' is not defined (_7 is the value cell 7 displayed; it displayed none, or has not run)"),
  ]

  @Test(arguments: errors)
  func clearErrors(_ c: (code: String, message: String)) {
    let r = LabHarness.run(c.code)
    #expect(r.error?.contains(c.message) == true, "\(c.code): \(r.error ?? "no error; output \(r.output)")")
  }

  @Test func valuesThatOverflowedBefore() {
    let r = LabHarness.run("""
      "a b".split(" ", 9223372036854775807)
      "a b c".split(nil, 9223372036854775807)
      "abc".find("")
      ds = dataset.from([{"instruction": "a"}, {"instruction": "b"}])
      ds.stats(tokenizer=fn(s) { 9223372036854775807 })["all"]["instruction"]["max"]
      tensor(1e19)
      print("a\\u{0}b")
      """)
    #expect(r.error == nil, "\(r.error ?? "")")
    #expect(r.output == """
      ["a", "b"]
      ["a", "b", "c"]
      0
      9223372036854775807
      tensor(1.0000e+19, shape=[], dtype=f32)
      a\u{0}b

      """)
  }

  @Test func aNulInTheSourceIsNamedInTheError() {
    let r = LabHarness.run("x = 1\u{0}")
    #expect(r.error?.contains("unexpected character '\\u{0}'") == true, "\(r.error ?? "")")
  }

  @Test func aTinyFeedForwardSavesAndReloads() {
    // hidden=1 made a [1, dim] projection that the GGUF writer took for a norm.
    let r = LabHarness.run("""
      m = model.new(layers=1, dim=32, heads=2, hidden=1, seed=3)
      m.perplexity("hello hello hello hello hello hello", context=8) > 1
      """)
    #expect(r.error == nil, "\(r.error ?? "")")
    #expect(r.output.hasSuffix("true\n"))
  }

  @Test func modelPathNamesTheLoadedFileAndChatRolesAreChecked() {
    let file = NSTemporaryDirectory() + "edge-\(UInt32.random(in: 0...UInt32.max)).safetensors"
    defer { unlink(file) }
    let r = LabHarness.run("""
      m = model.new(layers=1, dim=32, heads=2, hidden=64, context=32, seed=3)
      print(m.path)
      m.save("\(file)")
      print(model.load("\(file)").path == "\(file)")
      """)
    #expect(r.error == nil && r.output == "nil\ntrue\n", "\(r)")
    let role = LabHarness.run("""
      m = model.new(layers=1, dim=32, heads=2, hidden=64, context=32, seed=3)
      m.chat([{"role": "bogus", "content": "hi"}])
      """)
    #expect(role.error?.contains("messages[0] has role \"bogus\"; expected \"system\", \"user\" or \"assistant\"") == true, "\(role)")
    let take = LabHarness.run("dataset.from([{\"instruction\": \"a\", \"output\": \"b\"}]).take(-1)")
    #expect(take.error?.contains("take(): argument 'n' must be >= 0") == true, "\(take)")
  }

  @Test func perplexityDefaultsToTheModelsContextWhenItIsShorterThan256() {
    let r = LabHarness.run("""
      m = model.new(layers=1, dim=32, heads=2, hidden=64, context=32, seed=3)
      m.perplexity("hello world " * 10) == m.perplexity("hello world " * 10, context=32)
      """)
    #expect(r.error == nil, "\(r.error ?? "")")
    #expect(r.output.hasSuffix("true\n"))
  }

  /// Runs `setup`, then `cell` with Ctrl-C pressed once the cell's statement has
  /// started (the check before it passes): it must fail with `error` and leave
  /// `variable` as `setup` made it (shown as `shown`).
  func expectInterruptedCellKeeps(_ variable: String, shown: String, setup: String, cell: String, error: String) {
    let interp = Lab.makeInterpreter()
    _ = LabHarness.run(setup, in: interp)
    var polls = 0
    interp.interruptRequested = { polls += 1; return polls > 1 }
    let r = LabHarness.run(cell, in: interp)
    #expect(r.error?.contains(error) == true, "\(r.error ?? "no error")")
    interp.interruptRequested = { false }
    #expect(LabHarness.run(variable, in: interp).output == shown + "\n")
  }

  @Test func anInterruptedPerplexityIsAnErrorAndLeavesTheVariable() {
    expectInterruptedCellKeeps("p", shown: "1.5", setup: "m = model.new(layers=1, dim=32, heads=2, seed=3); p = 1.5",
                               cell: "p = m.perplexity(\"hello \" * 40, context=8)",
                               error: "perplexity interrupted after 0 of 30 windows")
  }

  @Test func anInterruptedDedupLeavesTheVariable() throws {
    // (dataset.load is checked the same way; only files of many megabytes take long enough to interrupt.)
    let path = NSTemporaryDirectory() + "retort-edge-\(UUID().uuidString).jsonl"
    defer { unlink(path) }
    let lines = (0..<5000).map { #"{"instruction": "task number \#($0) with some words", "output": "ok"}"# }
    try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
    expectInterruptedCellKeeps("ds.count", shown: "1",
                               setup: "ds = dataset.from([{\"instruction\": \"old\"}]); big = dataset.load(\"\(path)\")",
                               cell: "ds = big.dedup()", error: "dedup interrupted")
  }

  @Test func aDivergedRunSaysSoAndStillSaves() throws {
    let path = NSTemporaryDirectory() + "retort-nan-run-\(UUID().uuidString).json"
    defer { unlink(path) }
    let r = LabHarness.run("""
      m = model.new(layers=1, dim=32, heads=2, context=512, seed=1)
      ds = dataset.from([{"instruction": "a", "output": "b"}, {"instruction": "c", "output": "d"}])
      run = m.train(ds, steps=3, lr=1e30, clip=0, seq=512, batch=2, warmup=0)
      run.save("\(path)")
      """)
    #expect(r.error == nil, "\(r.error ?? "")")
    #expect(r.output.contains("train: the loss became"), "\(r.output)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    let runs = try #require(json["runs"] as? [[String: Any]])
    #expect((runs.first?["loss"] as? [Any])?.contains { $0 is NSNull } == true)
  }
}
