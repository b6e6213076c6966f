import Testing
@testable import RetortData

@Suite struct LoadTests {
  @Test func belleEvalIsJSONLinesDespiteExtension() throws {
    let dir = TempDir()
    let ds = try Dataset.load(dir.write("eval_set.json", Fixture.belleEval))
    #expect(ds.count == 5)
    #expect(ds.schema == .belleEval)
    #expect(ds.loadReport?.format == "jsonl")
    let r = ds.records[1]
    #expect(r.instruction == "以下哪个是水果？\n苹果、土豆、白菜")
    #expect(r.output == "苹果")
    #expect(r["std_answer"] == "苹果")
    #expect(r.category == "closed\u{00A0}qa")
    #expect(r.categoryKey == "closed qa")
    #expect(r.fields.keys == ["question", "class", "std_answer"])
    #expect(ds.fields == ["question", "class", "std_answer", "instruction", "output", "category"])
    #expect(ds.categories.map(\.key) == ["code", "closed qa", "brainstorming", "math"])
    #expect(ds.categories[1].count == 2 && ds.categories[1].label == "closed\u{00A0}qa")
  }

  @Test func judgePromptLabelsMatchEvalLabels() throws {
    let dir = TempDir()
    let prompts = try Dataset.load(dir.write("eval_prompt.json", Fixture.evalPrompt))
    #expect(prompts.schema == .generic)
    #expect(prompts.records.map(\.categoryKey) == ["math", "open qa", "closed qa", "translation"])
    let evalKeys = Set(try Dataset.load(dir.write("e.json", Fixture.belleEval)).categories.map(\.key))
    #expect(evalKeys.contains(prompts.records[2].categoryKey ?? ""))
  }

  @Test func seedTasksGiveOneRecordPerInstance() throws {
    let dir = TempDir()
    let zh = try Dataset.load(dir.write("zh_seed_tasks.json", Fixture.zhSeedTasks))
    #expect(zh.schema == .seedTasks)
    #expect(zh.count == 3)
    #expect(zh.records[2].fields.keys == ["id", "name", "instruction", "input", "output", "is_classification"])
    #expect(zh.records[2].input == "快乐" && zh.records[2].output == "高兴")
    #expect(zh.records[2]["id"] == "seed_task_38")
    #expect(zh.records[2]["is_classification"] == .bool(false))
    let en = try Dataset.load(dir.write("seed_tasks.jsonl", Fixture.alpacaSeedTasks))
    #expect(en.count == 2 && en.records[1]["is_classification"] == .bool(true))
  }

  @Test func alpacaPrettyArray() throws {
    let dir = TempDir()
    let ds = try Dataset.load(dir.write("alpaca_data.jsonl", Fixture.alpacaArray))
    #expect(ds.loadReport?.format == "json")
    #expect(ds.schema == .alpaca)
    #expect(ds.records.map(\.input) == ["", "Good morning"])
    #expect(ds.records[0].output == "1. Eat a balanced diet.\n2. Exercise.\n3. Sleep.")
  }

