// Tokenizer exactness against reference ids (Hugging Face tokenizers, also
// checked against llama.cpp by Scripts/reference/tokenizer_ids.py), using a
// committed tokenizer-only GGUF that carries SmolLM2's vocabulary and merges.

import Foundation
import Testing
@testable import RetortModels

struct TokenizerTests {
  struct Case: Decodable { let text: String; let ids: [Int]; let gpt2: [Int]; let llama3: [Int] }
  struct Reference: Decodable { let source: String; let cases: [Case] }

  static let fixtureName = "smollm2-tokenizer.gguf"

  static func load() throws -> Tokenizer {
    try Tokenizer(gguf: GGUFFile(path: Fixtures.url(fixtureName).path))
  }

  @Test func matchesReferenceIds() throws {
    let tok = try Self.load()
    let ref = try Fixtures.json("tokenizer_ids.json", as: Reference.self)
    #expect(ref.cases.count >= 20)
    for c in ref.cases {
      let ids = tok.encode(c.text)
      #expect(ids == c.ids, "text \(c.text.debugDescription)")
    }
  }

  /// The gpt2 and llama3 splits on the same vocabulary, against HF tokenizers
  /// with the reference regular expressions.
  @Test(arguments: [PreTokenizer.gpt2, .llama3])
  func otherPreTokenizersMatchReference(pre: PreTokenizer) throws {
    let tok = try Tokenizer(gguf: GGUFFile(path: Fixtures.url(Self.fixtureName).path), pre: pre)
    for c in try Fixtures.json("tokenizer_ids.json", as: Reference.self).cases {
      #expect(tok.encode(c.text) == (pre == .gpt2 ? c.gpt2 : c.llama3), "\(pre) text \(c.text.debugDescription)")
    }
  }

  @Test func decodeRoundTrips() throws {
    let tok = try Self.load()
    let ref = try Fixtures.json("tokenizer_ids.json", as: Reference.self)
    for c in ref.cases {
      #expect(tok.decode(c.ids) == c.text, "text \(c.text.debugDescription)")
    }
  }

  @Test func specialTokensMatchedFirst() throws {
    let tok = try Self.load()
    let ids = tok.encode("<|im_start|>user\nhi<|im_end|>")
    #expect(ids.first == 1 && ids.last == 2)
    #expect(tok.encode("<|im_end|>", parseSpecial: false) != [2])
    #expect(tok.eos == 2 && tok.bos == 1 && !tok.addBOS)
    #expect(tok.piece(tok.encode(" hello")[0]) == " hello")
  }

  @Test func longRunsStayFast() throws {
    let tok = try Self.load()
    let text = "a" + String(repeating: " ", count: 20_000) + "b" + String(repeating: "ab", count: 5_000)
    let ids = tok.encode(text)
    #expect(tok.decode(ids) == text)
  }

  @Test func preTokenizerSplits() throws {
    func pieces(_ p: PreTokenizer, _ s: String) -> [String] {
      let sc = Array(s.unicodeScalars)
      return p.split(sc).map { r in String(String.UnicodeScalarView(sc[r])) }
    }
    #expect(pieces(.gpt2, "Hello  world's 123\n\n") == ["Hello", " ", " world", "'s", " 123", "\n\n"])
    #expect(pieces(.smollm, "a 123") == ["a", " ", "1", "2", "3"])
    #expect(pieces(.llama3, "Hello WORLD'S 12345\n\n  x") == ["Hello", " WORLD", "'S", " ", "123", "45", "\n\n", " ", " x"])
    #expect(pieces(.llama3, "foo!!\n\nbar") == ["foo", "!!\n\n", "bar"])
  }

  /// Regenerates the tokenizer-only fixture from the real model (run with
  /// RETORT_WRITE_FIXTURES=1); uses this library's GGUF writer.
  @Test(.enabled(if: ProcessInfo.processInfo.environment["RETORT_WRITE_FIXTURES"] == "1"))
  func writeTokenizerFixture() throws {
    guard let path = Fixtures.realModel() else { return }
    let f = try GGUFFile(path: path)
    var w = GGUFWriter()
    for (k, v) in f.metadata where k.hasPrefix("tokenizer.") { w.set(k, v) }
    w.set("general.name", .string("SmolLM2 tokenizer only (test fixture)"))
    try w.write(to: Fixtures.sourceDir.appendingPathComponent(Self.fixtureName).path)
  }
}
