import Testing
@testable import RetortData

@Suite struct FilterTests {
  @Test func blacklistWordsAndCJK() throws {
    let d = Dataset.from([
      ["instruction": "Describe this image.", "input": ""],
      ["instruction": "Imagine a world without cars.", "input": ""],
      ["instruction": "请描述这张图片。", "input": ""],
      ["instruction": "Summarize", "input": "See the LINK below"],
      ["instruction": "Write a poem", "input": "images of summer"],
    ])
    let kept = try d.blacklist(["image", "图片", "link"])
    #expect(kept.records.map(\.instruction) == ["Imagine a world without cars.", "Write a poem"])
    #expect(try d.blacklist(["link"], fields: ["instruction"]).count == 5)
    // BELLE's eval set has no input field: the default fields still work.
    let belle = Dataset.from([["question": "这张图片是什么？", "class": "open qa"], ["question": "1+1=?", "class": "math"]])
    #expect(try belle.blacklist(["图片"]).records.map(\.instruction) == ["1+1=?"])
    #expect(try belle.unique(by: ["category"]).count == 2)
    #expect(throws: DataError.self) { try belle.blacklist(["x"], fields: ["context"]) }
  }

  @Test func lengthAndDropEmpty() throws {
    let d = Dataset.from([
      ["instruction": "one two three", "output": "x"],
      ["instruction": "写一首诗", "output": " \n"],
      ["instruction": "a b c d e f", "output": "y"],
    ])
    #expect(try d.length(min: 4, field: "instruction", unit: .words).count == 1)
    #expect(try d.length(max: 4).records.map(\.instruction) == ["写一首诗"])
    #expect(try d.length(min: 4, max: 4, unit: .tokens).count == 1)
    #expect(throws: DataError.self) { try d.length(min: 5, max: 1) }
    #expect(try d.dropEmpty().count == 2)
    #expect(try d.dropEmpty(["instruction"]).count == 3)
    do { _ = try d.dropEmpty(["context"]) } catch {
      #expect("\(error)" == "drop_empty: no field 'context'; fields are: instruction, output")
    }
  }

  @Test func statsPerCategory() throws {
    let d = Dataset.from([
      ["instruction": "abc", "output": "12345", "category": "math"],
      ["instruction": "中文", "output": "", "category": "Math"],
      ["instruction": "x", "output": "1", "category": "code"],
    ])
    let s = d.stats()
    #expect(s.map(\.key) == ["math", "code", "all"])
    #expect(s[0].count == 2 && s[0].instruction.mean == 2.5 && s[0].output.max == 5)
    #expect(s[0].instruction.median == 2.5)
    #expect(abs(s[2].output.p95 - 4.6) < 1e-12)
    let t = d.stats(tokenCount: { $0.split(separator: " ").count + 100 })
    #expect(t[1].instruction.max == 101)
    // No input anywhere: 0 long, not the tokenizer's count of "" (a BOS).
    #expect(t[2].input.max == 0)
  }

  @Test func formatTemplates() throws {
    let d = Dataset.from([["instruction": "Add", "input": "1 2", "output": "3"], ["instruction": "Hi", "input": "", "output": "Hello"]])
    let f = try d.format(try PromptTemplate("Q: {instruction} {{literal}} [{ input }]"))
    #expect(f.records[0]["prompt"] == "Q: Add {literal} [1 2]")
    let a = try d.formatAlpaca()
    #expect(a.records[0].text("prompt") == "Below is an instruction that describes a task, paired with an input that provides further context. Write a response that appropriately completes the request.\n\n### Instruction:\nAdd\n\n### Input:\n1 2\n\n### Response:\n")
    #expect(a.records[1].text("prompt") == "Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n### Instruction:\nHi\n\n### Response:\n")
    #expect(throws: DataError.self) { try PromptTemplate("{open") }
    #expect(throws: DataError.self) { try PromptTemplate("close}") }
    do { _ = try d.format(try PromptTemplate("{missing}")) } catch {
      #expect("\(error)" == "format: record 0: the record has no field 'missing'; its fields are: instruction, input, output")
    }
    // Alpaca's template names the record too.
    let noInstruction = Dataset.from([["instruction": "Hi", "output": "a"], ["output": "b"]])
    #expect(throws: DataError.self) { try noInstruction.formatAlpaca() }
    do { _ = try noInstruction.formatAlpaca() } catch { #expect("\(error)".hasPrefix("format: record 1: the record has no field 'instruction'")) }
  }
}