  @Test func dollyShareGPTOpenAIVicuna() throws {
    let dir = TempDir()
    let dolly = try Dataset.load(dir.write("dolly.jsonl", Fixture.dolly))
    #expect(dolly.schema == .dolly)
    #expect(dolly.records[0].input.hasPrefix("Virgin Australia commenced"))
    #expect(dolly.records[0].output == "31 August 2000.")
    #expect(dolly.categories.map(\.key) == ["closed_qa", "classification", "open_qa"])
    #expect(dolly.categories[1].count == 2)

    let sg = try Dataset.load(dir.write("sharegpt.json", Fixture.sharegpt))
    #expect(sg.schema == .sharegpt)
    #expect(sg.records[0].conversations?.map(\.role) == ["user", "assistant", "user", "assistant"])
    #expect(sg.records[1].instruction == "Hi" && sg.records[1].output == "Hello")

    let oa = try Dataset.load(dir.write("chat.jsonl", Fixture.openai))
    #expect(oa.schema == .openaiChat)
    #expect(oa.records[0].conversations == [Turn(role: "system", content: "You are helpful."),
                                           Turn(role: "user", content: "2+2?"), Turn(role: "assistant", content: "4")])
    #expect(oa.records[0].instruction == "2+2?" && oa.records[0].output == "4")

    let v = try Dataset.load(dir.write("question.jsonl", Fixture.vicuna))
    #expect(v.schema == .questionList)
    #expect(v.records[1].instruction == "What are the most effective ways to deal with stress?")
    #expect(v.categories.count == 1 && v.categories[0].count == 2)
  }

  @Test func manualFieldMapping() throws {
    let dir = TempDir()
    let path = dir.write("custom.jsonl", Fixture.custom)
    let plain = try Dataset.load(path)
    #expect(plain.schema == .generic && plain.records[0].instruction == "")
    let ds = try Dataset.load(path, options: LoadOptions(fields: ["instruction": "prompt", "output": "completion",
                                                                  "category": "topic"]))
    #expect(ds.schema == .manual)
    #expect(ds.records[1].instruction == "Say bye" && ds.records[1].output == "Bye")
    #expect(ds.categories.first?.count == 2)
    #expect(throws: DataError.self) { try Dataset.load(path, options: LoadOptions(fields: ["instruction": "nope"])) }
    do {
      _ = try Dataset.load(path, options: LoadOptions(fields: ["instruction": "nope"]))
    } catch {
      #expect("\(error)" == "load: fields maps 'instruction' to 'nope', but \(path) has no field 'nope'; its fields are: prompt, completion, topic")
    }
  }

  @Test func fromObjects() {
    let ds = Dataset.from([["question": "q", "class": "Math", "std_answer": "1"]])
    #expect(ds.schema == .belleEval && ds.records[0].instruction == "q" && ds.records[0].categoryKey == "math")
    #expect(Dataset.from([]).count == 0)
  }

  @Test func documentsBOMAndWrappedArrays() throws {
    let dir = TempDir()
    let bom = try Dataset.load(dir.write("bom.jsonl", bytes: [0xEF, 0xBB, 0xBF] + Array("{\"instruction\": \"x\"}\n".utf8)))
    #expect(bom.count == 1)
    let pretty = try Dataset.load(dir.write("one.json", "{\n  \"instruction\": \"a\",\n  \"output\": \"b\"\n}\n"))
    #expect(pretty.count == 1 && pretty.records[0].output == "b")
    let wrapped = try Dataset.load(dir.write("w.json", "{\"data\": [\n{\"instruction\": \"a\"},\n{\"instruction\": \"b\"}]}"))
    #expect(wrapped.records.map(\.instruction) == ["a", "b"])
    let forced = try Dataset.load(dir.write("f.txt", "{\"instruction\": \"a\"}"), options: LoadOptions(format: .json))
    #expect(forced.count == 1)
    let crlf = try Dataset.load(dir.write("crlf.jsonl", "{\"instruction\": \"a\"}\r\n\r\n{\"instruction\": \"b\"}\r\n"))
    #expect(crlf.count == 2)
  }

  @Test func streamingVisitsEveryRecord() throws {
    let dir = TempDir()
    var n = 0
    var seen: [Int] = []
    let report = try Dataset.stream(dir.write("z.json", Fixture.zhSeedTasks),
                                    options: LoadOptions(progress: { done, total in seen.append(done); #expect(done <= total) })) { _ in n += 1 }
    #expect(n == 3 && report.records == 3 && report.schema == .seedTasks)
    #expect(seen.last == Fixture.zhSeedTasks.utf8.count)
  }

  @Test func cancellationKeepsRecordsRead() throws {
    let dir = TempDir()
    let text = String(repeating: "{\"instruction\": \"x\"}\n", count: 10_000)
    let path = dir.write("big.jsonl", text)
    var options = LoadOptions(isCancelled: { true })
    options.blockBytes = 1000
    options.threads = 2
    do {
      _ = try Dataset.load(path, options: options)
      Issue.record("expected cancellation")
    } catch DataError.cancelled(let op, _, _, _, let partial) {
      #expect(op == "load")
      // One round: two blocks of 1000 bytes rounded up to whole 21-byte lines.
      #expect(partial.count == 96)
    }
  }

  @Test func blockParsingMatchesSingleThread() throws {
    let dir = TempDir()
    var lines: [String] = []
    for i in 0..<3000 {
      lines.append(i % 97 == 5 ? "{\"instruction\": \"broken \(i)\"" : "{\"instruction\": \"第\(i)条\", \"n\": \(i)}")
      if i % 50 == 0 { lines.append("   ") }
    }
    let path = dir.write("many.jsonl", lines.joined(separator: "\n"))
    var one = LoadOptions(onError: .skip)
    one.threads = 1
    one.blockBytes = 1 << 30
    var many = LoadOptions(onError: .skip)
    many.threads = 3
    many.blockBytes = 777
    let a = try Dataset.load(path, options: one), b = try Dataset.load(path, options: many)
    #expect(a.records == b.records && a.count == 3000 - 31)
    #expect(a.loadReport?.skipped == b.loadReport?.skipped)
    #expect(a.loadReport?.skipped.first == SkippedLine(line: 7, column: 27, message: "expected ',' or '}'"))
  }
}

#if canImport(Glibc)
import Glibc
import Foundation

@Test func aPipeIsReadRatherThanMapped() throws {
  // /dev/stdin, a FIFO or a /proc file has no size to map ("not a regular file" / "the file is empty").
  let path = NSTemporaryDirectory() + "fifo-\(UUID().uuidString)"
  #expect(mkfifo(path, 0o600) == 0)
  defer { unlink(path) }
  let lines = (0..<5000).map { "{\"instruction\": \"task \($0)\", \"output\": \"answer \($0)\"}" }.joined(separator: "\n")
  let writer = Thread {
    if let h = FileHandle(forWritingAtPath: path) { h.write(Data(lines.utf8)); try? h.close() }
  }
  writer.start()
  let ds = try Dataset.load(path)
  #expect(ds.count == 5000 && ds.records[4999].instruction == "task 4999")
}
#endif

@Suite struct LoadLayoutTests {
  @Test func aPrettyPrintedConversationIsOneRecordAndAOneLineWrapperIsItsRecords() throws {
    let dir = TempDir()
    let pretty = "{\n  \"messages\": [\n    {\"role\": \"user\", \"content\": \"hi\"},\n    {\"role\": \"assistant\", \"content\": \"hello\"}\n  ]\n}\n"
    let chat = try Dataset.load(dir.write("chat.json", pretty))
    #expect(chat.count == 1 && chat.schema == .openaiChat && chat.records[0].instruction == "hi")
    let wrapped = try Dataset.load(dir.write("w.jsonl", "{\"data\": [{\"instruction\": \"a\", \"output\": \"b\"}, {\"instruction\": \"c\", \"output\": \"d\"}]}\n"))
    #expect(wrapped.count == 2 && wrapped.records[1].instruction == "c")
  }

  @Test func eachRecordIsReadByItsOwnLayout() throws {
    let dir = TempDir()
    let text = "{\"question\": \"q0\"}\n{\"question\": \"q1\", \"class\": \"math\", \"std_answer\": \"1\"}\n"
      + "{\"instruction\": \"i2\", \"output\": \"o2\"}\n{\"question\": \"q3\", \"class\": \"math\", \"std_answer\": \"3\"}\n"
    let ds = try Dataset.load(dir.write("mixed.jsonl", text))
    #expect(ds.records.map(\.instruction) == ["q0", "q1", "i2", "q3"])
    #expect(ds.records.map(\.output) == ["", "1", "o2", "3"])
    #expect(ds.schema == .belleEval)
    #expect(ds.loadReport?.layoutsNote?.contains("mixes record layouts (belle_eval 2, alpaca 1, generic 1)") == true, "\(ds.loadReport?.layoutsNote ?? "")")
    let from = Dataset.from([["question": "q0"], ["question": "q1", "std_answer": "1"], ["question": "q2", "std_answer": "2"]])
    #expect(from.schema == .belleEval && from.records.map(\.output) == ["", "1", "2"])
  }
}
