// A chat conversation that keeps its turns and its KV cache, so each new
// turn only processes the tokens that are new.

/// A multi-turn chat with a model, using the model's chat template.
public final class Conversation: @unchecked Sendable {
  public let model: LlamaModel
  /// The turns so far (system, user and assistant messages).
  public private(set) var messages: [ChatMessage]
  public let template: ChatTemplate
  /// Options for each reply; the template's end-of-turn strings are added as stops.
  public var options: GenerationOptions
  let cache: KVCache
  var cachedTokens: [Int] = []

  /// A conversation, optionally starting with a system message.
  public init(model: LlamaModel, system: String? = nil, template: ChatTemplate? = nil,
              options: GenerationOptions = GenerationOptions(), context: Int? = nil) throws {
    guard let t = template ?? model.chatTemplate else {
      throw ModelError("the model has no chat template this library understands; pass a template (e.g. alpaca)")
    }
    self.model = model
    self.template = t
    self.options = options
    messages = system.map { [ChatMessage(role: "system", content: $0)] } ?? []
    cache = try model.makeCache(context: context)
  }

  /// Adds a user message, generates the assistant's reply (streamed to `onText`), and keeps both.
  @discardableResult
  public func send(_ text: String, onText: ((String) -> Void)? = nil,
                   isCancelled: () -> Bool = { false }) throws -> GenerationResult {
    let before = messages
    messages.append(ChatMessage(role: "user", content: text))
    do {
      let r = try reply(onText: onText, isCancelled: isCancelled)
      messages.append(ChatMessage(role: "assistant", content: r.text))
      return r
    } catch {
      messages = before
      throw error
    }
  }

  /// Generates the next assistant message for the current turns (without storing it).
  func reply(onText: ((String) -> Void)?, isCancelled: () -> Bool) throws -> GenerationResult {
    let prompt = model.tokenizer.encode(template.render(messages))
    var shared = 0
    while shared < min(prompt.count, cachedTokens.count), prompt[shared] == cachedTokens[shared] { shared += 1 }
    cache.truncate(to: min(shared, prompt.count - 1))
    var opts = options
    opts.stop += template.stopStrings.filter { !opts.stop.contains($0) }
    let room = cache.capacity - prompt.count
    guard room > 0 else {
      throw ModelError("the conversation (\(prompt.count) tokens) no longer fits the context of \(cache.capacity) tokens; start a new conversation")
    }
    opts.maxTokens = min(opts.maxTokens, room)
    let r = try model.generate(tokens: Array(prompt[cache.count...]), options: opts, cache: cache,
                               onText: onText, isCancelled: isCancelled)
    cachedTokens = Array((prompt + r.tokens).prefix(cache.count))
    return r
  }
}

extension LlamaModel {
  /// One chat turn: `prompt` as the user message under the model's chat template.
  public func chat(_ prompt: String, options: GenerationOptions = GenerationOptions(),
                   onText: ((String) -> Void)? = nil, isCancelled: () -> Bool = { false }) throws -> GenerationResult {
    try chat([ChatMessage(role: "user", content: prompt)], options: options, onText: onText, isCancelled: isCancelled)
  }

  /// The assistant's reply to `messages` under the model's chat template.
  public func chat(_ messages: [ChatMessage], options: GenerationOptions = GenerationOptions(),
                   onText: ((String) -> Void)? = nil, isCancelled: () -> Bool = { false }) throws -> GenerationResult {
    guard let t = chatTemplate else { throw ModelError("the model has no chat template this library understands") }
    var opts = options
    opts.stop += t.stopStrings.filter { !opts.stop.contains($0) }
    return try generate(t.render(messages), options: opts, onText: onText, isCancelled: isCancelled)
  }
}
