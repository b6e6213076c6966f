// A judge that fails: retries shown as they happen, a judge that is down given up on, repeats
// that fail counted, and settings and files refused before any call.

import Foundation
import Testing

@testable import RetortJudge

struct FailingJudgeTests {
  static let items = (0..<20).map { JudgeItem(id: "\($0)", instruction: "question \($0)", reference: nil, answer: "a", category: "c") }
  static let prompts = try! JudgePrompts(map: ["c": "score it"], defaultPrompt: nil)

  @Test func aJudgeThatIsDownIsGivenUpOnAfterCallsFailInARow() async throws {
    let server = try LoopbackServer { _, _ in .reply(status: 500, headers: [:], body: "down", delay: 0) }
    defer { server.stop() }
    let backend = try OpenAIChatBackend(url: server.baseURL, model: "j", apiKeyVariable: "RETORT_TEST_UNSET_KEY")
    let judge = try LLMJudge(backend: backend, prompts: Self.prompts,
                             options: LLMJudgeOptions(repeats: 1, concurrency: 2, retry: RetryPolicy(maxAttempts: 1)))
    let set = try await judge.score(Self.items)
    #expect(set.cancelled)
    #expect(set.stopReason == "stopped after \(CallRunner.giveUpAfter) judge calls in a row failed (the last: HTTP 500: down)")
    #expect(server.requests.count >= CallRunner.giveUpAfter && server.requests.count <= CallRunner.giveUpAfter + 2)
    #expect(set.failedCalls ?? 0 >= CallRunner.giveUpAfter)
    #expect(set.items.last?.failures.first?.message.hasPrefix("not judged: stopped after") == true)
  }

  @Test func aReplyBetweenFailuresKeepsTheRunGoing() async throws {
    // Every third call fails: never 8 in a row, so every item is judged.
    let server = try LoopbackServer { _, n in
      n % 3 == 0 ? .reply(status: 500, headers: [:], body: "flaky", delay: 0)
        : .reply(status: 200, headers: [:], body: chatReply("得分: 0.5"), delay: 0)
    }
    defer { server.stop() }
    let backend = try OpenAIChatBackend(url: server.baseURL, model: "j", apiKeyVariable: "RETORT_TEST_UNSET_KEY")
    let judge = try LLMJudge(backend: backend, prompts: Self.prompts,
                             options: LLMJudgeOptions(repeats: 1, concurrency: 1, retry: RetryPolicy(maxAttempts: 1)))
    let set = try await judge.score(Self.items)
    #expect(!set.cancelled && set.stopReason == nil)
    #expect(server.requests.count == 20)
    #expect(set.failedCalls == 7 && set.liveCalls == 13)
  }

  @Test func retriesAreReportedWhileTheyHappen() async throws {
    let server = try LoopbackServer { _, n in
      n == 0 ? .reply(status: 503, headers: [:], body: "busy", delay: 0)
        : .reply(status: 200, headers: [:], body: chatReply("得分: 1"), delay: 0)
    }
    defer { server.stop() }
    let backend = try OpenAIChatBackend(url: server.baseURL, model: "j", apiKeyVariable: "RETORT_TEST_UNSET_KEY")
    let judge = try LLMJudge(backend: backend, prompts: Self.prompts,
                             options: LLMJudgeOptions(repeats: 1, concurrency: 1, retry: RetryPolicy(maxAttempts: 3, initialDelay: 0)))
    let log = ProgressLog()
    let set = try await judge.score([Self.items[0]], progress: { log.append($0) })
    #expect(set.items[0].score == 1)
    #expect(log.values.contains { $0.retries == 1 && $0.lastRetryReason == "HTTP 503: busy" && $0.done == 0 })
    #expect(log.values.last?.retries == 1 && log.values.last?.done == 1)
  }

  @Test func repeatsThatFailAreKeptApartFromItemsThatFail() async throws {
    // Repeat 1 answers on another scale: the item averages repeats 0 and 2.
    let backend = ClosureBackend(name: "scale") { _, settings in settings.seed == 1 ? "Score: 7" : "得分: 0.8" }
    let judge = try LLMJudge(backend: backend, prompts: Self.prompts,
                             options: LLMJudgeOptions(repeats: 3, settings: DecodingSettings(seed: 0), concurrency: 1))
    let set = try await judge.score(Array(Self.items.prefix(2)))
    #expect(set.failures.isEmpty)
    #expect(set.partiallyScored.count == 2)
    #expect(set.items[0].repeatScores == [0.8, nil, 0.8] && set.items[0].score == 0.8)
    #expect(set.items[0].failures.first?.repeatIndex == 1)
    #expect(set.failedCalls == 0, "a reply without a usable score is not a failed call")
  }

  @Test func settingsAreCheckedBeforeAnyCall() throws {
    let backend = ClosureBackend(name: "x") { _, _ in "得分: 1" }
    #expect(throws: JudgeError.invalidArgument("repeats: expected 1 to 100, got 1000000000")) {
      try LLMJudge(backend: backend, prompts: Self.prompts, options: LLMJudgeOptions(repeats: 1_000_000_000))
    }
    #expect(throws: JudgeError.invalidArgument("temperature: expected a number >= 0, got -1.0")) {
      try PairwiseJudge(backend: backend, options: LLMJudgeOptions(settings: DecodingSettings(temperature: -1)))
    }
    #expect(throws: JudgeError.invalidArgument("max_tokens: expected at least 1, got 0")) {
      try PairwiseJudge(backend: backend, options: LLMJudgeOptions(settings: DecodingSettings(maxTokens: 0)))
    }
    #expect(throws: JudgeError.invalidArgument("the instruction is empty in items 0, 2; a judge needs the question")) {
      try JudgeItem.checkInstructions(["", "q", " \n"])
    }
  }

  @Test func aLedgerIsNeverAnotherFile() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let answers = dir.appendingPathComponent("answers.jsonl").path
    let text = #"{"instruction": "q", "answer": "a"}"# + "\n"
    try text.write(toFile: answers, atomically: true, encoding: .utf8)
    #expect(throws: JudgeError.badFile(
      path: answers, line: 1, column: nil,
      message: "not a judge ledger (this line is not a ledger record); give a new file, or one a judge wrote, such as \"judge-calls.jsonl\"")) {
      try JudgeLedger.check(path: answers)
    }
    #expect(throws: (any Error).self) { try JudgeLedger(path: answers) }
    #expect(try String(contentsOfFile: answers, encoding: .utf8) == text, "the file is left as it was")
    try JudgeLedger.check(path: dir.appendingPathComponent("new.jsonl").path)
    #expect(throws: (any Error).self) { try JudgeLedger.check(path: dir.path) }
  }
}
