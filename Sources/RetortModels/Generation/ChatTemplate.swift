// Chat templates: the model's own (ChatML, recognised from the GGUF
// template text), Alpaca's prompt, or a user template string.

/// One chat message.
public struct ChatMessage: Sendable, Equatable, Codable {
  /// "system", "user" or "assistant".
  public var role: String
  public var content: String
  public init(role: String, content: String) { self.role = role; self.content = content }
}

/// Turns messages into the prompt text a model was trained on.
public enum ChatTemplate: Sendable, Equatable {
  /// `<|im_start|>role\ncontent<|im_end|>\n`; `defaultSystem` is added when
  /// the first message is not a system message (as SmolLM2's template does).
  case chatML(defaultSystem: String?)
  /// Stanford Alpaca's instruction prompt (user messages only).
  case alpaca
  /// A template string in which `{prompt}` is replaced by the last user message
  /// and `{system}` by the system message (or "").
  case custom(String)

  /// The template a GGUF file's `tokenizer.chat_template` text describes.
  public init(ggufTemplate text: String?) throws {
    guard let text, !text.isEmpty else {
      throw ModelError("the model has no tokenizer.chat_template; pass template=\"alpaca\" or a template string with {prompt}")
    }
    guard text.contains("<|im_start|>") else {
      throw ModelError("unrecognised chat template (only ChatML is understood): \(text.prefix(80))...")
    }
    var system: String? = nil
    let marker = "<|im_start|>system\n"
    if let r = text.range(of: marker), let e = text.range(of: "<|im_end|>", range: r.upperBound..<text.endIndex) {
      let candidate = String(text[r.upperBound..<e.lowerBound])
      if !candidate.contains("'") && !candidate.contains("{") && !candidate.contains("\"") { system = candidate }
    }
    self = .chatML(defaultSystem: system)
  }

  /// A template by name: "alpaca", or any string containing `{prompt}`.
  public static func named(_ name: String, model: ChatTemplate?) throws -> ChatTemplate {
    switch name {
    case "chat":
      guard let model else { throw ModelError("the model has no chat template; use template=\"alpaca\"") }
      return model
    case "alpaca": return .alpaca
    default:
      guard name.contains("{prompt}") else {
        throw ModelError("template must be \"chat\", \"alpaca\" or a string containing {prompt}, got \"\(name)\"")
      }
      return .custom(name)
    }
  }

  /// The prompt for `messages`, ending with the assistant's turn opened when `addGenerationPrompt`.
  public func render(_ messages: [ChatMessage], addGenerationPrompt: Bool = true) -> String {
    switch self {
    case .chatML(let defaultSystem):
      var out = ""
      if let defaultSystem, messages.first?.role != "system" {
        out += "<|im_start|>system\n\(defaultSystem)<|im_end|>\n"
      }
      for m in messages { out += "<|im_start|>\(m.role)\n\(m.content)<|im_end|>\n" }
      if addGenerationPrompt { out += "<|im_start|>assistant\n" }
      return out
    case .alpaca:
      let user = messages.last { $0.role == "user" }?.content ?? ""
      let system = messages.first { $0.role == "system" }?.content
      let head = system ?? "Below is an instruction that describes a task. Write a response that appropriately completes the request."
      return "\(head)\n\n### Instruction:\n\(user)\n\n### Response:\n"
    case .custom(let t):
      let user = messages.last { $0.role == "user" }?.content ?? ""
      let system = messages.first { $0.role == "system" }?.content ?? ""
      return t.replacingOccurrences(of: "{system}", with: system).replacingOccurrences(of: "{prompt}", with: user)
    }
  }

  /// Extra stop strings that end an assistant turn in this format.
  public var stopStrings: [String] {
    switch self {
    case .chatML: return ["<|im_end|>"]
    case .alpaca: return ["### Instruction:"]
    case .custom: return []
    }
  }
}

import Foundation
