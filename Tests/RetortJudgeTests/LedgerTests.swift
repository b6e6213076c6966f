import Foundation
import Testing

@testable import RetortJudge

struct LedgerTests {
  func judge(_ ledger: String, calls: Counter) throws -> LLMJudge {
    let backend = ClosureBackend(name: "counting") { messages, _ in
      calls.increment()
      return "得分: \(messages[0].content.count % 10) / 10"
    }
    return try LLMJudge(backend: backend, prompts: try JudgePrompts(map: ["c": "P"]),
                        options: LLMJudgeOptions(repeats: 2, concurrency: 2, ledgerPath: ledger))
  }

  let items = (0..<5).map { JudgeItem(id: "\($0)", instruction: "question \($0)" + String(repeating: "x", count: $0), reference: nil, answer: "a", category: "c") }

  @Test func truncatedLastRecordIsSkippedAndLaterAppendsStayReadable() async throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("sub/ledger.jsonl").path
    let calls = Counter()
    let first = try await judge(path, calls: calls).score(items)
    #expect(calls.value == 10)
    // Simulate a crash in the middle of writing: cut the last record in half.
    var data = try Data(contentsOf: URL(fileURLWithPath: path))
    let lastStart = (data.dropLast().lastIndex(of: UInt8(ascii: "\n")) ?? -1) + 1
    data = data.prefix(lastStart + (data.count - lastStart) / 2)
    try data.write(to: URL(fileURLWithPath: path))
    let ledger = try JudgeLedger(path: path)
    let (count, skipped) = (await ledger.count, await ledger.skippedLines)
    #expect(count == 9 && skipped == 1)
    let second = try await judge(path, calls: calls).score(items)
    #expect(calls.value == 11, "only the cut record is asked again")
    #expect(second.items == first.items)
    let third = try await judge(path, calls: calls).score(items)
    #expect(calls.value == 11 && third.cachedCalls == 10)
    let reloaded = try JudgeLedger(path: path)
    let (count2, skipped2) = (await reloaded.count, await reloaded.skippedLines)
    #expect(count2 == 10 && skipped2 == 1)
  }

  @Test func keyCoversModelMessagesSettingsAndRepeat() {
    let m = [ChatMessage(role: "user", content: "x")]
    let base = LedgerKey(endpoint: "e", model: "m", modelVersion: nil, messages: m, settings: DecodingSettings(), repeatIndex: 0)
    var variants = [base]
    var k = base; k.endpoint = "e2"; variants.append(k)
    k = base; k.model = "m2"; variants.append(k)
    k = base; k.modelVersion = "v"; variants.append(k)
    k = base; k.messages = [ChatMessage(role: "user", content: "y")]; variants.append(k)
    k = base; k.settings.temperature = 0.1; variants.append(k)
    k = base; k.settings.maxTokens = 7; variants.append(k)
    k = base; k.repeatIndex = 1; variants.append(k)
    #expect(Set(variants.map(\.canonical)).count == variants.count)
    #expect(base.canonical == LedgerKey(endpoint: "e", model: "m", modelVersion: nil, messages: m, settings: DecodingSettings(), repeatIndex: 0).canonical)
  }

  @Test func unwritableLedgerIsAClearError() async throws {
    #expect(throws: JudgeError.self) { _ = try JudgeLedger(path: "/proc/retort-no-such-dir/ledger.jsonl") }
    // A directory in its place says so (it was Foundation's "NSCocoaErrorDomain error 256").
    do {
      _ = try JudgeLedger(path: NSTemporaryDirectory())
      Issue.record("a directory should be refused")
    } catch let e as JudgeError {
      #expect(e.description.contains("the ledger is a directory"), "\(e)")
    }
  }
}
