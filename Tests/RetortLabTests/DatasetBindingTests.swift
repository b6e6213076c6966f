import Foundation
import Testing
import RetortLab
import RetortLang

/// The `dataset` namespace through the language, on small fixtures in the real formats.
@Suite struct DatasetBindingTests {
  static let evalSet = """
    {"question": "计算 12 * 13", "class": "math", "std_answer": "156"}
    {"question": "以下哪个是水果？\\n苹果、土豆", "class": "closed\u{00A0}qa", "std_answer": "苹果"}
    {"question": "给我想几个周末活动的点子。", "class": "brainstorming", "std_answer": ""}
    {"question": "“床前明月光”的下一句是什么？", "class": "Closed QA", "std_answer": "疑是地上霜。"}

    """

  func withFile(_ name: String, _ text: String, _ body: (String) -> Void) {
    let dir = NSTemporaryDirectory() + "retort-lab-ds-" + UUID().uuidString
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/" + name
    FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    body(path)
  }

  @Test func loadDisplayAndInspect() {
    withFile("eval_set.json", Self.evalSet) { path in
      let r = LabHarness.run("""
        ds = dataset.load("\(path)")
        ds
        ds.count
        ds[1].std_answer
        ds[-1]["instruction"]
        ds.categories
        ds.where(category="closed qa").count
        """)
      #expect(r.error == nil)
      let lines = r.output.split(separator: "\n").map(String.init)
      #expect(lines[0].hasPrefix("Dataset(4 records, belle_eval, fingerprint "))
      #expect(lines[1] == "fields: question, class, std_answer (instruction=question, output=std_answer, category=class)")
      // In a narrow session the mapping wraps with the fields (it was one unbreakable piece).
      let narrow = Lab.makeInterpreter()
      narrow.displayWidth = 50
      let n = LabHarness.run("dataset.load(\"\(path)\")", in: narrow)
      let rows = n.output.split(separator: "\n").map(String.init)
      #expect(rows.dropFirst().allSatisfy { $0.count <= 50 } && rows.contains("   (instruction=question, output=std_answer,"), "\(rows)")
      #expect(lines[2] == "categories: math 1, closed\u{00A0}qa 2, brainstorming 1")
      #expect(lines[3] == "4")
      #expect(lines[4] == "\"苹果\"")
      #expect(lines[5] == "\"“床前明月光”的下一句是什么？\"")
      // The no-break space shows as the escape it needs to be typed with.
      #expect(lines[6] == "{\"math\": 1, \"closed\\u{a0}qa\": 2, \"brainstorming\": 1}")
      #expect(lines[7] == "2")
    }
  }

  @Test func datasetsInListsLongFieldLinesAndTableNumbers() {
    let r = LabHarness.run("""
      ds = dataset.from([{"instruction": "a", "output": "b", "category": "x", "score": 0.1 * 7, "a_rather_long_field_name_number_one": 1, "another_quite_long_field_name_two": 2, "third": 3}] * 4)
      ds.split(0.5)
      ds
      ds.head(2, fields=["score"])
      """)
    #expect(r.error == nil, "\(r)")
    let lines = r.output.split(separator: "\n").map(String.init)
    #expect(lines[0] == "[" && lines[1].hasPrefix("  Dataset(2 records, alpaca, fingerprint ") && lines[1].hasSuffix("),"), "\(lines)")
    #expect(lines[2].hasPrefix("  Dataset(2 records, alpaca, fingerprint ") && lines[3] == "]", "\(lines)")
    // The fields line wraps instead of losing its end.
    #expect(lines[5] == "fields: instruction, output, category, score, a_rather_long_field_name_number_one,", "\(lines)")
    #expect(lines[6] == "   another_quite_long_field_name_two, third", "\(lines)")
    #expect(r.output.contains("0  0.7\n") && !r.output.contains("0.7000000000000001"), "\(r.output)")
  }

  @Test func headTableAndStats() {
    withFile("eval_set.json", Self.evalSet) { path in
      let r = LabHarness.run("""
        ds = dataset.load("\(path)")
        ds.head(2)
        st = ds.stats()
        st["closed qa"]["count"]
        st["all"]["output"]["max"]
        """)
      #expect(r.error == nil)
      #expect(r.output.contains("#  category"))
      #expect(r.output.contains("计算 12 * 13"))
      #expect(r.output.contains("以下哪个是水果？ ↵ 苹果、土豆"))
      #expect(r.output.hasSuffix("2\n6\n"))
      let t = LabHarness.run("""
        ds = dataset.load("\(path)")
        ds.stats(tokenizer=dataset.tokens)["math"]["instruction"]["max"]
        ds.stats(tokenizer=fn(s) { len(s) * 2 })["all"]["output"]["max"]
        """)
      #expect(t.error == nil)
      #expect(t.output == "4\n12\n")
    }
    // Means round as Python's f"{x:.1f}": 3/20 is the double 0.1499..., so 0.1 (rounding x10 gave 0.2).
    let r = LabHarness.run("dataset.from([{\"instruction\": \"q\", \"output\": \"x\"}] * 3 + [{\"instruction\": \"q\", \"output\": \"\"}] * 17).stats()")
    #expect(r.error == nil && r.output.contains("0.1 / 0.0 / 1.0 / 1"), "\(r.output)")
  }

  @Test func headShowsTheTextOfADatasetWithoutCanonicalText() {
    // BELLE's eval_prompt.json: a class (read as the category) and a prompt.
    withFile("eval_prompt.json", "{\"class\": \"math\", \"prompt\": \"你是一个数学老师\"}\n") { path in
      let r = LabHarness.run("dataset.load(\"\(path)\").head()")
      #expect(r.error == nil, "\(r.error ?? "")")
      #expect(r.output.contains("#  category  prompt") && r.output.contains("你是一个数学老师"), "\(r.output)")
    }
  }

