// Answering a list of prompts with a resumable cache file: each answer is
// appended (one JSON line) as soon as it is produced, so an interrupted run
// resumes where it stopped and loses nothing.

import Foundation

/// One answered prompt.
public struct AnswerRecord: Codable, Sendable, Equatable {
  public var index: Int
  public var prompt: String
  public var answer: String
  public var promptTokens: Int
  public var completionTokens: Int
  public var seconds: Double
  public var finishReason: FinishReason

  /// The cache file's keys: snake_case, as `m.answer` names them in the language.
  enum CodingKeys: String, CodingKey {
    case index, prompt, answer, seconds
    case promptTokens = "prompt_tokens", completionTokens = "completion_tokens", finishReason = "finish_reason"
  }
}

/// Progress of a batch: answers done of total, speed, time left.
public struct BatchProgress: Sendable {
  public var done: Int
  public var total: Int
  /// Generated tokens per second over this run.
  public var tokensPerSecond: Double
  /// Estimated seconds left.
  public var etaSeconds: Double
}

extension LlamaModel {
  /// Answers every prompt under `template`. With `cacheFile`, answers are
  /// appended to it as JSON lines; with `resume`, answers already in it (same
  /// model fingerprint, same prompt at the same index) are reused. A cache made
  /// with other settings (template, max tokens, stop strings, repeat penalty, and
  /// the sampling settings when temperature > 0) is refused, naming what differs. Returns one
  /// record per prompt; prompts not reached before cancellation are nil.
  public func answer(_ prompts: [String], template: ChatTemplate, options: GenerationOptions = GenerationOptions(),
                     cacheFile: String? = nil, resume: Bool = true,
                     progress: ((BatchProgress) -> Void)? = nil,
                     isCancelled: () -> Bool = { false }) throws -> [AnswerRecord?] {
    var results = [AnswerRecord?](repeating: nil, count: prompts.count)
    let fingerprint = self.fingerprint
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    var handle: FileHandle? = nil
    let settings = Self.cacheSettings(template: template, options: options)
    if let cacheFile {
      let fm = FileManager.default
      var isDir: ObjCBool = false
      if fm.fileExists(atPath: cacheFile, isDirectory: &isDir), isDir.boolValue {
        throw ModelError("answer: cache \(cacheFile) is a directory; give a file path such as \"answers.jsonl\"")
      }
      if resume, fm.fileExists(atPath: cacheFile) {
        let text: String
        do {
          text = try String(contentsOfFile: cacheFile, encoding: .utf8)
        } catch {
          throw ModelError("answer: cannot read the cache \(cacheFile) (expected a UTF-8 JSON Lines file written by answer)")
        }
        var lineNo = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
          lineNo += 1
          guard let data = line.data(using: .utf8) else { continue }
          if lineNo == 1 {
            let header = try? JSONDecoder().decode([String: String].self, from: data)
            guard let fp = header?["model_fingerprint"] else {
              throw ModelError("\(cacheFile):1: not an answer cache file (expected a header line with model_fingerprint)")
            }
            guard fp == fingerprint else {
              throw ModelError("\(cacheFile): answers were made with model \(fp), not \(fingerprint); delete the file or pass resume=false")
            }
            let changed = settings.keys.sorted().compactMap { key -> String? in
              guard let was = header?[key], let now = settings[key], was != now else { return nil }
              return "\(key) \(was) (now \(now))"
            }
            guard changed.isEmpty else {
              throw ModelError("\(cacheFile): answers were made with other settings: \(changed.joined(separator: ", ")); use another cache file, delete it, or pass resume=false")
            }
            continue
          }
          // A torn last line (interrupted write) is skipped, not an error.
          guard let r = try? JSONDecoder().decode(AnswerRecord.self, from: data) else { continue }
          if r.index >= 0, r.index < prompts.count, prompts[r.index] == r.prompt { results[r.index] = r }
        }
      } else {
        let header = try encoder.encode(settings.merging(["model_fingerprint": fingerprint, "model": (file.path as NSString).lastPathComponent]) { a, _ in a })
        let dir = (cacheFile as NSString).deletingLastPathComponent
        if !dir.isEmpty { try? fm.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        guard fm.createFile(atPath: cacheFile, contents: header + Data("\n".utf8)) else {
          throw ModelError("cannot create answer cache file \(cacheFile)")
        }
      }
      handle = FileHandle(forWritingAtPath: cacheFile)
      guard handle != nil else { throw ModelError("cannot open answer cache file \(cacheFile) for writing") }
      handle?.seekToEndOfFile()
    }
    defer { try? handle?.close() }

    var opts = options
    opts.stop += template.stopStrings.filter { !opts.stop.contains($0) }
    let todo = prompts.indices.filter { results[$0] == nil }
    let start = Date()
    var generated = 0
    let total = prompts.count
    var done = total - todo.count
    progress?(BatchProgress(done: done, total: total, tokensPerSecond: 0, etaSeconds: .nan))
    for i in todo {
      if isCancelled() { break }
      let text = template.render([ChatMessage(role: "user", content: prompts[i])])
      let r = try generate(text, options: opts, isCancelled: isCancelled)
      if r.finishReason == .cancelled { break }
      let rec = AnswerRecord(index: i, prompt: prompts[i], answer: r.text.trimmingCharacters(in: .whitespacesAndNewlines),
                             promptTokens: r.promptTokens, completionTokens: r.tokens.count,
                             seconds: r.promptSeconds + r.generateSeconds, finishReason: r.finishReason)
      results[i] = rec
      if let handle {
        var line = try encoder.encode(rec)
        line.append(0x0A)
        handle.write(line)
      }
      generated += r.tokens.count
      done += 1
      let elapsed = Date().timeIntervalSince(start)
      let perAnswer = elapsed / Double(done - (total - todo.count))
      progress?(BatchProgress(done: done, total: total, tokensPerSecond: elapsed > 0 ? Double(generated) / elapsed : 0,
                              etaSeconds: perAnswer * Double(total - done)))
    }
    return results
  }

  /// What a cached answer depends on besides the model and the prompt, as the
  /// cache header records it (a JSON string can hold any of the values).
  static func cacheSettings(template: ChatTemplate, options: GenerationOptions) -> [String: String] {
    func text(_ value: some Encodable) -> String {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
      return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "?"
    }
    let s = options.sampling
    var result = [
      "template": text(template.render([ChatMessage(role: "user", content: "{prompt}")])),
      "max_tokens": String(options.maxTokens),
      "stop": text(options.stop),
      "stop_at_eos": String(options.stopAtEndOfSequence),
      "temperature": String(s.temperature),
      "repeat_penalty": String(s.repeatPenalty),
      "repeat_last_n": String(s.repeatLastN),
    ]
    if s.temperature > 0 {
      result["seed"] = String(s.seed)
      result["top_k"] = String(s.topK)
      result["top_p"] = String(s.topP)
      result["min_p"] = String(s.minP)
    }
    return result
  }
}
