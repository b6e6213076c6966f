// `retort bench dataset`: loading speed against Python's json.loads (line by
// line, same file, same run), self-instruct dedup speed on synthetic
// instructions, and (with --real) the real BELLE/Alpaca files.

import Foundation
import RetortData

extension BenchRegistry {
  /// Dataset loading and dedup.
  static let dataset = BenchSuite(
    name: "dataset",
    summary: "load a 100k-record JSONL (vs python json.loads), dedup 10k instructions, real files",
    options: [
      ("records", "100000", "records in the generated JSONL file"),
      ("repeats", "3", "timed runs of each loader (median reported)"),
      ("load-threads", "0", "threads parsing JSON Lines (0 = all cores)"),
      ("dedup", "10000", "instructions to deduplicate (0 to skip)"),
      ("threads", "0", "dedup threads (0 = all cores)"),
      ("python-dedup", "1000", "records also deduplicated by the Python self-instruct loop (0 to skip)"),
      ("real", "/work/shared/data", "directory of real data files ('' to skip)"),
    ],
    run: { args, out in
      let n = try args.int("records")
      let repeats = try args.int("repeats")
      let dir = FileManager.default.temporaryDirectory
        .appendingPathComponent("retort-bench-dataset-\(getpid())")
      try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
      defer { try? FileManager.default.removeItem(at: dir) }
      let path = dir.appendingPathComponent("synthetic.jsonl").path
      let bytes = try DatasetBenchData.writeJSONL(path: path, records: n)
      out.note("generated \(n) records, \(String(format: "%.1f", Double(bytes) / 1e6)) MB at \(path)")

      // Wall time and CPU time (user + system, all threads) of each run: on a
      // shared machine wall time mostly measures the scheduler, so the CPU
      // ratio is quoted beside the wall-clock one.
      let loadThreads = try args.int("load-threads")
      var loaded = 0
      var cpu: [Double] = []
      let ours = try benchTimes(repeats: repeats) {
        let c0 = DatasetBenchData.cpuSeconds()
        loaded = try Dataset.load(path, options: LoadOptions(threads: loadThreads == 0 ? nil : loadThreads)).count
        cpu.append(DatasetBenchData.cpuSeconds() - c0)
      }
      let py = try DatasetBenchData.pythonLoadSeconds(path: path, repeats: repeats)
      let t = median(ours)
      let tp = median(py.map(\.wall))
      let c = median(Array(cpu.suffix(ours.count)))
      let cp = median(py.map(\.cpu))
      out.emit("dataset_load", [
        ("records", .int(loaded)), ("mb", .double(Double(bytes) / 1e6)),
        ("seconds", .double(t)), ("records_per_s", .double(Double(loaded) / t)),
        ("mb_per_s", .double(Double(bytes) / 1e6 / t)),
        ("python_seconds", .double(tp)), ("python_records_per_s", .double(Double(loaded) / tp)),
        ("ratio", .double(tp / t)),
        ("cpu_seconds", .double(c)), ("python_cpu_seconds", .double(cp)), ("cpu_ratio", .double(cp / c)),
        ("peak_rss_mb", .double(peakResidentMB())),
      ])

      let m = try args.int("dedup")
      if m > 0 {
        let threads = try args.int("threads")
        let ds = DatasetBenchData.instructions(count: m)
        var kept = 0
        let t0 = benchNow()
        kept = try ds.dedup(threshold: 0.7, threads: threads == 0 ? nil : threads).count
        let dt = benchNow() - t0
        out.emit("dataset_dedup", [
          ("records", .int(m)), ("kept", .int(kept)), ("seconds", .double(dt)),
          ("threads", .int(threads == 0 ? ProcessInfo.processInfo.activeProcessorCount : threads)),
        ])
        // The self-instruct loop in Python (rouge-score's DP LCS, one process)
        // on the first records, against ours on the same records.
        let k = min(m, try args.int("python-dedup"))
        if k > 0 {
          let sub = ds.take(k)
          let subPath = dir.appendingPathComponent("instructions.jsonl").path
          try sub.save(subPath)
          let t1 = benchNow()
          let ours = try sub.dedup(threshold: 0.7).count
          let tOurs = benchNow() - t1
          let (pyKept, tPy) = try DatasetBenchData.pythonDedup(path: subPath)
          out.emit("dataset_dedup_vs_python", [
            ("records", .int(k)), ("kept", .int(ours)), ("python_kept", .int(pyKept)),
            ("seconds", .double(tOurs)), ("python_seconds", .double(tPy)), ("ratio", .double(tPy / tOurs)),
          ])
        }
      }

      let real = args.string("real")
      if !real.isEmpty { try DatasetBenchData.realFiles(dir: real, out: out) }
    })
}

