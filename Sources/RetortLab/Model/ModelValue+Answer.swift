// `m.answer(prompts, ...)`: batch answering with a progress bar and a resumable cache file.

import Foundation
import RetortLang
import RetortModels

func answer(_ m: ModelValue, _ a: inout Args) throws -> Value {
  let prompts = try a.strings("prompts")
  let templateName = try a.string("template", default: "chat")
  let cache = try a.optionalString("cache")
  let resume = try a.bool("resume", default: true)
  let opts = try generationOptions(a)
  let template = try modelCall { try ChatTemplate.named(templateName, model: m.model.chatTemplate) }
  let interp = a.interpreter
  let progress = interp.progressFactory("answering", prompts.count)
  defer { progress.finish() }
  let records = try modelCall {
    try m.model.answer(prompts, template: template, options: opts, cacheFile: cache, resume: resume,
                       progress: { p in
                         let eta = p.etaSeconds.isFinite ? String(format: ", ETA %.0fs", p.etaSeconds) : ""
                         progress.update(done: p.done, note: String(format: "%.1f tok/s", p.tokensPerSecond) + eta)
                       },
                       isCancelled: { interp.interruptRequested() })
  }
  let done = records.compactMap { $0 }
  if done.count < prompts.count {
    interp.output("answering interrupted: \(done.count) of \(prompts.count) answered" + (cache.map { "; resume from \($0)" } ?? "") + "\n")
  }
  return .list(done.map { r in
    .map([("index", .int(r.index)), ("prompt", .string(r.prompt)), ("answer", .string(r.answer)),
          ("prompt_tokens", .int(r.promptTokens)), ("completion_tokens", .int(r.completionTokens)),
          ("seconds", .float(r.seconds)), ("finish", .string(r.finishReason.rawValue))])
  })
}
