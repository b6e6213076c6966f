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
      ("dedup", "10000", "instructions to deduplicate (0 to skip)"),
      ("threads", "0", "dedup threads (0 = all cores)"),
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

      var loaded = 0
      let ours = try benchTimes(repeats: repeats) { loaded = try Dataset.load(path).count }
      let py = try DatasetBenchData.pythonLoadSeconds(path: path, repeats: repeats)
      let t = median(ours)
      let tp = median(py)
      out.emit("dataset_load", [
        ("records", .int(loaded)), ("mb", .double(Double(bytes) / 1e6)),
        ("seconds", .double(t)), ("records_per_s", .double(Double(loaded) / t)),
        ("mb_per_s", .double(Double(bytes) / 1e6 / t)),
        ("python_seconds", .double(tp)), ("python_records_per_s", .double(Double(loaded) / tp)),
        ("ratio", .double(tp / t)), ("peak_rss_mb", .double(peakResidentMB())),
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

  /// Median seconds of Python loading `path` with json.loads line by line.
  static func pythonLoadSeconds(path: String, repeats: Int) throws -> [Double] {
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
          t = time.perf_counter(); n = len(run()); print(time.perf_counter() - t)
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
    let times = String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { Double($0) }
    guard !times.isEmpty else { throw BenchError("python3 printed no timings") }
    return times
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
      let tasks = ds.unique(by: ["instruction"])
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
