// Prompt templates with `{field}` placeholders, and Stanford Alpaca's
// training prompts (PROMPT_DICT in tatsu-lab/stanford_alpaca train.py)
// built in, ending "### Response:\n" as Retort's training and `answer`
// render them (alpaca-lora's form), so a formatted prompt is exactly the one
// a model trained here saw.

/// A text template with `{name}` placeholders; `{{` and `}}` are literal braces.
public struct PromptTemplate: Sendable, Hashable {
  enum Part: Sendable, Hashable { case text(String), field(String) }
  let parts: [Part]
  /// The template text as given.
  public let source: String

  /// Parses `source`.
  ///
  /// - Throws: `invalidArgument` for an unclosed `{` or a lone `}`.
  public init(_ source: String) throws {
    self.source = source
    var parts: [Part] = []
    var text = ""
    var chars = Array(source)[...]
    while let c = chars.popFirst() {
      if c == "{" {
        if chars.first == "{" { chars.removeFirst(); text.append("{"); continue }
        guard let close = chars.firstIndex(of: "}") else {
          throw DataError.invalidArgument(operation: "format", message: "unclosed '{' in template (use '{{' for a literal brace)")
        }
        let name = String(chars[chars.startIndex..<close]).trimmingSpaces()
        guard !name.isEmpty else { throw DataError.invalidArgument(operation: "format", message: "empty '{}' in template") }
        if !text.isEmpty { parts.append(.text(text)); text = "" }
        parts.append(.field(name))
        chars = chars[(close + 1)...]
      } else if c == "}" {
        if chars.first == "}" { chars.removeFirst(); text.append("}"); continue }
        throw DataError.invalidArgument(operation: "format", message: "lone '}' in template (use '}}' for a literal brace)")
      } else {
        text.append(c)
      }
    }
    if !text.isEmpty { parts.append(.text(text)) }
    self.parts = parts
  }

  /// A built-in template (known to parse; falls back to literal text).
  init(builtIn source: String) {
    if let t = try? PromptTemplate(source) { self = t } else { self.source = source; parts = [.text(source)] }
  }

  /// Placeholder names, in order of first use.
  public var fieldNames: [String] {
    var seen = Set<String>()
    return parts.compactMap { if case .field(let n) = $0, seen.insert(n).inserted { return n } else { return nil } }
  }

  /// The template filled from `record` (missing fields throw).
  public func render(_ record: Record) throws -> String {
    var out = ""
    for p in parts {
      switch p {
      case .text(let t): out += t
      case .field(let n):
        guard let v = record[n] else {
          throw DataError.invalidArgument(operation: "format", message: "the record has no field '\(n)'; its fields are: "
                                          + record.names.joined(separator: ", "))
        }
        out += v.text
      }
    }
    return out
  }

  /// Alpaca's prompt for records with an input.
  public static let alpacaWithInput = PromptTemplate(builtIn:
    "Below is an instruction that describes a task, paired with an input that provides further context. "
      + "Write a response that appropriately completes the request.\n\n"
      + "### Instruction:\n{instruction}\n\n### Input:\n{input}\n\n### Response:\n")

  /// Alpaca's prompt for records without an input.
  public static let alpacaNoInput = PromptTemplate(builtIn:
    "Below is an instruction that describes a task. "
      + "Write a response that appropriately completes the request.\n\n"
      + "### Instruction:\n{instruction}\n\n### Response:\n")
}

extension String {
  func trimmingSpaces() -> String {
    var s = Substring(self)
    while s.first?.isWhitespace == true { s.removeFirst() }
    while s.last?.isWhitespace == true { s.removeLast() }
    return String(s)
  }
}

extension Dataset {
  /// Each record with a new field `into` holding `template` rendered from it.
  ///
  /// - Throws: `record` naming the record that lacks a placeholder's field.
  public func format(_ template: PromptTemplate, into field: String = "prompt") throws -> Dataset {
    try format(into: field) { _ in template }
  }

  /// Alpaca's prompt (the with-input template when `input` is non-empty,
  /// the no-input one otherwise) into the field `into`.
  public func formatAlpaca(into field: String = "prompt") throws -> Dataset {
    try format(into: field) { $0.input.isEmpty ? PromptTemplate.alpacaNoInput : PromptTemplate.alpacaWithInput }
  }

  /// Each record with `into` set to its template's rendering; an error names the record.
  private func format(into field: String, _ template: (Record) -> PromptTemplate) throws -> Dataset {
    var out = records
    for i in out.indices {
      do { out[i].fields[field] = .string(try template(out[i]).render(out[i])) } catch let e as DataError {
        if case .invalidArgument(_, let m) = e { throw DataError.record(operation: "format", index: i, message: m) }
        throw e
      }
    }
    return with(out)
  }
}
