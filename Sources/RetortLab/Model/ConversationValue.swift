// A chat conversation in the language: c.send(text) streams the reply and keeps the turns.

import RetortLang
import RetortModels

/// A conversation as a language value.
final class ConversationValue: HostObject {
  static let type = TypeInfo("Conversation", doc: "A chat that keeps its turns and KV cache.") { t in
    t.property("messages", "The turns as {\"role\", \"content\"} maps.") { (c: ConversationValue) in
      .list(c.conv.messages.map { .map([("role", .string($0.role)), ("content", .string($0.content))]) })
    }
    t.method("send", [.required("text")], "Add a user message; stream and keep the assistant's reply.") {
      (c: ConversationValue, a: inout Args) in
      let text = try a.string("text")
      let interp = a.interpreter
      let r = try modelCall { try c.conv.send(text, onText: { interp.output($0) }, isCancelled: { interp.interruptRequested() }) }
      return streamedReply(r, interp)
    }
  }

  var typeInfo: TypeInfo { Self.type }
  let conv: Conversation
  init(_ conv: Conversation) { self.conv = conv }

  func render(_ context: RenderContext) throws -> String {
    var lines = ["Conversation(\(conv.messages.count) messages)"]
    for m in conv.messages {
      lines.append(TextWidth.truncate("  \(m.role): \(m.content.replacingOccurrences(of: "\n", with: " "))", to: max(40, context.width)))
    }
    return lines.joined(separator: "\n")
  }
}

/// A tokenizer as a language value.
final class TokenizerValue: HostObject {
  static let type = TypeInfo("Tokenizer", doc: "A byte-level BPE tokenizer (from a model file, or tokenizer.train_bpe).") { t in
    t.property("vocab_size", "Number of tokens.") { (k: TokenizerValue) in .int(k.tok.vocabularySize) }
    t.method("encode", [.required("text")], "Token ids of the text (special tokens parsed).") { (k: TokenizerValue, a: inout Args) in
      .list(k.tok.encode(try a.string("text")).map { .int($0) })
    }
    t.method("decode", [.required("ids")], "Text of a list of token ids.") { (k: TokenizerValue, a: inout Args) in
      var ids: [Int] = []
      for (i, v) in try a.list("ids").enumerated() {
        guard case .int(let n) = v else { throw ScriptError("decode(): ids[\(i)] must be an integer token id") }
        guard n >= 0, n < k.tok.vocabularySize else { throw ScriptError("decode(): ids[\(i)] = \(n) is outside the vocabulary (0..<\(k.tok.vocabularySize))") }
        ids.append(n)
      }
      return .string(k.tok.decode(ids))
    }
  }
  var typeInfo: TypeInfo { Self.type }
  let tok: Tokenizer
  init(_ tok: Tokenizer) { self.tok = tok }
  func render(_ context: RenderContext) throws -> String { "Tokenizer(\(tok.vocabularySize) tokens, \(tok.pre.rawValue))" }
}