// Synthetic data and the Python peer.
enum DatasetBenchData {
  /// Deterministic generator (SplitMix64).
  struct Rng {
    var s: UInt64
    mutating func next() -> UInt64 {
      s &+= 0x9E37_79B9_7F4A_7C15
      var z = s
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
  }

  static let zh = Array("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理世")
  static let en = ["write", "a", "short", "poem", "about", "the", "summer", "explain", "why", "sky", "is", "blue",
                   "classify", "following", "sentence", "into", "positive", "or", "negative", "list", "three",
                   "reasons", "to", "learn", "python", "give", "an", "example", "of", "summarize", "article",
                   "in", "one", "paragraph", "translate", "text", "French", "what", "are", "benefits", "exercise",
                   "generate", "story", "robot", "who", "wants", "be", "human", "compute", "sum", "numbers"]

  static func chinese(_ r: inout Rng, _ n: Int) -> String {
    String((0..<n).map { _ in zh[r.below(zh.count)] })
  }

  static func english(_ r: inout Rng, _ n: Int) -> String {
    (0..<n).map { _ in en[r.below(en.count)] }.joined(separator: " ")
  }

  /// Writes `records` mixed Chinese/English Alpaca-style records (~500 bytes each).
  static func writeJSONL(path: String, records: Int) throws -> Int {
    var r = Rng(s: 42)
    let cats = ["open qa", "brainstorming", "closed\u{00A0}qa", "Rewrite", "generation", "math"]
    var out: [UInt8] = []
    out.reserveCapacity(records * 520)
    for i in 0..<records {
      let zhRecord = i % 2 == 0
      let inst = zhRecord ? chinese(&r, 12 + r.below(20)) + "？" : english(&r, 6 + r.below(12)) + "?"
      let input = r.below(3) == 0 ? "" : (zhRecord ? chinese(&r, 20 + r.below(40)) : english(&r, 10 + r.below(30)))
      let output = zhRecord
        ? chinese(&r, 40 + r.below(60)) + "\n" + chinese(&r, 10) + "“引号”"
        : english(&r, 40 + r.below(60)) + "\n\"quoted\" \\ end."
      let obj: JSONObject = ["instruction": .string(inst), "input": .string(input), "output": .string(output),
                             "category": .string(cats[r.below(cats.count)]), "id": .int(i)]
      JSONWriter.write(obj, to: &out)
      out.append(0x0A)
    }
    try Data(out).write(to: URL(fileURLWithPath: path))
    return out.count
  }

  /// `count` instructions, mostly distinct, with some near-duplicates.
  static func instructions(count: Int) -> Dataset {
    var r = Rng(s: 7)
    var objs: [JSONObject] = []
    var made: [String] = []
    for i in 0..<count {
      var text: String
      if i > 10 && r.below(10) == 0 {
        // A near duplicate of an earlier instruction: one word changed.
        var words = made[r.below(made.count)].split(separator: " ").map(String.init)
        words[r.below(words.count)] = en[r.below(en.count)]
        text = words.joined(separator: " ")
      } else {
        text = i % 2 == 0 ? chinese(&r, 10 + r.below(25)) : english(&r, 6 + r.below(14))
      }
      made.append(text)
      objs.append(["instruction": .string(text), "input": "", "output": ""])
    }
    return Dataset.from(objs)
  }

  /// Wall and CPU seconds of each run of Python loading `path` with json.loads line by line.
  static func pythonLoadSeconds(path: String, repeats: Int) throws -> [(wall: Double, cpu: Double)] {
    let script = """
      import json, sys, time
      p, reps = sys.argv[1], int(sys.argv[2])
      def run():
          out = []
          with open(p, encoding="utf-8") as f:
              for line in f:
                  if line.strip():
                      out.append(json.loads(line))
          return out
      run()
      for _ in range(reps):
          t = time.perf_counter(); c = time.process_time(); n = len(run())
          print(time.perf_counter() - t, time.process_time() - c)
      """
    let proc = Process()
    proc.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    proc.arguments = ["python3", "-c", script, path, String(max(1, repeats))]
    let pipe = Pipe()
    proc.standardOutput = pipe
    try proc.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    proc.waitUntilExit()
    guard proc.terminationStatus == 0 else { throw BenchError("python3 failed (status \(proc.terminationStatus))") }
    let times = String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { line -> (wall: Double, cpu: Double)? in
      let p = line.split(separator: " ").compactMap { Double($0) }
      return p.count == 2 ? (p[0], p[1]) : nil
    }
    guard !times.isEmpty else { throw BenchError("python3 printed no timings") }
    return times
  }

