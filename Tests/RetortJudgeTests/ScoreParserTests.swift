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

  @Test func pointsGivenInChinese() throws {
    #expect(try ScoreParser.parse("我给0.6分").value == 0.6)
    #expect(try ScoreParser.parse("这个回答基本正确，我给这个回答打 0.8 分。").value == 0.8)
    #expect(try ScoreParser.parse("评了1分").matched == "评了1分")
    #expect(try ScoreParser.parse("得分：1e-1").value == 0.1)
    #expect(try ScoreParser.parse("Score: 1 excellent").value == 1)
  }

  @Test func outOfAScaleAndNegativeZero() throws {
    #expect(try ScoreParser.parse("7 out of 10").value == 0.7)
    #expect(try ScoreParser.parse("I would rate it 3 Out Of 5.").value == 0.6)
    #expect(try ScoreParser.parse("Score: -0").value.sign == .plus)
    #expect(throws: JudgeError.invalidArgument("default_prompt: expected a prompt, got an empty one")) {
      try JudgePrompts(map: ["c": "p"], defaultPrompt: " ")
    }
  }

  @Test func runawayRepliesAreKeptAtTheirStartAndEnd() throws {
    let reply = "得分: 0.7\n" + String(repeating: "好的，", count: 40_000) + "\n最终得分: 0.9"
    let kept = ScoreParser.ends(of: reply)
    #expect(reply.utf8.count > 300_000 && kept.utf8.count < 2 * ScoreParser.endBytes + 100)
    #expect(kept.contains(" bytes of the reply omitted ...]") && !kept.contains("\u{FFFD}"))
    #expect(try ScoreParser.parse(kept) == ScoreParser.parse(reply))
    #expect(ScoreParser.ends(of: "Score: 1") == "Score: 1")
  }

  @Test func failureCarriesRawReply() {
    do {
      _ = try ScoreParser.parse("回答错误。")
      Issue.record("expected a failure")
    } catch let e as JudgeError {
      #expect(e == .noScore(reply: "回答错误。"))
      #expect(e.description.contains("回答错误"))
    } catch { Issue.record("unexpected \(error)") }
    // The reply is quoted as a Retort string literal: an apostrophe is not escaped.
    #expect(JudgeError.noScore(reply: "You're right\n").description == #"no score found in judge reply: "You're right\n""#)
  }

  @Test func severalDifferentScoresAreAmbiguousNotTheFirst() throws {
    // These were read as 0.6, 0.5 and 1.0: scores the judge never gave the answer.
    for reply in ["标准答案为3/5，模型回答为2/5，不正确。", "步骤一得分：0.5，步骤二得分：0.3", "标准答案的得分是1，模型回答的得分是0.5"] {
      #expect(throws: JudgeError.self, "\(reply)") { try ScoreParser.parse(reply) }
      do { _ = try ScoreParser.parse(reply) } catch let e as JudgeError {
        if case .ambiguousScore = e {} else { Issue.record("\(reply): \(e)") }
      }
    }
    // A final marker decides, and repeating the same score is not ambiguous.
    #expect(try ScoreParser.parse("步骤一得分：0.5，步骤二得分：0.3，综合得分：0.4").value == 0.4)
    #expect(try ScoreParser.parse("得分：0.8\n理由：……\n因此得分：0.8").value == 0.8)
    #expect(try ScoreParser.parse("I'd rate it 8/10.").value == 0.8)
    // Markdown around the label and a scale in brackets.
    #expect(try ScoreParser.parse("**得分**: 0.6").value == 0.6)
    #expect(try ScoreParser.parse("得分（0-1）：0.8").value == 0.8 && ScoreParser.parse("Score (0-1): 0.7").value == 0.7)
    // A scale the reply states itself, and a score "earned" in points.
    #expect(try ScoreParser.parse("得分：8分（满分10分）").value == 0.8 && ScoreParser.parse("Score: 7 out of 10").value == 0.7)
    #expect(try ScoreParser.parse("模型回答与标准答案一致，应得1分。").value == 1)
    #expect(throws: JudgeError.self) { try ScoreParser.parse("得分：12分（满分10分）") }
  }

  @Test func scoresOnAnotherScaleAreFailuresNotOnes() throws {
    // Within 0.05 of 0...1 is clamped (see the corpus: 1.02 -> 1, -0.01 -> 0); further out may be another scale:
    // "1.5" could be 0.3 out of 5, and was counted as a perfect 1.
    for reply in ["Score: 7", "得分: 15", "得分: -3", "Rating: 85%% of 10".replacingOccurrences(of: "%%", with: "0"), "9",
                  "得分: 1.5", "得分: 150%", "得分：-0.2", "-3/10"] {
      do {
        let got = try ScoreParser.parse(reply)
        Issue.record("\(reply.debugDescription) gave \(got.value)")
      } catch let e as JudgeError {
        guard case .scoreOutOfRange(_, _, let kept) = e else { Issue.record("\(e)"); continue }
        #expect(kept == reply && e.description.contains("outside 0 to 1"))
      }
    }
    #expect(try ScoreParser.parse("Score: 7/10").value == 0.7)
    #expect(try ScoreParser.parse("得分: 1.05").value == 1)
    // A fraction keeps its sign (it was read as 0.3, above it is refused as -0.3), and a range is not a fraction.
    #expect(try ScoreParser.find("I'd say -3/10").matched == "-3/10")
    #expect(throws: JudgeError.self) { _ = try ScoreParser.parse("between 7-8/10") }
  }

  @Test func aRunawayReplyIsReadAtItsEnds() throws {
    let filler = String(repeating: "很长的回答。", count: 400_000)  // about 7 MB
    #expect(try ScoreParser.parse("得分: 0.8\n" + filler).value == 0.8)
    #expect(try ScoreParser.parse(filler + "\nScore: 0.3").value == 0.3)
    #expect(throws: JudgeError.self) { _ = try ScoreParser.parse(filler) }
  }

  @Test func pairwiseVerdicts() throws {
    #expect(try PairwiseJudge.parseVerdict("A is more accurate. [[A]]") == "A")
    #expect(try PairwiseJudge.parseVerdict("Not [[A]]... final: [[B]]") == "B")
    #expect(try PairwiseJudge.parseVerdict("两者相当 [[C]]") == "C")
    #expect(throws: JudgeError.self) { try PairwiseJudge.parseVerdict("A is better") }
  }
}
