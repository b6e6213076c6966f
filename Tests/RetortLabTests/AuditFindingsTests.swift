// Inputs from the third round of user audits that crashed Retort, leaked
// memory or gave silently wrong results. Each must now give the right value
// or an error that says what was expected.

import Foundation
import Testing
import RetortLab
import RetortLang

@Suite struct AuditFindingsTests {
  static let errors: [(code: String, message: String)] = [
    // A value that contains itself overflowed the stack when made a record.
    ("x = []; x.append(x); dataset.from([{\"instruction\": x}])", "nested more than 512 levels deep"),
    ("x = {}; x[\"a\"] = x; dataset.from([{\"instruction\": x}])", "nested more than 512 levels deep"),
    // len and r[-1] of a range longer than Int.max were clamped.
    ("range(-9223372036854775807 - 1, 9223372036854775807)", "would have more than 9223372036854775807 elements"),
    // high - low wrapped, and every value was low.
    ("tensor.randint(-9223372036854775807 - 1, 9223372036854775807, [3])", "a range below 2^32"),
    // Any tensor of two or more elements was true.
    ("if tensor([1.0, 2.0]) > 5 { 1 }", "the truth of a tensor of 2 elements is ambiguous"),
    ("bool(tensor([0.0, 0.0]))", "is ambiguous"),
    // NaN keys counted in len but vanished from display, items and values.
    ("{float(\"nan\"): 1}", "a map key cannot be NaN"),
    ("m = {}; m[float(\"nan\")] = 1", "a map key cannot be NaN"),
    // The enumerate index overflowed (a trap).
    ("enumerate([1, 2], start=9223372036854775807)", "enumerate(): the index overflows"),
    // unique(by=) on a missing field kept one record of the whole dataset.
    ("dataset.from([{\"instruction\": \"a\"}, {\"instruction\": \"b\"}]).unique(by=\"nope\")", "unique(): no field 'nope'"),
    // A typo in a fields= name mapped nothing, and every instruction loaded empty.
    ("dataset.from([{\"prompt\": \"x\"}], fields={\"instrution\": \"prompt\"})", "'instrution' is not one of them"),
    ("dataset.from([{\"instruction\": \"a\"}]).head(fields=[\"nope\"])", "head(): no field 'nope'; fields are: instruction"),
    // Smaller misreadings.
    ("0 ** -1", "division by zero (0 to the power -1)"),
    ("0.0 ** -0.5", "division by zero"),
    ("dataset.load(\"\")", "argument 'path': the path is empty"),
    ("judge.load_scores(\"/\")", "is a directory; give the .json file"),
    ("judge.exact().score(dataset.from([{\"instruction\": \"q\", \"output\": \"a\", \"answer\": \"a\"}])).save(\"/tmp/x.txt\")",
     "cannot save as .txt"),
    ("judge.rouge_l().score(dataset.from([{\"instruction\": \"q\", \"output\": 5, \"answer\": [1]}]))",
     "record 0: answer is a list; expected text"),
  ]

  @Test(arguments: errors)
  func clearErrors(_ c: (code: String, message: String)) {
    let r = LabHarness.run(c.code)
    #expect(r.error?.contains(c.message) == true, "\(c.code): \(r.error ?? "no error; output \(r.output)")")
  }

  @Test func anAmbiguousTensorIsReportedAtTheCondition() {
    let r = LabHarness.run("x = tensor([1.0, 2.0])\nif x > 5 { print(\"big\") }")
    #expect(r.output.isEmpty && r.error?.contains("[1]:2:4") == true, "\(r)")
    #expect(LabHarness.run("bool(tensor(0.0)); tensor([3.0]) > 2 and true").output == "false\ntrue\n")
  }

  @Test func savingScoresSaysWhereTheyWent() {
    let base = NSTemporaryDirectory() + "scores-\(UInt32.random(in: 0...UInt32.max))"
    defer { unlink(base + ".json"); unlink(base + ".csv") }
    let r = LabHarness.run("""
      s = judge.exact().score(dataset.from([{"instruction": "q", "output": "a", "answer": "a"}]))
      s.save("\(base)")
      len(judge.load_scores("\(base).json").scores)
      """)
    #expect(r.error == nil && r.output == "saved to \(base).json and \(base).csv\n1\n", "\(r)")
  }

