// The `judge` namespace: reference metrics, LLM judges over OpenAI-compatible endpoints, pairwise
// comparison and score parsing. `j.score(answers)` returns Scores; `scores.report()` the
// per-category table.

import Foundation
import RetortData
import RetortFiles
import RetortJudge
import RetortLang

extension Lab {
  static func installJudge(_ interp: Interpreter) {
    func metric(_ name: String, _ params: [Param], _ doc: String, _ make: @escaping (inout Args) throws -> ReferenceMetric) -> NativeFunction {
      NativeFunction(name: name, params: params, doc: doc) { a in
        let m = try make(&a)
        return .object(JudgeValue(MetricJudge(m), summary: m.name, needsCategory: false))
      }
    }
    let llmParams: [Param] = [
      .required("url"), .required("model"), .optional("repeats", "3"), .optional("temperature", "0"),
      .optional("max_tokens", "1024"), .optional("concurrency", "4"), .optional("api_key_env", "\"OPENAI_API_KEY\""),
      .optional("timeout", "120"), .optional("ledger"), .optional("model_version"),
    ]
    interp.define(namespace: Namespace(
      name: "judge", doc: "Judges: reference metrics, LLM-as-judge over OpenAI-compatible endpoints, pairwise comparison, per-category reports.",
      functions: [
        metric("rouge_l", [], "ROUGE-L F with rouge-score's formula on dataset.tokens(): on ASCII text exactly rouge-score's default tokens; NFKC, CJK characters one token each, and letters of any script kept (rouge-score drops non-ASCII letters: \"café\" is \"caf\" there).") { _ in .rougeL },
        metric("rouge", [.optional("n", "1")], "ROUGE-N F for n = 1 to 4 (rouge-score's formula, on the tokens rouge_l uses).") { a in
          let n = try a.int("n", default: 1)
          guard n >= 1 && n <= 4 else { throw ScriptError("judge.rouge(): argument 'n' expects 1 to 4, got \(n)") }
          return .rouge(n: n)
        },
        metric("bleu", [.optional("tokenizer")], "Sentence BLEU / 100 as sacreBLEU computes it (tokenizer \"13a\", \"zh\" or \"none\"; default per item: zh for CJK text, else 13a); Scores.corpus is corpus BLEU, tokenized zh throughout when any item has CJK text.") { a in
          guard let t = try a.optionalString("tokenizer") else { return .bleu(tokenizer: nil) }
          guard let tok = BLEUTokenizer(rawValue: t) else {
            throw ScriptError("judge.bleu(): argument 'tokenizer' expects \"13a\", \"zh\" or \"none\", got \"\(t)\"")
          }
          return .bleu(tokenizer: tok)
        },
        metric("exact", [], "1 when the answer equals the reference after normalisation: NFKC, lower case, punctuation inside a word deleted (U.S.A. = usa, it's = its) but numbers kept whole (3.14, 1/2, -5 and 1e-5 stay; 1,000 = 1000), other punctuation and spacing separating words, each CJK character a word (北 京 = 北京).") { _ in .exact },
        metric("numeric", [.optional("tolerance", "1e-6")], "1 when the final numbers of answer and reference agree: whole numbers (no point, exponent or fraction) exactly, others within the relative tolerance (|a-b| <= tolerance * max(1, |ref|)). Reads fractions, %, thousands separators, 万 and 亿; a minus sign right after a Chinese character counts.") { a in
          let tol = try a.double("tolerance", default: 1e-6)
          guard tol >= 0 else { throw ScriptError("judge.numeric(): argument 'tolerance' expects a number >= 0, got \(tol)") }
          return .numeric(tolerance: tol)
        },
        metric("contains", [], "1 when the normalised reference occurs in the normalised answer.") { _ in .contains },
        NativeFunction(
          name: "llm", params: [llmParams[0], llmParams[1], .required("prompts")] + llmParams[2...] + [.optional("default_prompt")],
          doc: "LLM judge over /v1/chat/completions (OpenAI, vLLM, llama-server, Ollama). prompts: BELLE eval_prompt.json path, a dataset with class/prompt, or a map category -> prompt. The key comes only from the environment variable api_key_env."
        ) { a in
          let prompts = try Lab.judgePrompts(a.value("prompts"), defaultPrompt: try a.optionalString("default_prompt"))
          let options = try Lab.llmOptions(&a)
          do {
            let j = try LLMJudge.openAI(url: try a.string("url"), model: try a.string("model"), prompts: prompts, options: options,
                                        apiKeyVariable: try a.string("api_key_env", default: "OPENAI_API_KEY"),
                                        timeout: try a.double("timeout", default: 120))
            return .object(JudgeValue(j, summary: "llm \(j.backend.identity.model) @ \(j.backend.identity.endpoint), \(options.repeats) repeats", needsCategory: true))
          } catch let e as JudgeError { throw ScriptError("judge.llm(): \(e)") }
        },
        NativeFunction(
          name: "pairwise", params: [.required("first"), .required("second")] + llmParams.filter { $0.name != "repeats" },
          doc: "Compare two datasets of answers to the same questions (row by row; a row whose question differs is an error) once in each order; returns {win, tie, loss, inconsistent, failures, verdicts, failed} for the first (failed: {id, failures} of each pair with no verdict)."
        ) { a in
          let first = try a.object("first", as: DatasetValue.self, expected: "a dataset with an answer field").ds
          let second = try a.object("second", as: DatasetValue.self, expected: "a dataset with an answer field").ds
          guard first.count == second.count else {
            throw ScriptError("judge.pairwise(): first has \(first.count) records but second has \(second.count)")
          }
          let fa = try JudgeValue.items(first, needCategory: false, function: "judge.pairwise(): first")
          let sa = try JudgeValue.items(second, needCategory: false, function: "judge.pairwise(): second")
          // Answers to other questions would be judged under the first's: refuse a misaligned row.
          if let i = fa.indices.first(where: { fa[$0].instruction != sa[$0].instruction }) {
            throw ScriptError("judge.pairwise(): row \(i) asks different questions: first \(fa[i].instruction.excerpt(60).quotedLiteral), "
                              + "second \(sa[i].instruction.excerpt(60).quotedLiteral); the datasets must hold the same questions in the same order")
          }
          let pairs = zip(fa, sa).map { PairwiseItem(id: $0.id, instruction: $0.instruction, reference: $0.reference, first: $0.answer, second: $1.answer, category: $0.category) }
          let options = try Lab.llmOptions(&a)
          let judge: PairwiseJudge
          do {
            let backend = try OpenAIChatBackend(url: try a.string("url"), model: try a.string("model"),
                                                apiKeyVariable: try a.string("api_key_env", default: "OPENAI_API_KEY"),
                                                timeout: try a.double("timeout", default: 120))
            judge = try PairwiseJudge(backend: backend, options: options)
          } catch let e as JudgeError { throw ScriptError("judge.pairwise(): \(e)") }
          let s = try JudgeRun.blocking(a.interpreter, label: "comparing") { p, c in try await judge.compare(pairs, progress: p, isCancelled: c) }
          // As score() does: a judge that is down fails every pair; say why here too.
          let failed = s.results.filter { $0.verdict == nil && !$0.failures.isEmpty }
          if let reason = s.stopReason {
            a.interpreter.output("judge.pairwise(): \(reason); rerun (with a ledger=, where it stopped) when the judge is back\n")
          } else if let first = failed.first?.failures.first, !s.cancelled {
            a.interpreter.output("judge.pairwise(): \(failed.count) of \(counted(s.results.count, "pair")) failed; the first: "
                                 + "\(first.description) (the result's failed lists them all)\n")
          }
          return .map([
            ("win", .int(s.wins)), ("tie", .int(s.ties)), ("loss", .int(s.losses)), ("inconsistent", .int(s.inconsistent)),
            ("failures", .int(s.failures)), ("verdicts", .list(s.results.map { $0.verdict.map { .string($0.rawValue) } ?? .none })),
            ("failed", .list(failed.map { r in
              .map([("id", .string(r.item.id)), ("failures", .list(r.failures.map { .string($0.description) }))])
            })),
          ])
        },
        judgeModelFunction(),
        NativeFunction(name: "parse_score", params: [.required("reply")],
                       doc: "The score in [0, 1] of a judge reply ('得分: 0.8', 'Score: 0.8', '8/10', a bare number); error if none, or if it is more than 0.05 outside [0, 1] (another scale: 'Score: 7', '1.5'); within that it is clamped.") { a in
          do { return .float(try ScoreParser.parse(try a.string("reply")).value) } catch { throw ScriptError("\(error)") }
        },
        NativeFunction(name: "load_scores", params: [.required("path")], doc: "Scores saved with scores.save(path) (the .json file).") { a in
          do { return .object(ScoresValue(try ScoreSet.load(from: try a.path("path")), dataset: nil)) } catch { throw ScriptError("\(error)") }
        },
      ]))
  }

