// One turn of a multi-turn conversation, with speaker names unified:
// ShareGPT's `human`/`gpt` and OpenAI's `user`/`assistant` both map to
// `user`/`assistant`.

/// A conversation turn: who speaks (`user`, `assistant`, `system`, ...) and what.
public struct Turn: Sendable, Hashable {
  /// Normalised role.
  public var role: String
  /// The text of the turn.
  public var content: String

  /// A turn; `role` is normalised (`human` -> `user`, `gpt` -> `assistant`).
  public init(role: String, content: String) {
    self.role = Turn.normalizeRole(role)
    self.content = content
  }

  /// Maps the speaker names used by common formats onto user/assistant/system.
  public static func normalizeRole(_ role: String) -> String {
    switch role.lowercased() {
    case "human", "user", "prompter", "question": return "user"
    case "gpt", "assistant", "chatgpt", "bing", "bard", "model", "bot", "answer": return "assistant"
    case "system": return "system"
    default: return role
    }
  }

  /// Reads a turn from `{from, value}` or `{role, content}`; nil if neither.
  public init?(_ object: JSONObject) {
    if let r = object["role"]?.stringValue ?? object["from"]?.stringValue,
       let c = object["content"] ?? object["value"] {
      self.init(role: r, content: c.text)
    } else {
      return nil
    }
  }

  /// The `{role, content}` object.
  public var object: JSONObject { ["role": .string(role), "content": .string(content)] }
}