  @Test func streamedTextIsNotDisplayedAgain() {
    // A generate or chat statement showed its text twice: streamed, then quoted.
    let interp = Lab.makeInterpreter()
    _ = LabHarness.run("m = model.new(layers=1, dim=32, heads=2, hidden=64, context=64, seed=3)", in: interp)
    let assigned = LabHarness.run("t = m.generate(\"ab\", max_tokens=4, temperature=0)", in: interp)
    let shown = LabHarness.run("m.generate(\"ab\", max_tokens=4, temperature=0)", in: interp)
    #expect(assigned.error == nil && shown.output == assigned.output, "\(assigned) \(shown)")
    #expect(LabHarness.run("_ == t", in: interp).output == "true\n")
    // Any other value of the statement is displayed as usual.
    #expect(LabHarness.run("len(m.generate(\"ab\", max_tokens=4, temperature=0)) >= 0", in: interp).output.hasSuffix("true\n"))
  }

  @Test func aFieldTheLayoutReadsButNoRecordHasIsNamed() {
    // BELLE's eval layout with std_answer renamed away: every output read "" without a word.
    let r = LabHarness.run("d = dataset.from([{\"question\": \"q1\", \"class\": \"math\", \"reference\": \"5\"}])")
    #expect(r.output.contains("note: no record of the list has 'std_answer', which output reads (belle_eval layout)"), "\(r)")
    #expect(LabHarness.run("d = dataset.from([{\"question\": \"q1\", \"class\": \"math\", \"std_answer\": \"5\"}])").output.isEmpty)
  }

  @Test func textFieldsHoldingOtherValuesAreNamed() {
    // `"output": 42` was read as "42" wherever text is needed, without a word.
    let r = LabHarness.run("d = dataset.from([{\"instruction\": \"a\", \"output\": 42}, {\"instruction\": \"b\", \"output\": \"c\"}])")
    #expect(r.output == "note: 1 record of the list holds a number, boolean, list or object as output (first: record 0, 42); it is read as that JSON text wherever text is needed (templates, training, judging)\n", "\(r)")
    #expect(LabHarness.run("d = dataset.from([{\"instruction\": \"a\", \"output\": null}])").output.isEmpty)
    // OpenAI's content parts: the text is read, an image is left out, and that is said.
    let mm = LabHarness.run("""
      d = dataset.from([{"messages": [{"role": "user", "content": [{"type": "text", "text": "What is it?"}, {"type": "image_url", "image_url": {"url": "x.png"}}]}, {"role": "assistant", "content": "A cat."}]}])
      print(d[0].instruction)
      """)
    #expect(mm.output == "note: every record of the list has turns whose content lists parts that are not text (1 part, first: record 0, \"image_url\"); their text parts are read and the others left out\nWhat is it?\n", "\(mm)")
  }

  @Test func statsNeverCutANumber() {
    // A maximum of 3334 showed as "33…" at width 100.
    let long = String(repeating: "x", count: 123_456)
    let r = LabHarness.run("""
      ds = dataset.from([{"instruction": "\(String(repeating: "i", count: 99_999))", "input": "\(String(repeating: "p", count: 88_888))", "output": "\(long)", "category": "a rather long category name indeed"}])
      ds.stats()
      """)
    #expect(r.error == nil && r.output.contains("123456.0 / 123456.0 / 123456.0 / 123456") && !r.output.contains("1234…"), "\(r)")
  }

  @Test func aMetricsFailureIsNotNumberedAsARepeat() {
    let r = LabHarness.run("""
      s = judge.rouge_l().score(dataset.from([{"instruction": "q", "output": "", "answer": "a"}]))
      s.failures[0]["failures"]
      """)
    #expect(r.error == nil && r.output == "[\"no reference answer\"]\n", "\(r)")
  }

  @Test func sumReportsItsErrorAtTheCall() {
    let r = LabHarness.run("sum([9223372036854775807, 1])")
    #expect(r.error?.contains("sum(): integer overflow") == true && r.error?.contains("[1]:1:1") == true, "\(r)")
    #expect(r.error?.contains("sum:1:1") == false, "\(r)")
  }