  /// LLM options from the common keyword arguments.
  static func llmOptions(_ a: inout Args) throws -> LLMJudgeOptions {
    let maxTokens = try a.int("max_tokens", default: 1024)
    return LLMJudgeOptions(
      repeats: try a.int("repeats", default: 3),
      settings: DecodingSettings(temperature: try a.double("temperature", default: 0), maxTokens: maxTokens),
      concurrency: try a.int("concurrency", default: 4), ledgerPath: try ledgerPath(a),
      modelVersion: try a.optionalString("model_version"))
  }

  /// The `ledger` argument, checked now rather than at the first score(): a directory or a
  /// file that holds something else is an error here.
  static func ledgerPath(_ a: Args) throws -> String? {
    guard let path = try a.optionalPath("ledger") else { return nil }
    do { try JudgeLedger.check(path: path) } catch { throw ScriptError("\(a.function)(): argument 'ledger': \(error)") }
    return path
  }

  /// Judge prompts from a path, a map or a dataset of {class, prompt} records.
  static func judgePrompts(_ v: Value?, defaultPrompt: String?, function f: String = "judge.llm()") throws -> JudgePrompts {
    do {
      switch v {
      case .string(let path)?: return try JudgePrompts(contentsOf: expandHome(path), defaultPrompt: defaultPrompt)
      case .map(let m)?:
        var map: [String: String] = [:]
        for (k, v) in m.pairs {
          guard case .string(let key) = k.value, case .string(let p) = v else {
            throw ScriptError("\(f): prompts maps category names to prompt strings")
          }
          map[key] = p
        }
        return try JudgePrompts(map: map, defaultPrompt: defaultPrompt)
      case .object(let d as DatasetValue)?:
        var recs: [(category: String, prompt: String)] = []
        for (i, r) in d.ds.records.enumerated() {
          guard let c = r.category, let p = r["prompt"]?.stringValue else {
            throw ScriptError("\(f): prompts record \(i) needs class (or category) and prompt fields")
          }
          recs.append((c, p))
        }
        return try JudgePrompts(records: recs, defaultPrompt: defaultPrompt)
      default:
        throw ScriptError("\(f): argument 'prompts' expects a file path, a map category -> prompt or a dataset with class and prompt")
      }
    } catch let e as JudgeError { throw ScriptError("\(f): prompts: \(e)") }
  }
}
