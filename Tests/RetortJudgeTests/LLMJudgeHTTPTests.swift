import Foundation
import Testing

@testable import RetortJudge

/// The LLM judge against an in-process loopback server speaking chat-completions.
@Suite(.serialized) struct LLMJudgeHTTPTests {
  static let prompts: JudgePrompts = {
    (try? JudgePrompts(records: [
      ("math", "你是一个数学老师，请按照\"得分:\"这样的形式输出分数。"),
      ("open QA", "你需要通过参考标准答案，来对模型回答给出分数。请按照\"得分:\"这样的形式输出分数。"),
      ("generation", "你需要研究评价标准来对模型回答给出分数。请按照\"得分:\"这样的形式输出分数。"),
    ])) ?? (try! JudgePrompts(map: [:]))
  }()

  static let items = [
    JudgeItem(id: "1", instruction: "计算 12+30", reference: "42", answer: "答案是42", category: "math"),
    JudgeItem(id: "2", instruction: "中国的首都是哪里？", reference: "北京", answer: "北京", category: "open\u{00A0}qa"),
    JudgeItem(id: "3", instruction: "写一首关于夏天的诗", reference: nil, answer: "夏日炎炎……", category: "Generation"),
  ]

  /// Replies by question: math 0.9, capital 1, poem 0.6.
  static func goodReply(_ req: ReceivedRequest) -> String {
    let c = req.userContent
    if c.contains("12+30") { return "得分: 0.9\n理由：结果正确。" }
    if c.contains("首都") { return "得分：1分。模型回答与标准答案完全一致。" }
    return "Score: 6/10. The poem is short."
  }

  func judge(_ server: LoopbackServer, ledger: String?, keyVar: String = "RETORT_TEST_UNSET_KEY",
             retry: RetryPolicy = RetryPolicy(maxAttempts: 4, initialDelay: 0.01, maxDelay: 0.05),
             timeout: Double = 10, concurrency: Int = 4, repeats: Int = 3) throws -> LLMJudge {
    try LLMJudge.openAI(
      url: server.baseURL + "/v1", model: "judge-test", prompts: Self.prompts,
      options: LLMJudgeOptions(repeats: repeats, settings: DecodingSettings(temperature: 0.2, maxTokens: 64),
                               concurrency: concurrency, retry: retry, ledgerPath: ledger),
      apiKeyVariable: keyVar, timeout: timeout)
  }

  @Test func scoresAveragesAndSendsBelleLayout() async throws {
    let server = try LoopbackServer { req, _ in .reply(status: 200, headers: [:], body: chatReply(Self.goodReply(req)), delay: 0) }
    defer { server.stop() }
    let set = try await judge(server, ledger: nil).score(Self.items)
    #expect(set.items.map(\.score) == [0.9, 1.0, 0.6])
    #expect(set.items.allSatisfy { $0.repeatScores.count == 3 && $0.replies.allSatisfy { $0 != nil } })
    #expect(set.liveCalls == 9 && set.cachedCalls == 0)
    #expect(set.judgeModelVersions == ["judge-test-1@fp_test"])
    let reqs = server.requests
    #expect(reqs.count == 9)
    #expect(reqs.allSatisfy { $0.path == "/v1/chat/completions" && $0.method == "POST" })
    #expect(reqs.allSatisfy { $0.headers["authorization"] == nil })
    let body = try #require(reqs.first { $0.userContent.contains("12+30") })
    let obj = try #require(try JSONSerialization.jsonObject(with: body.body) as? [String: Any])
    #expect(obj["model"] as? String == "judge-test")
    #expect(obj["temperature"] as? Double == 0.2 && obj["max_tokens"] as? Int == 64)
    #expect(body.userContent == "你是一个数学老师，请按照\"得分:\"这样的形式输出分数。 计算 12+30 标准回答:42  模型回答：' 答案是42'。请针对模型回答给出得分，顺便给出理由：")
    let poem = try #require(reqs.first { $0.userContent.contains("夏天") })
    #expect(poem.userContent.hasSuffix("写一首关于夏天的诗  模型回答： '夏日炎炎……'。请针对模型回答给出得分，顺便给出理由："))
  }