  /// CPU seconds (user + system) used by this process so far, all threads.
  static func cpuSeconds() -> Double {
    var u = rusage()
    #if os(Linux)
    getrusage(RUSAGE_SELF.rawValue, &u)
    #else
    getrusage(RUSAGE_SELF, &u)
    #endif
    return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) * 1e-6
      + Double(u.ru_stime.tv_sec) + Double(u.ru_stime.tv_usec) * 1e-6
  }

  /// Runs the self-instruct ROUGE-L filter in Python on `path` (JSON Lines
  /// with an instruction field): the same tokenizer rule, rouge-score's LCS
  /// table and F-measure, keep if F < 0.7 against every kept instruction.
  static func pythonDedup(path: String) throws -> (kept: Int, seconds: Double) {
    let script = #"""
      import json, re, sys, time, unicodedata
      CJK = "\u4e00-\u9fff\u3400-\u4dbf\u3040-\u309f\u30a0-\u30ff\uac00-\ud7af\uf900-\ufaff"
      PAT = re.compile("[" + CJK + "]|[^\W_" + CJK + "]+")
      def tokens(t): return PAT.findall(unicodedata.normalize("NFKC", t).lower())
      def lcs(a, b):
          rows, cols = len(a), len(b)
          table = [[0] * (cols + 1) for _ in range(rows + 1)]
          for i in range(1, rows + 1):
              for j in range(1, cols + 1):
                  table[i][j] = table[i-1][j-1] + 1 if a[i-1] == b[j-1] else max(table[i-1][j], table[i][j-1])
          return table[-1][-1]
      def f(a, b):
          if not a or not b: return 0.0
          l = lcs(a, b)
          if l == 0: return 0.0
          p, r = l / len(b), l / len(a)
          return 2 * p * r / (p + r)
      texts = [json.loads(l)["instruction"] for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
      t0 = time.perf_counter()
      kept = []
      for t in texts:
          tok = tokens(t)
          if all(f(tok, k) < 0.7 for k in kept): kept.append(tok)
      print(len(kept), time.perf_counter() - t0)
      """#
    let proc = Process()
    proc.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    proc.arguments = ["python3", "-c", script, path]
    let pipe = Pipe()
    proc.standardOutput = pipe
    try proc.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    proc.waitUntilExit()
    let parts = String(decoding: data, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\n" })
    guard proc.terminationStatus == 0, parts.count == 2, let kept = Int(parts[0]), let secs = Double(parts[1]) else {
      throw BenchError("python3 dedup failed (status \(proc.terminationStatus))")
    }
    return (kept, secs)
  }

  /// Loads every real data file and dedups the seed tasks.
  static func realFiles(dir: String, out: BenchOutput) throws {
    let fm = FileManager.default
    guard let subdirs = try? fm.contentsOfDirectory(atPath: dir) else {
      out.note("real data: \(dir) not found, skipped")
      return
    }
    var seeds: [Dataset] = []
    for sub in subdirs.sorted() {
      let files = (try? fm.contentsOfDirectory(atPath: dir + "/" + sub)) ?? []
      for f in files.sorted() where f.hasSuffix(".json") || f.hasSuffix(".jsonl") {
        let path = dir + "/" + sub + "/" + f
        let t0 = benchNow()
        let ds = try Dataset.load(path)
        let dt = benchNow() - t0
        out.note(ds.description)
        out.emit("dataset_real_load", [
          ("file", .string(sub + "/" + f)), ("records", .int(ds.count)),
          ("schema", .string(ds.schema?.rawValue ?? "")), ("categories", .int(ds.categories.count)),
          ("fingerprint", .string(ds.fingerprint)), ("seconds", .double(dt)),
        ])
        if ds.schema == .seedTasks { seeds.append(ds) }
      }
    }
    for ds in seeds {
      let tasks = try ds.unique(by: ["instruction"])
      let t0 = benchNow()
      let kept = try tasks.dedup(threshold: 0.7)
      let dt = benchNow() - t0
      out.emit("dataset_real_dedup", [
        ("file", .string(ds.source ?? "")), ("tasks", .int(tasks.count)), ("kept", .int(kept.count)),
        ("seconds", .double(dt)),
      ])
    }
  }
}
