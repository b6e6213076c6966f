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
  /// OpenAI's list of content parts gives the text of its text parts.
  public init?(_ object: JSONObject) {
    if let r = object["role"]?.stringValue ?? object["from"]?.stringValue,
       let c = object["content"] ?? object["value"] {
      self.init(role: r, content: Turn.contentText(c).text)
    } else {
      return nil
    }
  }

  /// The text of a turn's content: a string as it is; OpenAI's list of parts
  /// (`[{"type": "text", "text": ...}, {"type": "image_url", ...}]`) as its
  /// text parts joined by newlines, with the count of the other parts (an
  /// image has no text to train or judge on); anything else as its JSON text.
  public static func contentText(_ content: JSONValue) -> (text: String, otherParts: Int) {
    guard let parts = content.arrayValue, !parts.isEmpty,
          parts.allSatisfy({ $0.objectValue?["type"]?.stringValue != nil }) else { return (content.text, 0) }
    var texts: [String] = [], others = 0
    for part in parts {
      if let t = part.objectValue?["text"]?.stringValue { texts.append(t) } else { others += 1 }
    }
    return (texts.joined(separator: "\n"), others)
  }

  /// The `{role, content}` object.
  public var object: JSONObject { ["role": .string(role), "content": .string(content)] }
}