  @Test func slicesWithHugeStepsTakeOneElement() {
    // The index arithmetic trapped (lists, strings, ranges) or wrapped (tensors).
    let r = LabHarness.run("""
      [1, 2, 3][1::9223372036854775807]
      "abc"[1:2:9223372036854775807]
      list(range(10)[1::9223372036854775807])
      [1, 2, 3][::-9223372036854775807 - 1]
      tensor.arange(5)[1::9223372036854775807]
      tensor.arange(5)[4::-9223372036854775807 - 1]
      """)
    #expect(r.error == nil, "\(r)")
    #expect(r.output == """
      [2]
      "b"
      [1]
      [3]
      tensor([1.], shape=[1], dtype=f32)
      tensor([4.], shape=[1], dtype=f32)

      """, "\(r.output)")
  }

  @Test func aHelperThatUsesNothingOfItsMakerDoesNotKeepItsFrame() {
    // The closure kept the frame that kept the closure: a cycle ARC never frees.
    let r = LabHarness.run("""
      fn g() { big = [0] * 10; keep = fn(n) { n > 1 }; keep(2) }
      fn mk(a) { fn(x) { x + a } }
      fn outer(a) { fn mid() { fn(x) { x + a } }; mid()(1) }
      [g(), mk(3)(4), outer(5)]
      """)
    #expect(r.error == nil && r.output == "[true, 7, 6]\n", "\(r)")
  }

  @Test func aLowerContextBindsChatAnswerAndLogprob() {
    // model.load(context=) bound generate and conversations only.
    let file = NSTemporaryDirectory() + "audit-\(UInt32.random(in: 0...UInt32.max)).safetensors"
    defer { unlink(file) }
    let interp = Lab.makeInterpreter()
    let made = LabHarness.run("""
      model.new(vocab=260, layers=1, dim=32, heads=2, hidden=64, context=64, seed=3).save("\(file)")
      m = model.load("\(file)", context=8)
      """, in: interp)
    #expect(made.error == nil, "\(made)")
    let cases = [("m.logprob(\"abcdef\", \"ghi\")", "the context holds 8"),
                 ("m.chat(\"a long question\", max_tokens=2)", "context holds 8"),
                 ("m.answer([\"a long question\"], max_tokens=2)", "context holds 8")]
    for (code, message) in cases {
      let r = LabHarness.run(code, in: interp)
      #expect(r.error?.contains(message) == true, "\(code): \(r)")
    }
    #expect(LabHarness.run("m.logprob(\"ab\", \"c\")[\"tokens\"]", in: interp).output == "1\n")
  }
}

@Suite struct WhereNumberTests {
  @Test func numbersCompareAsNumbers() {
    let r = LabHarness.run("d = dataset.from([{\"n\": 1}, {\"n\": \"1\"}, {\"n\": 2.0}])\n[d.where(n=1.0).count, d.where(n=2).count, d.where(n=\"1\").count]")
    #expect(r.output == "[1, 1, 2]\n", "\(r)")
  }
}

@Suite struct StatsTotalTests {
  @Test func aCategoryNamedAllKeepsItsRow() {
    let r = LabHarness.run("st = dataset.from([{\"instruction\": \"a\", \"category\": \"all\"}, {\"instruction\": \"bb\", \"category\": \"x\"}]).stats()\n[st[\"all\"][\"count\"], st[\"all (total)\"][\"count\"]]")
    #expect(r.output == "[1, 2]\n", "\(r)")
  }
}

@Suite struct CSVNoteTests {
  @Test func csvSurprisesAreSaid() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("retort-csv-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    try "a;b\n1;2\n".write(to: dir.appendingPathComponent("semi.csv"), atomically: true, encoding: .utf8)
    let r = LabHarness.run("""
      d = dataset.load("\(dir.path)/semi.csv")
      dataset.from([{"conversations": [{"from": "human", "value": "hi"}]}]).save("\(dir.path)/c.csv")
      """)
    #expect(r.error == nil, "\(r)")
    #expect(r.output.contains("is one column, \"a;b\": separated by semicolons?"), "\(r.output)")
    #expect(r.output.contains("1 record holds lists or objects (conversations?), written into the CSV cells as JSON text"), "\(r.output)")
  }
}
