// `retort bench judge-metrics`: sentence BLEU, corpus BLEU ('zh') and ROUGE-1/2/L over real Chinese
// pairs from BELLE's eval set (each reference answer against the next one of the same class),
// timed against sacreBLEU and rouge-score run by Scripts/reference/metrics_bench.py in the same run,
// with the largest difference between the two sides' values.

import Foundation
import RetortData
import RetortJudge

extension BenchRegistry {
  static let judgeMetrics = BenchSuite(
    name: "judge-metrics",
    summary: "BLEU/ROUGE on BELLE eval pairs vs sacreBLEU and rouge-score (python3)",
    options: [
      ("data", "/work/shared/data/belle/eval_set.json", "BELLE eval_set.json (JSON Lines)"),
      ("repeats", "5", "timed runs per measurement (median quoted)"),
      ("python", "python3", "Python with sacrebleu and rouge-score; empty to skip the peer"),
      ("script", "Scripts/reference/metrics_bench.py", "peer script"),
    ],
    run: { args, out in
      let repeats = try args.int("repeats")
      let text = try String(contentsOfFile: args.string("data"), encoding: .utf8)
      var byClass: [String: [String]] = [:]
      for (i, line) in text.split(separator: "\n").enumerated() {
        guard let obj = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
          throw BenchError("\(args.string("data")):\(i + 1): not a JSON object")
        }
        if let a = obj["std_answer"] as? String, !a.isEmpty, let c = obj["class"] as? String { byClass[c, default: []].append(a) }
      }
      var hyps: [String] = [], refs: [String] = []
      for c in byClass.keys.sorted() {
        let a = byClass[c] ?? []
        for i in a.indices.dropLast() { hyps.append(a[i + 1]); refs.append(a[i]) }
      }
      out.note("judge-metrics: \(hyps.count) pairs from \(byClass.count) classes")
      let bleu = BLEU.sentence(tokenizer: .zh)
      var sent: [Double] = [], corpus = 0.0, rl: [Double] = [], r1: [Double] = [], r2: [Double] = []
      let tSent = median(benchTimes(repeats: repeats) { sent = zip(hyps, refs).map { bleu.sentenceScore($0, references: [$1]).score } })
      let tCorp = try median(benchTimes(repeats: repeats) { corpus = try BLEU(tokenizer: .zh).corpusScore(hyps, references: refs.map { [$0] }).score })
      let tRouge = median(benchTimes(repeats: repeats) {
        rl = zip(hyps, refs).map { RougeL.score(candidate: $0, reference: $1).f }
        r1 = zip(hyps, refs).map { RougeN.score(candidate: $0, reference: $1, n: 1).f }
        r2 = zip(hyps, refs).map { RougeN.score(candidate: $0, reference: $1, n: 2).f }
      })
      var peer: [String: Any] = [:]
      let python = args.string("python")
      if !python.isEmpty {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("judge-bench-\(getpid()).json")
        defer { try? FileManager.default.removeItem(at: tmp) }
        try JSONSerialization.data(withJSONObject: zip(hyps, refs).map { ["hypothesis": $0, "reference": $1] }).write(to: tmp)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [python, args.string("script"), tmp.path, "\(repeats)"]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0, let obj = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
          throw BenchError("peer script failed (status \(p.terminationStatus))")
        }
        peer = obj
      }
      func maxDiff(_ a: [Double], _ b: Any?) -> Double {
        guard let b = b as? [Double], b.count == a.count else { return .nan }
        return zip(a, b).map { abs($0 - $1) }.max() ?? 0
      }
      func peerSeconds(_ k: String) -> Double { ((peer[k] as? [String: Any])?["seconds"] as? Double) ?? .nan }
      let ps = peer["sentence_bleu"] as? [String: Any], pc = peer["corpus_bleu"] as? [String: Any], pr = peer["rouge"] as? [String: Any]
      out.emit("judge-metrics.sentence_bleu", [
        ("pairs", .int(hyps.count)), ("retort_ms", .double(tSent * 1e3)), ("sacrebleu_ms", .double(peerSeconds("sentence_bleu") * 1e3)),
        ("speedup", .double(peerSeconds("sentence_bleu") / tSent)), ("max_abs_diff", .double(maxDiff(sent, ps?["values"]))),
      ])
      out.emit("judge-metrics.corpus_bleu", [
        ("pairs", .int(hyps.count)), ("retort_ms", .double(tCorp * 1e3)), ("sacrebleu_ms", .double(peerSeconds("corpus_bleu") * 1e3)),
        ("speedup", .double(peerSeconds("corpus_bleu") / tCorp)), ("bleu", .double(corpus)),
        ("abs_diff", .double(abs(corpus - ((pc?["value"] as? Double) ?? .nan)))),
      ])
      out.emit("judge-metrics.rouge_1_2_l", [
        ("pairs", .int(hyps.count)), ("retort_ms", .double(tRouge * 1e3)), ("rouge_score_ms", .double(peerSeconds("rouge") * 1e3)),
        ("speedup", .double(peerSeconds("rouge") / tRouge)),
        ("max_abs_diff_l", .double(maxDiff(rl, pr?["rougeL"]))), ("max_abs_diff_1", .double(maxDiff(r1, pr?["rouge1"]))),
        ("max_abs_diff_2", .double(maxDiff(r2, pr?["rouge2"]))),
      ])
    })
}
