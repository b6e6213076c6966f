import Foundation
import Testing
@testable import RetortLab
import RetortJudge
import RetortLang

/// The `judge` namespace through the language (metrics, reports, errors; no network).
/// Serialized: a judge job runs on Swift's cooperative pool while the test waits for it, so two
/// judge tests at once could hold both pool threads of a 2-core machine and wait for each other.
@Suite(.serialized) struct JudgeBindingTests {
  static let answers = """
    ds = dataset.from([
      {"question": "计算 12+30", "class": "math", "std_answer": "42", "answer": "答案是42"},
      {"question": "中国的首都是哪里？", "class": "open qa", "std_answer": "北京", "answer": "上海"},
      {"question": "给我想几个周末活动的点子。", "class": "brainstorming", "std_answer": "", "answer": "爬山"},
      {"question": "“床前明月光”的下一句？", "class": "Open\u{00A0}QA", "std_answer": "疑是地上霜。", "answer": "疑是地上霜"}
    ])
    """

  @Test func metricScoresReportAndScoredDataset() {
    let r = LabHarness.run(Self.answers + """

      s = judge.numeric().score(ds)
      s
      s.scores
      e = judge.exact().score(ds)
      e.scores
      rep = e.report("exact")
      rep.categories["open qa"]["count"]
      rep.micro
      e.dataset[3].score
      judge.rouge_l()
      judge.parse_score("得分：0.8")
      """)
    #expect(r.error == nil, "\(r.error ?? "")")
    let lines = r.output.split(separator: "\n").map(String.init)
    #expect(lines.count >= 8, "\(r.output)")
    guard lines.count >= 8 else { return }
    #expect(lines[0] == "Scores(4 items, judge numeric, mean 1.0000, failures 3)")
    #expect(lines[1] == "[1.0, nil, nil, nil]")
    #expect(lines[2] == "[0.0, 0.0, nil, 1.0]")
    #expect(lines[3] == "2")
    #expect(lines[4].hasPrefix("0.333"))
    #expect(lines[5] == "1.0")
    #expect(lines[6] == "Judge(rouge_l)")
    #expect(lines[7] == "0.8")
  }

  @Test func reportRendersAndComparesWithDeltas() {
    let r = LabHarness.run(Self.answers + """

      a = judge.exact().score(ds).report("exact")
      b = judge.contains().score(ds).report("contains")
      a
      a.compare(b)
      """)
    #expect(r.error == nil, "\(r.error ?? "")")
    #expect(r.output.contains("exact — judge: exact"))
    #expect(r.output.contains("without others"))
    #expect(r.output.contains("contains"))
    #expect(r.output.contains("(+0.500)"), "\(r.output)")
  }

  @Test func errorsNameWhatIsWrong() {
    let missing = LabHarness.run("judge.exact().score(dataset.from([{\"instruction\": \"q\", \"output\": \"r\"}]))")
    #expect(missing.error?.contains("missing field answer in item 0") == true, "\(missing.error ?? "")")
    let prompts = LabHarness.run(Self.answers + "\nj = judge.llm(\"http://127.0.0.1:9\", \"m\", {\"math\": \"P\"})\nj.score(ds)")
    #expect(prompts.error?.contains("no judge prompt for categories 'open qa', 'brainstorming'") == true, "\(prompts.error ?? "")")
    let url = LabHarness.run("judge.llm(\"ftp://x\", \"m\", {\"math\": \"P\"})")
    #expect(url.error?.contains("expected an http(s) URL") == true, "\(url.error ?? "")")
    let tok = LabHarness.run("judge.bleu(tokenizer=\"intl\")")
    #expect(tok.error?.contains("expects \"13a\", \"zh\" or \"none\"") == true)
    let parse = LabHarness.run("judge.parse_score(\"回答很好\")")
    #expect(parse.error?.contains("no score found") == true)
    // Pairwise: rows must ask the same question (a reversed second dataset was judged row by row),
    // and it judges each pair once per order, so it takes no repeats.
    let two = Self.answers + "\nb = dataset.from([ds[1], ds[0], ds[2], ds[3]])\n"
    let misaligned = LabHarness.run(two + "judge.pairwise(ds, b, \"http://127.0.0.1:9\", \"m\")")
    #expect(misaligned.error?.contains("row 0 asks different questions") == true, "\(misaligned.error ?? "")")
    let repeats = LabHarness.run(two + "judge.pairwise(ds, ds, \"http://127.0.0.1:9\", \"m\", repeats=3)")
    #expect(repeats.error?.contains("repeats") == true, "\(repeats.error ?? "")")
    // Which of the two datasets lacks the answers.
    let noAnswer = LabHarness.run(Self.answers + "\nq = dataset.from([{\"instruction\": r.instruction} for r in ds])\n"
                                  + "judge.pairwise(ds, q, \"http://127.0.0.1:9\", \"m\")")
    #expect(noAnswer.error?.contains("judge.pairwise(): second: missing field answer in items 0, 1, 2, 3") == true, "\(noAnswer.error ?? "")")
    let blank = LabHarness.run("judge.exact().score(dataset.from([{\"instruction\": \" \", \"output\": \"r\", \"answer\": \"a\"}]))")
    #expect(blank.error?.contains("score(): the instruction is empty in item 0") == true, "\(blank.error ?? "")")
    let tooMany = LabHarness.run("judge.llm(\"http://127.0.0.1:9\", \"m\", {\"math\": \"P\"}, repeats=10**9)")
    #expect(tooMany.error?.contains("repeats: expected 1 to 100") == true, "\(tooMany.error ?? "")")
  }

