import Foundation
import Testing

@testable import RetortJudge

struct PromptsAndLayoutTests {
  func samplePath() throws -> String {
    guard let url = Bundle.module.url(forResource: "eval_prompt_sample", withExtension: "json", subdirectory: "Fixtures") else {
      throw FixtureMissing(name: "eval_prompt_sample.json")
    }
    return url.path
  }

  @Test func categoryNormalisation() {
    #expect(CategoryName.normalize("closed\u{00A0}QA") == "closed qa")
    #expect(CategoryName.normalize("  Open   qa ") == "open qa")
    #expect(CategoryName.normalize("ＭＡＴＨ") == "math")
  }

  @Test func loadsBelleJSONLinesAndMatchesNormalisedLabels() throws {
    let p = try JudgePrompts(contentsOf: try samplePath())
    #expect(p.prompts.count == 4)
    #expect(p.prompt(for: "closed\u{00A0}qa")?.contains("问题里面提供的信息") == true)
    #expect(p.prompt(for: "open qa") != nil && p.prompt(for: "Math") != nil)
    #expect(p.prompt(for: "code") == nil)
    #expect(throws: JudgeError.missingPrompts(categories: ["code", "Brainstorming"], available: ["closed\u{00A0}QA", "generation", "math", "open QA"])) {
      try p.check(categories: ["math", "code", "Brainstorming", "CODE"])
    }
  }

  @Test func loadsMapsArraysAndReportsBadLines() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let map = dir.appendingPathComponent("map.json")
    try Data(#"{"math": "P1", "Open QA": "P2"}"#.utf8).write(to: map)
    #expect(try JudgePrompts(contentsOf: map.path).prompt(for: "open qa") == "P2")
    let arr = dir.appendingPathComponent("arr.json")
    try Data(#"[{"class": "math", "prompt": "P1"}, {"class": "code", "prompt": "P3"}]"#.utf8).write(to: arr)
    #expect(try JudgePrompts(contentsOf: arr.path).prompt(for: "code") == "P3")
    let bad = dir.appendingPathComponent("bad.jsonl")
    try Data("{\"class\": \"math\", \"prompt\": \"P\"}\n{\"class\": \"code\"}\n".utf8).write(to: bad)
    #expect(throws: JudgeError.badFile(path: bad.path, line: 2, column: nil, message: "missing string field prompt")) {
      _ = try JudgePrompts(contentsOf: bad.path)
    }
    let broken = dir.appendingPathComponent("broken.jsonl")
    try Data("{\"class\": \"math\", \"prompt\": \"P\"}\nnot json\n".utf8).write(to: broken)
    #expect(throws: JudgeError.badFile(path: broken.path, line: 2, column: 1, message: "expected a JSON object with \"class\" and \"prompt\"")) {
      _ = try JudgePrompts(contentsOf: broken.path)
    }
    #expect(throws: JudgeError.self) { _ = try JudgePrompts(records: [("Math", "a"), ("math ", "b")]) }
  }

  @Test func belleLayoutWithAndWithoutReference() {
    let layout = MessageLayout.belle
    let withRef = JudgeItem(id: "1", instruction: "Q", reference: "R", answer: "A", category: "open qa")
    #expect(layout.messages(prompt: "P", item: withRef) == [ChatMessage(role: "user", content: "P Q 标准回答:R  模型回答：' A'。请针对模型回答给出得分，顺便给出理由：")])
    // BELLE shows no reference for rewrite even when one exists, and none when it is empty.
    let rewrite = JudgeItem(id: "2", instruction: "Q", reference: "R", answer: "A", category: "Rewrite")
    let noRef = JudgeItem(id: "3", instruction: "Q", reference: " ", answer: "A", category: "open qa")
    for item in [rewrite, noRef] {
      #expect(layout.messages(prompt: "P", item: item)[0].content == "P Q  模型回答： 'A'。请针对模型回答给出得分，顺便给出理由：")
    }
  }

  @Test func backendHelpers() throws {
    #expect(try OpenAIChatBackend.chatCompletionsURL("http://127.0.0.1:8080").absoluteString == "http://127.0.0.1:8080/v1/chat/completions")
    #expect(try OpenAIChatBackend.chatCompletionsURL("https://api.openai.com/v1/").absoluteString == "https://api.openai.com/v1/chat/completions")
    #expect(try OpenAIChatBackend.chatCompletionsURL("http://h:1/v1/chat/completions").absoluteString == "http://h:1/v1/chat/completions")
    #expect(throws: JudgeError.self) { _ = try OpenAIChatBackend.chatCompletionsURL("ftp://x") }
    #expect(throws: JudgeError.self) { _ = try OpenAIChatBackend.chatCompletionsURL("http://user:pw@host/v1") }
    #expect(throws: JudgeError.self) { _ = try OpenAIChatBackend.chatCompletionsURL("http://host/v1?api_key=abc") }
    #expect(OpenAIChatBackend.parseRetryAfter("2") == 2)
    #expect(OpenAIChatBackend.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT") == 0)
    #expect(OpenAIChatBackend.parseRetryAfter("soon") == nil)
    let r = RetryPolicy(maxAttempts: 5, initialDelay: 1, multiplier: 2, maxDelay: 5)
    #expect([1, 2, 3, 4].map { r.delay(retry: $0, retryAfter: nil) } == [1, 2, 4, 5])
    #expect(r.delay(retry: 1, retryAfter: 7) == 7)
    let red = SecretRedactor(secrets: ["abcd1234secret"])
    #expect(red.redact("key abcd1234secret, Bearer xyz123, sk-proj-AbC***xyz") == "key ***, Bearer ***, sk-***")
  }
}
