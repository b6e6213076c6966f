import Foundation
import Testing

@testable import RetortJudge

struct MetricUnitTests {
  @Test func numbersAreExtracted() {
    let n = NumericMatch.numbers(in: "共1,234.5元，增长3.5%，约3/4，GPT-4 与 x = -7，列表1,2,3")
    #expect(n.map(\.value) == [1234.5, 0.035, 0.75, 4, -7, 1, 2, 3])
    #expect(NumericMatch.finalNumber(in: "答案是１２３。")?.value == 123)
    #expect(NumericMatch.finalNumber(in: "no digits") == nil)
    #expect(NumericMatch.finalNumber(in: "value .5 here")?.value == 0.5)
    #expect(NumericMatch.numbers(in: "2.5e3 and 1E-2, but 3ex and 4e").map(\.value) == [2500, 0.01, 3, 4])
  }

  @Test func numericMatching() throws {
    #expect(try NumericMatch.matches("所以答案是 42。", "#### 42"))
    // A minus sign right after a Chinese character is a sign (it was read as a hyphen, so a wrong sign matched).
    for (answer, reference) in [("结果为-5。", "-5"), ("答案是-5", "-5"), ("所以x等于-3/4", "-0.75"), ("是-5", "是 -5")] {
      #expect(try NumericMatch.matches(answer, reference), "\(answer)")
    }
    #expect(try !NumericMatch.matches("结果为-5", "结果为5"))
    #expect(try NumericMatch.matches("约1.5万人", "15000") && NumericMatch.matches("3亿", "300,000,000"))
    #expect(try NumericMatch.matches("2万亿元", "2e12") && !NumericMatch.matches("1.5万", "1.5"))
    #expect(NumericMatch.finalNumber(in: "GPT-4")?.value == 4 && NumericMatch.finalNumber(in: "3-5")?.value == 5)
    // Numbers past Double's range read as infinity; equal ones match (inf - inf is NaN).
    #expect(try NumericMatch.matches("1e999", "1e999"))
    #expect(try NumericMatch.matches(String(repeating: "9", count: 400), String(repeating: "9", count: 400)))
    #expect(try !NumericMatch.matches("1e999", "-1e999"))
    #expect(try NumericMatch.matches("The total is 1,000,000 dollars", "1000000"))
    #expect(try NumericMatch.matches("占比 50%", "0.5"))
    #expect(try NumericMatch.matches("占比 50%", "50"))
    #expect(try NumericMatch.matches("0.75", "3/4"))
    #expect(try !NumericMatch.matches("answer 41", "42"))
    // Whole numbers must be equal, however large (a relative tolerance let 2000001 pass for 2000000).
    #expect(try !NumericMatch.matches("12345679", "12345678") && !NumericMatch.matches("答案是 2000001 个", "2000000"))
    #expect(try NumericMatch.matches("共 1,024 个", "1024") && NumericMatch.matches("3万", "30000"))
    #expect(try NumericMatch.matches("2000000.0000001", "2000000") && !NumericMatch.matches("2000003.5", "2000000"))
    // Past 2^53 whole numbers compare as digits (as doubles these two are equal).
    #expect(try !NumericMatch.matches("9007199254740993", "9007199254740992") && NumericMatch.matches("9,007,199,254,740,993", "9007199254740993"))
    #expect(try !NumericMatch.matches("no number", "42"))
    #expect(try NumericMatch.matches("3.14159", "3.1416", tolerance: 1e-4))
    #expect(try !NumericMatch.matches("3.14159", "3.1416", tolerance: 1e-7))
    #expect(throws: JudgeError.self) { try NumericMatch.matches("42", "四十二") }
  }

