// `m.answer(prompts or dataset, ...)`: batch answering with a progress bar and
// a resumable cache file. Given a dataset, each record's prompt is its
// instruction (and input), or Alpaca's full prompt with template="alpaca", and
// the result is the dataset with `answer`, `answer_tokens` and `finish` fields
// added. Timings stay out of the results (they would change every run, and with
// them the dataset's fingerprint and a replay's check); a closing line reports
// them with their units, which replays mask.

import Foundation
import RetortData
import RetortLang
import RetortModels

func answer(_ m: ModelValue, _ a: inout Args) throws -> Value {
  let templateName = try a.string("template", default: m.trainedTemplate ?? "chat")
  var template = try modelCall { try ChatTemplate.named(templateName, model: m.model.chatTemplate) }
  let source: Dataset?
  let prompts: [String]
  if case .object(let o)? = a.value("prompts"), let d = o as? DatasetValue {
    source = d.ds
    if templateName == "alpaca" {
      // Alpaca's own prompt (with its Input section when there is one), used as is.
      prompts = try d.ds.formatAlpaca(into: "prompt").records.map { $0.text("prompt") }
      template = .custom("{prompt}")
    } else {
      prompts = d.ds.records.map { r in r.input.isEmpty ? r.instruction : r.instruction + "\n\n" + r.input }
    }
  } else {
    source = nil
    prompts = try a.strings("prompts")
  }
  let cache = try a.optionalPath("cache")
  let resume = try a.bool("resume", default: true)
  let opts = try generationOptions(a, context: m.context)
  let interp = a.interpreter
  let progress = interp.progressFactory("answering", prompts.count)
  let start = Date()
  var cached: Int? = nil, rate = 0.0
  let records: [AnswerRecord?]
  do {
    defer { progress.finish() }
    records = try modelCall {
      try m.model.answer(prompts, template: template, options: opts, cacheFile: cache, resume: resume,
                         progress: { p in
                           if cached == nil { cached = p.done }  // the first report counts the cached answers
                           rate = p.tokensPerSecond
                           // The bar (or log line) shows count, rate and ETA; the note adds throughput.
                           progress.update(done: p.done, note: String(format: "%.1f tok/s", p.tokensPerSecond))
                         },
                         isCancelled: { interp.interruptRequested() })
    }
  }
  let done = records.compactMap { $0 }
  if done.count < prompts.count {
    interp.output("answering interrupted: \(done.count) of \(prompts.count) answered" + (cache.map { "; resume from \($0)" } ?? "") + "\n")
  } else if prompts.count > 0 {
    let fromCache = cached ?? 0
    var line = "answered \(prompts.count) prompt\(prompts.count == 1 ? "" : "s")"
    if fromCache > 0 { line += " (\(fromCache) from the cache)" }
    line += String(format: " in %.1f s", Date().timeIntervalSince(start))
    if fromCache < prompts.count { line += String(format: ", %.1f tok/s", rate) }
    interp.output(line + "\n")
  }
  if let ds = source {
    var out: [Record] = []
    for (i, r) in records.enumerated() {
      guard let r = r else { continue }
      var rec = ds.records[i]
      rec.fields["answer"] = .string(r.answer)
      rec.fields["answer_tokens"] = .int(r.completionTokens)
      rec.fields["finish"] = .string(r.finishReason.rawValue)
      out.append(rec)
    }
    return .object(DatasetValue(Dataset(out, source: ds.source, schema: ds.schema)))
  }
  return .list(done.map { r in
    .map([("index", .int(r.index)), ("prompt", .string(r.prompt)), ("answer", .string(r.answer)),
          ("prompt_tokens", .int(r.promptTokens)), ("completion_tokens", .int(r.completionTokens)),
          ("finish", .string(r.finishReason.rawValue))])
  })
}
