// `judge.model(m, prompts=...)`: a loaded local model as the judge, with the
// same per-category prompts, message layout, score parsing, repeats, ledger
// and reports as `judge.llm`. Calls run one at a time (one model, one cache);
// repeat r samples with seed + r, so repeats differ and reruns repeat.

import RetortJudge
import RetortLang
import RetortModels

extension Lab {
  static func judgeModelFunction() -> NativeFunction {
    NativeFunction(
      name: "model",
      params: [.required("m"), .required("prompts"), .optional("repeats", "3"), .optional("temperature", "0"),
               .optional("max_tokens", "256"), .optional("seed", "0"), .optional("ledger"), .optional("default_prompt")],
      doc: "A loaded local model as the judge (same prompts, layout, parsing and reports as judge.llm); calls run one at a time."
    ) { a in
      let value = try a.object("m", as: ModelValue.self, expected: "a model from model.load")
      let m = value.model, context = value.context
      let prompts = try judgePrompts(a.value("prompts"), defaultPrompt: try a.optionalString("default_prompt"), function: "judge.model()")
      let seed = try a.int("seed", default: 0)
      let options = LLMJudgeOptions(
        repeats: try a.int("repeats", default: 3),
        settings: DecodingSettings(temperature: try a.double("temperature", default: 0),
                                   maxTokens: try a.int("max_tokens", default: 256), seed: seed),
        concurrency: 1, ledgerPath: try ledgerPath(a), modelVersion: nil)
      let fileName = m.info.path.split(separator: "/").last.map(String.init) ?? m.info.path
      let name = "\(fileName)#\(m.info.fingerprint)"
      let backend = ClosureBackend(name: name) { messages, settings in
        var sampling = SamplingOptions()
        sampling.temperature = settings.temperature
        sampling.seed = UInt64(truncatingIfNeeded: settings.seed ?? 0)
        // The context the model was loaded with bounds prompt and reply, as in m.chat.
        var opts = GenerationOptions(maxTokens: settings.maxTokens ?? 256, sampling: sampling)
        opts.context = context
        let chat = messages.map { RetortModels.ChatMessage(role: $0.role, content: $0.content) }
        // Ctrl-C (or a deadline) cancels this call's task: generation stops at the next token.
        return try m.chat(chat, options: opts, isCancelled: { Task.isCancelled }).text
      }
      do {
        let j = try LLMJudge(backend: backend, prompts: prompts, options: options)
        return .object(JudgeValue(j, summary: "local model \(fileName), \(options.repeats) repeats", needsCategory: true))
      } catch let e as JudgeError { throw ScriptError("judge.model(): \(e)") }
    }
  }
}
