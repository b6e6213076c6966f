// JudgePrompts: the judge prompt of each category, matched in normalised form (`CategoryName`).
// Sources: BELLE's eval_prompt.json (JSON Lines of {"class", "prompt"}), a JSON array of such
// records, a JSON object mapping category -> prompt, or records / a map built in code.
// An optional default prompt answers categories with no prompt of their own.

import Foundation

/// Judge prompts per category.
public struct JudgePrompts: Sendable, Equatable {
  /// Prompt per normalised category.
  public private(set) var prompts: [String: String]
  /// Category labels as written in the source, per normalised category.
  public private(set) var labels: [String: String]
  /// Prompt for categories not listed; nil means such categories are an error.
  public var defaultPrompt: String?

  /// Prompts from (category, prompt) records.
  /// - Throws: `JudgeError.invalidArgument` for an empty category or prompt, or two records whose
  ///   categories normalise to the same name.
  public init(records: [(category: String, prompt: String)], defaultPrompt: String? = nil) throws {
    prompts = [:]
    labels = [:]
    if let d = defaultPrompt, d.allSatisfy(\.isWhitespace) {
      throw JudgeError.invalidArgument("default_prompt: expected a prompt, got an empty one")
    }
    self.defaultPrompt = defaultPrompt
    for (i, r) in records.enumerated() {
      let n = CategoryName.normalize(r.category)
      guard !n.isEmpty else { throw JudgeError.invalidArgument("prompts: record \(i + 1) has an empty category") }
      guard !r.prompt.allSatisfy(\.isWhitespace) else {
        throw JudgeError.invalidArgument("prompts: category '\(r.category)' has an empty prompt")
      }
      if let prev = labels[n] {
        throw JudgeError.invalidArgument("prompts: categories '\(prev)' and '\(r.category)' are the same after normalisation ('\(n)')")
      }
      prompts[n] = r.prompt
      labels[n] = r.category
    }
  }

  /// Prompts from a category -> prompt map.
  public init(map: [String: String], defaultPrompt: String? = nil) throws {
    try self.init(records: map.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, defaultPrompt: defaultPrompt)
  }

  /// Loads prompts from a file: JSON Lines of {"class", "prompt"} (BELLE's eval_prompt.json),
  /// a JSON array of such records, or a JSON object mapping category to prompt.
  /// - Throws: `JudgeError.badFile` naming the line (and column) of the problem.
  public init(contentsOf path: String, defaultPrompt: String? = nil) throws {
    let data: Data
    do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
      throw JudgeError.badFile(path: path, line: nil, column: nil, message: "cannot read: \(error.localizedDescription)")
    }
    let text = String(decoding: data, as: UTF8.self)
    let trimmed = text.drop { $0.isWhitespace }
    if trimmed.first == "{" || trimmed.first == "[", let whole = try? JSONSerialization.jsonObject(with: data) {
      if let map = whole as? [String: Any] {
        if map["class"] == nil || map["prompt"] == nil {
          var m: [String: String] = [:]
          for (k, v) in map {
            guard let s = v as? String else {
              throw JudgeError.badFile(path: path, line: nil, column: nil, message: "the prompt of '\(k)' is not a string")
            }
            m[k] = s
          }
          try self.init(map: m, defaultPrompt: defaultPrompt)
          return
        }
        try self.init(records: [try Self.record(map, path: path, line: 1)], defaultPrompt: defaultPrompt)
        return
      }
      if let arr = whole as? [Any] {
        var recs: [(category: String, prompt: String)] = []
        for (i, e) in arr.enumerated() {
          guard let obj = e as? [String: Any] else {
            throw JudgeError.badFile(path: path, line: nil, column: nil, message: "element \(i) is not an object with class and prompt")
          }
          recs.append(try Self.record(obj, path: path, line: nil, element: i))
        }
        try self.init(records: recs, defaultPrompt: defaultPrompt)
        return
      }
    }
    var recs: [(category: String, prompt: String)] = []
    for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      guard !line.allSatisfy(\.isWhitespace) else { continue }
      guard let obj = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
        throw JudgeError.badFile(path: path, line: i + 1, column: 1,
                                 message: "expected a JSON object with \"class\" and \"prompt\"")
      }
      recs.append(try Self.record(obj, path: path, line: i + 1))
    }
    guard !recs.isEmpty else { throw JudgeError.badFile(path: path, line: nil, column: nil, message: "no prompts in file") }
    try self.init(records: recs, defaultPrompt: defaultPrompt)
  }

  static func record(_ obj: [String: Any], path: String, line: Int?, element: Int? = nil) throws -> (category: String, prompt: String) {
    let category = (obj["class"] ?? obj["category"]) as? String
    let prompt = obj["prompt"] as? String
    guard let category, let prompt else {
      let missing = [category == nil ? "class" : nil, prompt == nil ? "prompt" : nil].compactMap { $0 }
      let where_ = element.map { " (element \($0))" } ?? ""
      throw JudgeError.badFile(path: path, line: line, column: nil,
                               message: "missing string field\(missing.count > 1 ? "s" : "") \(missing.joined(separator: ", "))\(where_)")
    }
    return (category, prompt)
  }

  /// The prompt for a category label (normalised before lookup), or the default prompt.
  public func prompt(for category: String) -> String? {
    prompts[CategoryName.normalize(category)] ?? defaultPrompt
  }

  /// Checks that every category has a prompt.
  /// - Throws: `JudgeError.missingPrompts` listing the categories (as written) with no prompt.
  public func check(categories: [String]) throws {
    guard defaultPrompt == nil else { return }
    var missing: [String] = []
    var seen = Set<String>()
    for c in categories {
      let n = CategoryName.normalize(c)
      if prompts[n] == nil, seen.insert(n).inserted { missing.append(c) }
    }
    if !missing.isEmpty {
      throw JudgeError.missingPrompts(categories: missing, available: labels.values.sorted())
    }
  }
}