  @Test func exactAndContains() {
    #expect(TextMatch.exact("Paris.", "paris"))
    #expect(TextMatch.exact("北 京！", "北京"))
    #expect(!TextMatch.exact("Paris is nice", "Paris"))
    #expect(TextMatch.exact("?!", " ?! "))
    #expect(TextMatch.contains("The capital is Paris, France.", "paris france"))
    #expect(TextMatch.contains("首都是北京。", "北京"))
    #expect(!TextMatch.contains("Paris", "Paris France"))
    #expect(!TextMatch.contains("anything", ""))
    // Punctuation inside a word is deleted (SQuAD), a decimal point between digits is not.
    #expect(TextMatch.exact("U.S.A.", "usa") && TextMatch.exact("it's", "its") && TextMatch.exact("1,000", "1000"))
    #expect(!TextMatch.exact("3.14", "3 14") && !TextMatch.exact("3.14", "314") && TextMatch.exact("π ≈ 3.14.", "π ≈ 3.14"))
    #expect(TextMatch.words("The GPT-4o model, 北京。") == ["the", "gpt4o", "model", "北", "京"])
    #expect(TextMatch.contains("I think it's GPT-4o.", "gpt-4o"))
    // Numbers stay whole: a sign, a fraction bar and an exponent's sign are kept, a thousands comma is not.
    #expect(!TextMatch.exact("-5", "5") && !TextMatch.exact("1/2", "12") && !TextMatch.exact("1e-5", "1e5"))
    #expect(TextMatch.exact("x = -5.", "X = -5") && TextMatch.exact("1E-5", "1e-5") && TextMatch.words("3-5") == ["3-5"])
  }

  @Test func metricJudgeScoresAndRecordsMissingReferences() {
    let items = [
      JudgeItem(id: "a", instruction: "q", reference: "42", answer: "答案是42", category: "math"),
      JudgeItem(id: "b", instruction: "q", reference: "", answer: "x", category: "generation"),
      JudgeItem(id: "c", instruction: "q", reference: "北京", answer: "上海", category: "open qa"),
    ]
    let set = MetricJudge(.numeric(tolerance: 1e-6)).scoreSync(items)
    #expect(set.items.map(\.score) == [1, nil, nil])
    #expect(set.items[1].failures.first?.message == "no reference answer")
    #expect(set.items[2].failures.first?.message.contains("no number") == true)
    let rouge = MetricJudge(.rougeL).scoreSync(items)
    expectClose(rouge.items[0].score ?? -1, 0.4, "rouge_l 答案是42 vs 42")
    #expect(rouge.items[2].score == 0)
    let bleu = MetricJudge(.bleu(tokenizer: nil)).scoreSync(items)
    #expect(bleu.corpusScore != nil && (bleu.items[0].score ?? -1) >= 0 && (bleu.items[0].score ?? 2) <= 1)
    let stop = MetricJudge(.exact).scoreSync(items, isCancelled: { true })
    #expect(stop.cancelled && stop.items.isEmpty)
  }

  @Test func itemsFromRecordsNameMissingFields() throws {
    let items = try JudgeItem.fromRecords([
      ["question": "q1", "std_answer": "r1", "answer": "a1", "class": "math"],
      ["instruction": "q2", "answer": "a2", "category": "code", "id": "x"],
    ])
    #expect(items.map(\.id) == ["0", "x"] && items[0].reference == "r1" && items[1].reference == nil)
    #expect(throws: JudgeError.missingFields(fields: ["answer"], items: [1])) {
      _ = try JudgeItem.fromRecords([["question": "q", "answer": "a", "class": "c"], ["question": "q", "class": "c"]])
    }
  }

  @Test func bleuEdgeCases() {
    let empty = BLEU.sentence().sentenceScore("", references: ["a b c"])
    #expect(empty.score == 0 && empty.brevityPenalty == 0)
    let same = BLEU.sentence().sentenceScore("the cat sat on the mat", references: ["the cat sat on the mat"])
    expectClose(same.score, 100, tolerance: 1e-9, "identical")
    // '13a' quirk reproduced: a curly quote is a Chinese character for the zh tokenizer.
    #expect(BLEUTokenizer.zh.tokens("他说“好”") == ["他", "说", "“", "好", "”"])
    #expect(BLEUTokenizer.v13a.tokens("Tom &amp; Jerry, 1,000.5 - 2-3") == ["Tom", "&", "Jerry", ",", "1,000.5", "-", "2", "-", "3"])
  }
}
