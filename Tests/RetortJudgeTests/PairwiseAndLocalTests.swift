import Foundation
import Testing

@testable import RetortJudge

struct PairwiseAndLocalTests {
  /// A judge that prefers the answer containing "good", whatever its position, except for a
  /// position-biased question where it always says A.
  static func verdict(_ messages: [ChatMessage]) -> String {
    let user = messages.last?.content ?? ""
    if user.contains("biased") { return "Answer A is better. [[A]]" }
    guard let aStart = user.range(of: "[Answer A]"), let bStart = user.range(of: "[Answer B]") else { return "???" }
    let a = user[aStart.upperBound..<bStart.lowerBound], b = user[bStart.upperBound...]
    if a.contains("good") && !b.contains("good") { return "[[A]]" }
    if b.contains("good") && !a.contains("good") { return "[[B]]" }
    return "same quality [[C]]"
  }

  @Test func pairwiseBothOrdersOverLoopback() async throws {
    let server = try LoopbackServer { req, _ in
      guard let obj = try? JSONSerialization.jsonObject(with: req.body) as? [String: Any],
        let msgs = obj["messages"] as? [[String: String]]
      else { return .reply(status: 400, headers: [:], body: "bad", delay: 0) }
      let m = msgs.map { ChatMessage(role: $0["role"] ?? "", content: $0["content"] ?? "") }
      if m.last?.content.contains("broken") == true { return .reply(status: 200, headers: [:], body: chatReply("hmm"), delay: 0) }
      return .reply(status: 200, headers: [:], body: chatReply(Self.verdict(m)), delay: 0)
    }
    defer { server.stop() }
    let backend = try OpenAIChatBackend(url: server.baseURL, model: "pair", apiKeyVariable: "RETORT_TEST_UNSET_KEY")
    let judge = try PairwiseJudge(backend: backend, options: LLMJudgeOptions(concurrency: 3))
    let items = [
      PairwiseItem(id: "1", instruction: "q1", first: "a good answer", second: "a weak answer"),
      PairwiseItem(id: "2", instruction: "q2", first: "weak", second: "good one"),
      PairwiseItem(id: "3", instruction: "q3", reference: "ref", first: "fine", second: "fine too"),
      PairwiseItem(id: "4", instruction: "biased q4", first: "x", second: "y"),
      PairwiseItem(id: "5", instruction: "broken q5", first: "x", second: "y"),
    ]
    let s = try await judge.compare(items)
    #expect(server.requests.count == 10)
    #expect(s.results.map(\.verdict) == [.win, .loss, .tie, .tie, nil])
    #expect(s.wins == 1 && s.losses == 1 && s.ties == 2 && s.inconsistent == 1 && s.failures == 1)
    #expect(s.results[3].byOrder == [.win, .loss])
    #expect(s.results[4].failures.count == 2 && s.results[4].failures[0].reply == "hmm")
    #expect(s.text == "win 1 / tie 2 / loss 1 (inconsistent 1, failures 1)")
    #expect(server.requests.contains { $0.userContent.contains("[Reference Answer]\nref") })
  }

  @Test func localModelBackendUsesSameLayoutLedgerAndParsing() async throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let calls = Counter()
    let backend = ClosureBackend(name: "tiny-judge.gguf") { messages, settings in
      calls.increment()
      #expect(settings.temperature == 0)
      return messages[0].content.contains("北京") ? "得分：1" : "得分: 0.25"
    }
    let prompts = try JudgePrompts(map: ["open qa": "请按照\"得分:\"这样的形式输出分数。"])
    let judge = try LLMJudge(backend: backend, prompts: prompts,
                             options: LLMJudgeOptions(repeats: 2, ledgerPath: dir.appendingPathComponent("l.jsonl").path))
    let items = [
      JudgeItem(id: "1", instruction: "首都？", reference: "北京", answer: "北京", category: "Open QA"),
      JudgeItem(id: "2", instruction: "最大的湖？", reference: "里海", answer: "太湖", category: "open qa"),
    ]
    let progress = ProgressLog()
    let s = try await judge.score(items, progress: { progress.append($0) })
    #expect(s.items.map(\.score) == [1, 0.25] && calls.value == 4)
    #expect(s.judgeModelVersions == ["tiny-judge.gguf"])
    let p = progress.values
    #expect(p.first?.done == 0 && p.last?.done == 4 && p.allSatisfy { $0.total == 4 })
    #expect(zip(p, p.dropFirst()).allSatisfy { $0.done <= $1.done })
    let again = try await judge.score(items)
    #expect(calls.value == 4 && again.items == s.items)
  }

  @Test func concurrencyIsBounded() async throws {
    let inFlight = Counter(), peak = Counter()
    let server = try LoopbackServer { _, _ in
      let n = inFlight.increment()
      peak.max(n)
      Thread.sleep(forTimeInterval: 0.1)
      inFlight.decrement()
      return .reply(status: 200, headers: [:], body: chatReply("得分: 0.5"), delay: 0)
    }
    defer { server.stop() }
    let judge = try LLMJudge.openAI(url: server.baseURL, model: "m", prompts: try JudgePrompts(map: ["c": "P"]),
                                    options: LLMJudgeOptions(repeats: 1, concurrency: 3), apiKeyVariable: "RETORT_TEST_UNSET_KEY")
    let items = (0..<9).map { JudgeItem(id: "\($0)", instruction: "q\($0)", reference: nil, answer: "a", category: "c") }
    let s = try await judge.score(items)
    #expect(s.items.allSatisfy { $0.score == 0.5 })
    #expect(peak.value >= 2 && peak.value <= 3, "peak \(peak.value)")
  }
}

final class Counter: @unchecked Sendable {
  private let lock = NSLock()
  private var v = 0
  var value: Int { lock.withLock { v } }
  @discardableResult func increment() -> Int { lock.withLock { v += 1; return v } }
  func decrement() { lock.withLock { v -= 1 } }
  func max(_ x: Int) { lock.withLock { v = Swift.max(v, x) } }
}

final class ProgressLog: @unchecked Sendable {
  private let lock = NSLock()
  private var v: [JudgeProgress] = []
  var values: [JudgeProgress] { lock.withLock { v } }
  func append(_ p: JudgeProgress) { lock.withLock { v.append(p) } }
}
