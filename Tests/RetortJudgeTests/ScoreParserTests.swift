import Foundation
import Testing

@testable import RetortJudge

struct ScoreParserTests {
  struct Case: Decodable { var reply: String; var score: Double? }

  @Test func corpusOfRealLookingReplies() throws {
    let cases = try JSONDecoder().decode([Case].self, from: fixtureData("judge_replies", "json"))
    #expect(cases.count >= 30)
    for c in cases {
      if let want = c.score {
        let got = try? ScoreParser.parse(c.reply)
        #expect(got != nil, "no score parsed from \(c.reply.debugDescription)")
        if let got { expectClose(got.value, want, "\(c.reply.debugDescription)") }
      } else {
        #expect(throws: JudgeError.noScore(reply: c.reply), "\(c.reply.debugDescription) should have no score") {
          _ = try ScoreParser.parse(c.reply)
        }
      }
    }
  }

  @Test func failureCarriesRawReply() {
    do {
      _ = try ScoreParser.parse("回答错误。")
      Issue.record("expected a failure")
    } catch let e as JudgeError {
      #expect(e == .noScore(reply: "回答错误。"))
      #expect(e.description.contains("回答错误"))
    } catch { Issue.record("unexpected \(error)") }
  }

  @Test func pairwiseVerdicts() throws {
    #expect(try PairwiseJudge.parseVerdict("A is more accurate. [[A]]") == "A")
    #expect(try PairwiseJudge.parseVerdict("Not [[A]]... final: [[B]]") == "B")
    #expect(try PairwiseJudge.parseVerdict("两者相当 [[C]]") == "C")
    #expect(throws: JudgeError.self) { try PairwiseJudge.parseVerdict("A is better") }
  }
}