  @Test func aLedgerThatIsAnotherFileIsRefusedWhenTheJudgeIsMade() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("retort-ledger-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let answers = dir.appendingPathComponent("answers.jsonl").path
    let r = LabHarness.run(Self.answers + "\nds.save(\"\(answers)\")\njudge.llm(\"http://127.0.0.1:9\", \"m\", {\"math\": \"P\"}, ledger=\"\(answers)\")")
    #expect(r.error?.contains("judge.llm(): argument 'ledger': \(answers):1: not a judge ledger") == true, "\(r.error ?? "")")
    let d = LabHarness.run("judge.llm(\"http://127.0.0.1:9\", \"m\", {\"math\": \"P\"}, ledger=\"\(dir.path)\")")
    #expect(d.error?.contains("the ledger is a directory") == true, "\(d.error ?? "")")
  }

  @Test func loadedScoresKeepWhatTheJudgeSaw() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("retort-scores-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("exact").path
    let r = LabHarness.run(Self.answers + """

      judge.exact().score(ds).save("\(path)")
      back = judge.load_scores("\(path).json").dataset
      print(back.count, back[1].instruction, back[1].answer, back[1].output, back[1].category, back[3].score)
      judge.exact().score(ds).report().save("\(dir.path)/")
      """)
    #expect(r.output.contains("4 中国的首都是哪里？ 上海 北京 open qa 1.0\n"), "\(r.output)")
    #expect(r.error?.contains("is a directory; give a file name in it") == true, "\(r.error ?? "")")
  }

  @Test func localModelJudgeRecordsFailures() {
    let p = ModelBindingTests.path
    let (out, err) = LabHarness.run("""
      m = model.load("\(p)", context=128)
      ds = dataset.from([{"instruction": "q", "output": "r", "answer": "a", "category": "math"}])
      j = judge.model(m, prompts={"math": "score it"}, repeats=2, max_tokens=4, temperature=0.5)
      s = j.score(ds)
      print(s.count, len(s.failures), s.scores)
      print(len(s.failures[0]["failures"]))
      """)
    #expect(err == nil, "\(err ?? "")")
    // The failure is also said when score() returns, not only kept in s.failures.
    #expect(out.hasPrefix("score(): 1 of 1 item failed; the first: repeat 0: no score found in judge reply"), "\(out)")
    #expect(out.hasSuffix("(s.failures lists them all)\n1 1 [nil]\n2\n"), "\(out)")
  }

  final class Counts: ProgressSink {
    var done: [Int] = []
    func update(done: Int, note: String) { self.done.append(done) }
    func finish() {}
  }

  @Test func judgeProgressEndsAtTheCallsMade() {
    let interp = Lab.makeInterpreter()
    let counts = Counts()
    interp.progressFactory = { _, _ in counts }
    let (_, err) = LabHarness.run("""
      m = model.load("\(ModelBindingTests.path)", context=128)
      ds = dataset.from([{"instruction": "q", "output": "r", "answer": "a", "category": "math"}] * 2)
      s = judge.model(m, prompts={"math": "score it"}, repeats=2, max_tokens=2).score(ds)
      """, in: interp)
    #expect(err == nil, "\(err ?? "")")
    #expect(counts.done.last == 4, "\(counts.done)")
  }

  @Test func judgeProgressRedrawsWhileCallsWait() throws {
    // One call ends, then the job waits (a slow endpoint, a long Retry-After): the bar is still
    // updated on every poll, so a log keeps getting its line and a terminal its elapsed time.
    let interp = Lab.makeInterpreter()
    let counts = Counts()
    interp.progressFactory = { _, _ in counts }
    let v = try JudgeRun.blocking(interp, label: "judging") { progress, _ in
      progress(JudgeProgress(done: 1, total: 2, failures: 0, cached: 0, elapsed: 0))
      try await Task.sleep(nanoseconds: 450_000_000)
      progress(JudgeProgress(done: 2, total: 2, failures: 0, cached: 0, elapsed: 0.45))
      return 7
    }
    #expect(v == 7)
    #expect(counts.done.filter { $0 == 1 }.count >= 3, "\(counts.done)")
    #expect(counts.done.last == 2, "\(counts.done)")
  }
}