  @Test func ledgerMakesRerunFreeAndIdentical() async throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let ledger = dir.appendingPathComponent("calls.jsonl").path
    let server = try LoopbackServer { req, _ in .reply(status: 200, headers: [:], body: chatReply(Self.goodReply(req)), delay: 0) }
    defer { server.stop() }
    let first = try await judge(server, ledger: ledger).score(Self.items)
    #expect(server.requests.count == 9)
    let second = try await judge(server, ledger: ledger).score(Self.items)
    #expect(server.requests.count == 9, "the second run must make no calls")
    #expect(second.cachedCalls == 9 && second.liveCalls == 0)
    #expect(second.items == first.items)
    let lines = try String(contentsOfFile: ledger, encoding: .utf8).split(separator: "\n")
    #expect(lines.count == 9)
    // A different temperature is a different key: new calls.
    _ = try await LLMJudge.openAI(url: server.baseURL, model: "judge-test", prompts: Self.prompts,
      options: LLMJudgeOptions(repeats: 1, settings: DecodingSettings(temperature: 0.5, maxTokens: 64), ledgerPath: ledger),
      apiKeyVariable: "RETORT_TEST_UNSET_KEY").score(Self.items)
    #expect(server.requests.count == 12)
  }

  @Test func ledgerFindsTextsThatLookLikeKeys() async throws {
    // The whole ledger line went through the key patterns, so "bearer of" and "sk-..." in a
    // question were rewritten, the stored call never matched, and every rerun paid again.
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let ledger = dir.appendingPathComponent("calls.jsonl").path
    let server = try LoopbackServer { _, _ in .reply(status: 200, headers: [:], body: chatReply("得分: 0.5"), delay: 0) }
    defer { server.stop() }
    let items = [JudgeItem(id: "1", instruction: "He was the bearer of bad news; key = \"sk-proj-abcd1234\"", reference: "x",
                           answer: "curl -H \"Authorization: Bearer TOKEN\"", category: "math")]
    _ = try await judge(server, ledger: ledger, repeats: 1).score(items)
    let again = try await judge(server, ledger: ledger, repeats: 1).score(items)
    #expect(server.requests.count == 1 && again.cachedCalls == 1, "\(server.requests.count)")
  }

  @Test func interruptedRunResumes() async throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let ledger = dir.appendingPathComponent("calls.jsonl").path
    let server = try LoopbackServer { req, _ in .reply(status: 200, headers: [:], body: chatReply(Self.goodReply(req)), delay: 0) }
    defer { server.stop() }
    let stop = Flag()
    let partial = try await judge(server, ledger: ledger, concurrency: 1).score(
      Self.items, progress: { p in if p.done >= 4 { stop.set() } }, isCancelled: { stop.value })
    #expect(partial.cancelled)
    #expect(server.requests.count == 4)
    #expect(partial.items[2].failures.contains { $0.message.contains("cancelled") })
    let resumed = try await judge(server, ledger: ledger, concurrency: 1).score(Self.items)
    #expect(server.requests.count == 9, "only the 5 missing calls are made")
    #expect(resumed.cachedCalls == 4 && resumed.liveCalls == 5 && !resumed.cancelled)
    #expect(resumed.items.map(\.score) == [0.9, 1.0, 0.6])
  }

  @Test func retriesRateLimitsHonouringRetryAfterAndServerErrors() async throws {
    let server = try LoopbackServer { req, n in
      switch n {
      case 0: return .reply(status: 429, headers: ["Retry-After": "1"], body: #"{"error":{"message":"rate limited"}}"#, delay: 0)
      case 1: return .reply(status: 503, headers: [:], body: "overloaded", delay: 0)
      case 2: return .drop
      default: return .reply(status: 200, headers: [:], body: chatReply(Self.goodReply(req)), delay: 0)
      }
    }
    defer { server.stop() }
    let start = Date()
    let set = try await judge(server, ledger: nil, concurrency: 1, repeats: 1).score([Self.items[0]])
    let elapsed = Date().timeIntervalSince(start)
    #expect(set.items[0].score == 0.9)
    #expect(set.items[0].failures.isEmpty)
    #expect(server.requests.count == 4)
    #expect(elapsed >= 0.95, "Retry-After: 1 must be honoured (took \(elapsed) s)")
  }

  @Test func timeoutsAreRetriedThenRecorded() async throws {
    let server = try LoopbackServer { req, n in
      .reply(status: 200, headers: [:], body: chatReply(Self.goodReply(req)), delay: n == 0 ? 1.5 : 0)
    }
    defer { server.stop() }
    let ok = try await judge(server, ledger: nil, timeout: 0.5, concurrency: 1, repeats: 1).score([Self.items[0]])
    #expect(ok.items[0].score == 0.9, "\(ok.items[0].failures)")
    let slow = try LoopbackServer { req, _ in .reply(status: 200, headers: [:], body: chatReply(Self.goodReply(req)), delay: 1.5) }
    defer { slow.stop() }
    let failed = try await judge(slow, ledger: nil, retry: RetryPolicy(maxAttempts: 2, initialDelay: 0.01), timeout: 0.5,
                                 concurrency: 1, repeats: 1).score([Self.items[0]])
    #expect(failed.items[0].score == nil)
    #expect(failed.items[0].failures.first?.message.contains("timed out") == true, "\(failed.items[0].failures)")
    // Both attempts were made (counted by the client: on a loaded machine a
    // request the client gave up on may never be read by the server).
    #expect(failed.items[0].failures.first?.message.contains("after 2 attempts") == true, "\(failed.items[0].failures)")
    #expect(slow.requests.count <= 2)
  }

  @Test func timeoutBoundsTheWholeCallEvenWhenTheServerTrickles() async throws {
    // A byte every 0.4 s: never silent for the 1 s timeout, so the reply would take minutes.
    let server = try LoopbackServer { req, _ in .trickle(body: chatReply(Self.goodReply(req)), interval: 0.4) }
    defer { server.stop() }
    let start = Date()
    let set = try await judge(server, ledger: nil, retry: RetryPolicy(maxAttempts: 1), timeout: 1,
                              concurrency: 1, repeats: 1).score([Self.items[0]])
    let elapsed = Date().timeIntervalSince(start)
    #expect(set.items[0].score == nil)
    #expect(set.items[0].failures.first?.message.contains("timed out") == true, "\(set.items[0].failures)")
    #expect(elapsed < 3, "took \(elapsed) s")
  }

  @Test func cancellingStopsCallsInFlight() async throws {
    let server = try LoopbackServer { req, _ in .reply(status: 200, headers: [:], body: chatReply(Self.goodReply(req)), delay: 20) }
    defer { server.stop() }
    let stop = Flag()
    Task { try? await Task.sleep(nanoseconds: 300_000_000); stop.set() }
    let start = Date()
    let set = try await judge(server, ledger: nil, timeout: 60, concurrency: 2, repeats: 1)
      .score(Self.items, isCancelled: { stop.value })
    let elapsed = Date().timeIntervalSince(start)
    #expect(set.cancelled)
    #expect(elapsed < 2.5, "Ctrl-C must not wait for the 20 s replies (took \(elapsed) s)")
  }

  @Test func malformedRepliesAndClientErrorsAreRecordedPerItemWithoutRetry() async throws {
    let server = try LoopbackServer { req, _ in
      let c = req.userContent
      if c.contains("12+30") { return .reply(status: 200, headers: [:], body: "{\"choices\": [", delay: 0) }
      if c.contains("首都") { return .reply(status: 400, headers: [:], body: #"{"error":"bad request"}"#, delay: 0) }
      return .reply(status: 200, headers: [:], body: chatReply("这个回答还可以，但不够完整。"), delay: 0)
    }
    defer { server.stop() }
    let set = try await judge(server, ledger: nil, concurrency: 2, repeats: 1).score(Self.items)
    #expect(server.requests.count == 3, "no retries for malformed JSON or 400")
    #expect(set.items.allSatisfy { $0.score == nil })
    #expect(set.items[0].failures.first?.message.contains("malformed") == true)
    #expect(set.items[0].failures.first?.message.components(separatedBy: "malformed").count == 2, "said once")
    #expect(set.items[1].failures.first?.message.contains("HTTP 400") == true)
    let noScore = try #require(set.items[2].failures.first)
    #expect(noScore.reply == "这个回答还可以，但不够完整。" && noScore.message.contains("no score"))
  }

  @Test func anItemScoredFromSomeOfItsRepeatsIsNamed() async throws {
    // Repeat r samples with seed + r: the math item's second repeat gets a reply without a score.
    let server = try LoopbackServer { req, _ in
      let seed = (try? JSONSerialization.jsonObject(with: req.body) as? [String: Any])?["seed"] as? Int
      if req.userContent.contains("12+30") && seed == 8 { return .reply(status: 200, headers: [:], body: chatReply("还行"), delay: 0) }
      return .reply(status: 200, headers: [:], body: chatReply(Self.goodReply(req)), delay: 0)
    }
    defer { server.stop() }
    let j = try LLMJudge.openAI(
      url: server.baseURL + "/v1", model: "judge-test", prompts: Self.prompts,
      options: LLMJudgeOptions(repeats: 2, settings: DecodingSettings(temperature: 0.7, maxTokens: 64, seed: 7),
                               concurrency: 2, retry: RetryPolicy(maxAttempts: 2, initialDelay: 0.01, maxDelay: 0.02)),
      apiKeyVariable: "RETORT_TEST_UNSET_KEY", timeout: 10)
    let set = try await j.score(Self.items)
    #expect(set.items[0].score == 0.9 && set.items[0].repeatScores == [0.9, nil])
    #expect(set.partiallyScored.map(\.item.id) == ["1"])
    #expect(set.failures.isEmpty)
  }

  @Test func emptyRepliesAreRetriedAndNeverLedgered() async throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let ledger = dir.appendingPathComponent("calls.jsonl").path
    // Empty content twice, then a real answer.
    let server = try LoopbackServer { req, n in
      .reply(status: 200, headers: [:], body: chatReply(n < 2 ? "  " : Self.goodReply(req)), delay: 0)
    }
    defer { server.stop() }
    let set = try await judge(server, ledger: ledger, concurrency: 1, repeats: 1).score([Self.items[0]])
    #expect(set.items[0].score == 0.9 && server.requests.count == 3)
    let lines = try String(contentsOfFile: ledger, encoding: .utf8).split(separator: "\n")
    #expect(lines.count == 1 && !lines[0].contains("\"  \""))
  }

  @Test func apiKeyIsSentButNeverWritten() async throws {
    let keyVar = "RETORT_JUDGE_TEST_KEY_\(UInt32.random(in: 0...UInt32.max))"
    let key = "sk-test-\(UUID().uuidString)"
    setenv(keyVar, key, 1)
    defer { unsetenv(keyVar) }
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let ledger = dir.appendingPathComponent("calls.jsonl").path
    let server = try LoopbackServer { req, _ in
      if req.userContent.contains("首都") {
        return .reply(status: 401, headers: [:], body: "Incorrect API key provided: \(req.headers["authorization"] ?? "")", delay: 0)
      }
      // A judge echoing the key in its reply must not leak it either.
      return .reply(status: 200, headers: [:], body: chatReply("得分: 0.5 (\(key))"), delay: 0)
    }
    defer { server.stop() }
    let set = try await judge(server, ledger: ledger, keyVar: keyVar, repeats: 1).score(Self.items)
    #expect(server.requests.allSatisfy { $0.headers["authorization"] == "Bearer \(key)" })
    #expect(set.items[1].failures.first?.message.contains("HTTP 401") == true)
    let report = set.report(title: "keys")
    try report.save(to: dir.appendingPathComponent("report").path)
    try set.save(to: dir.appendingPathComponent("items").path)
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).count == 5)
    for file in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
      let text = try String(contentsOfFile: dir.appendingPathComponent(file).path, encoding: .utf8)
      #expect(!text.contains(key), "\(file) contains the key")
      #expect(!text.contains(String(key.dropFirst(3))), "\(file) contains part of the key")
    }
    let shown = "\(set.items.flatMap(\.failures))" + report.render() + "\(set.items.map(\.replies))"
    #expect(!shown.contains(key))
  }

  @Test func missingPromptsAreListedUnlessDefault() async throws {
    let server = try LoopbackServer { req, _ in .reply(status: 200, headers: [:], body: chatReply("得分: 1"), delay: 0) }
    defer { server.stop() }
    let items = Self.items + [
      JudgeItem(id: "4", instruction: "把这句话翻译成英文", reference: "Hi", answer: "Hello", category: "translation"),
      JudgeItem(id: "5", instruction: "Summarize", reference: "x", answer: "y", category: "Summarization"),
    ]
    await #expect(throws: JudgeError.missingPrompts(categories: ["translation", "Summarization"], available: ["generation", "math", "open QA"])) {
      _ = try await judge(server, ledger: nil).score(items)
    }
    #expect(server.requests.isEmpty)
    var prompts = Self.prompts
    prompts.defaultPrompt = "请按照\"得分:\"这样的形式输出分数。"
    let j = try LLMJudge.openAI(url: server.baseURL, model: "m", prompts: prompts,
                                options: LLMJudgeOptions(repeats: 1), apiKeyVariable: "RETORT_TEST_UNSET_KEY")
    let set = try await j.score(items)
    #expect(set.items.allSatisfy { $0.score == 1 })
  }
}

/// A thread-safe boolean for cancellation closures.
final class Flag: @unchecked Sendable {
  private let lock = NSLock()
  private var v = false
  var value: Bool { lock.withLock { v } }
  func set() { lock.withLock { v = true } }
}
