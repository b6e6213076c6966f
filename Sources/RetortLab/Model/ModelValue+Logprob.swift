// `m.logprob(prompt, completion)`: how likely the model finds a completion, for
// scoring multiple-choice answers by likelihood (as evaluation harnesses do).

import RetortLang
import RetortModels

func logprob(_ m: ModelValue, _ a: inout Args) throws -> Value {
  var prompt = try a.string("prompt")
  if a.has("template") {
    let name = try a.string("template")
    let template = try modelCall { try ChatTemplate.named(name, model: m.model.chatTemplate) }
    prompt = template.render([ChatMessage(role: "user", content: prompt)])
  }
  let interp = a.interpreter
  func score(_ completion: String) throws -> Value {
    if interp.interruptRequested() { throw RetortError(.interrupted, "interrupted", at: nil) }
    let r = try modelCall { try m.model.logprob(prompt: prompt, completion: completion, context: m.context) }
    return .map([("logprob", .float(r.total)), ("tokens", .int(r.tokens.count)),
                 ("mean", .float(r.total / Double(r.tokens.count))), ("greedy", .bool(r.greedy))])
  }
  if case .string(let c)? = a.value("completion") { return try score(c) }
  return .list(ListBox(try a.strings("completion").map(score)))
}