  @Test func categoriesCountRecordsWithoutOneAsStatsDoes() {
    let r = LabHarness.run("""
      ds = dataset.from([{"instruction": "a", "score": 1}, {"instruction": "b", "output": "x", "category": "math"},
                         {"instruction": "c", "category": ""}])
      ds
      ds.categories
      ds.stats()["all"]["count"]
      len(ds.group_by("category"))
      """)
    #expect(r.error == nil, "\(r.error ?? "")")
    // output is listed though the first record lacks it; the two records without a category count together.
    #expect(r.output.contains("fields: instruction, score, output, category"), "\(r.output)")
    #expect(r.output.contains("categories: (none) 2, math 1"), "\(r.output)")
    #expect(r.output.contains("{\"\": 2, \"math\": 1}\n3\n2\n"), "\(r.output)")
  }

  @Test func operationsWithLanguageFunctions() {
    let r = LabHarness.run("""
      ds = dataset.from([{"instruction": "a", "output": "1", "category": "x"}, {"instruction": "bb", "output": "22", "category": "X"}, {"instruction": "ccc", "output": "", "category": "y"}])
      ds.filter(fn(r) { len(r.instruction) > 1 }).count
      ds.map(fn(r) { {"instruction": r.instruction + "!", "n": len(r.output)} })[1].to_map()
      ds.sort_by(fn(r) { -len(r.instruction) })[0].instruction
      ds.drop_empty().count
      ds.group_by("category")
      parts = ds.split(0.5, seed=1)
      len(parts[0]) + len(parts[1])
      ds.rename(output="answer")[0].to_map()
      ds.select(["instruction"])["instruction"]
      ds.format("Q: {instruction}")[2].prompt
      ds.dedup(threshold=0.7).count
      """)
    #expect(r.error == nil)
    let lines = r.output.split(separator: "\n").map(String.init)
    #expect(lines[0] == "2")
    #expect(lines[1] == "{\"instruction\": \"bb!\", \"n\": 2}")
    #expect(lines[2] == "\"ccc\"")
    #expect(lines[3] == "2")
    // Datasets inside a map show their first line.
    #expect(lines[4] == "{" && lines[7] == "}")
    #expect(lines[5].hasPrefix("  \"x\": Dataset(2 records, alpaca, fingerprint ") && lines[5].hasSuffix("),"))
    #expect(lines[6].hasPrefix("  \"y\": Dataset(1 record, alpaca, fingerprint "))
    #expect(lines[8] == "3")
    #expect(lines[9] == "{\"instruction\": \"a\", \"answer\": \"1\", \"category\": \"x\"}")
    #expect(lines[10] == "[\"a\", \"bb\", \"ccc\"]")
    #expect(lines[11] == "\"Q: ccc\"")
    #expect(lines[12] == "3")
  }

  @Test func manualFields() {
    let r = LabHarness.run("""
      ds = dataset.from([{"prompt": "p", "completion": "c", "topic": "t"}], fields={"instruction": "prompt", "output": "completion", "category": "topic"})
      [ds[0].instruction, ds[0].output, ds.categories, ds.schema]
      """)
    #expect(r.error == nil)
    #expect(r.output == "[\"p\", \"c\", {\"t\": 1}, \"manual\"]\n")
  }

  @Test func parseTasksAndRouge() {
    let r = LabHarness.run("""
      t = dataset.parse_tasks("1. 指令: 写一首诗\\n1. 输入: <无输入>\\n1. 输出: 春眠不觉晓\\n2. 指令: 翻译")
      t.count
      t[0].input
      dataset.rouge_l("写一首诗", "写一首关于夏天的诗")["precision"]
      dataset.tokens("Hello, 世界!")
      """)
    #expect(r.error == nil)
    #expect(r.output == "1\n\"\"\n1.0\n[\"hello\", \"世\", \"界\"]\n")
  }

  @Test func errorsReachTheUser() {
    withFile("eval.jsonl", "{\"question\": \"a\"}\n{\"question\": \"b\" \"class\": 1}\n") { path in
      let r = LabHarness.run("dataset.load(\"\(path)\")")
      #expect(r.error?.contains("\(path):2:18: expected ',' or '}'") == true)
      let skip = LabHarness.run("ds = dataset.load(\"\(path)\", on_error=\"skip\")\nds.skipped")
      #expect(skip.error == nil)
      #expect(skip.output == "skipped 1 malformed line of \(path): 2:18: expected ',' or '}'\n[\"2:18: expected ',' or '}'\"]\n")
    }
    let bad = LabHarness.run("dataset.from([{\"instruction\": \"x\"}]).where(nope=1)")
    #expect(bad.error?.contains("where(): no field 'nope'; fields are: instruction") == true)
    let idx = LabHarness.run("dataset.from([{\"instruction\": \"x\"}])[3]")
    #expect(idx.error?.contains("dataset[3]: index out of range for a dataset of 1 records") == true)
  }

  @Test func saveRoundTrip() {
    withFile("eval_set.json", Self.evalSet) { path in
      let out = path + ".out.jsonl"
      let r = LabHarness.run("""
        ds = dataset.load("\(path)")
        ds.save("\(out)")
        dataset.load("\(out)").fingerprint == ds.fingerprint
        """)
      #expect(r.error == nil)
      #expect(r.output == "saved 4 records to \(out)\ntrue\n")
    }
  }
}
