// Tab completion from the registration tables and the live globals:
// variable names, builtins and namespaces; members after a dot (of a name
// chain, a literal, or a chain indexed by a literal; never after a call,
// which completion would have to run); keyword argument names inside a call;
// file paths inside a string literal.

import Foundation
import RetortFiles

/// Candidates to replace the text from `start` (a character offset) to the cursor.
public struct Completion: Equatable {
  public let start: Int
  public let candidates: [String]
  public init(start: Int, candidates: [String]) {
    self.start = start
    self.candidates = candidates
  }
}

extension Interpreter {
  /// Completions for `line` with the cursor at character offset `cursor`.
  public func complete(line: String, cursor: Int) -> Completion {
    let chars = Array(line.prefix(max(0, cursor)))
    // Inside a string literal: complete a file path.
    if let quoteAt = openStringStart(chars) {
      let partial = String(chars[(quoteAt + 1)...])
      return completePath(partial, offset: quoteAt + 1)
    }
    var start = chars.count
    while start > 0, isWordChar(chars[start - 1]) { start -= 1 }
    let prefix = String(chars[start...])
    if start > 0, chars[start - 1] == "." {
      guard let value = receiver(Array(chars[..<(start - 1)])) else { return Completion(start: start, candidates: []) }
      let names = memberNames(of: value).filter { $0.hasPrefix(prefix) }
      return Completion(start: start, candidates: Array(Set(names)).sorted())
    }
    var names = globals.definedNames.filter { !$0.hasPrefix("_") || prefix.hasPrefix("_") }
    names = (names + languageKeywords).filter { $0.hasPrefix(prefix) }.sorted()
    // Inside a call, its keyword names come first.
    if let callee = enclosingCallee(Array(chars[..<start])) {
      names = keywordNames(of: callee).map { $0 + "=" }.filter { $0.hasPrefix(prefix) } + names
    }
    var seen = Set<String>()
    return Completion(start: start, candidates: names.filter { seen.insert($0).inserted })
  }

  func isWordChar(_ c: Character) -> Bool { c == "_" || (c.isASCII && (c.isLetter || c.isNumber)) }

  /// The index of the quote that opens an unterminated string, if any.
  func openStringStart(_ chars: [Character]) -> Int? {
    var quote: Character? = nil
    var at = 0
    var i = 0
    while i < chars.count {
      let c = chars[i]
      if let q = quote {
        if c == "\\" { i += 2; continue }
        if c == q { quote = nil }
      } else if c == "#" {
        return nil
      } else if c == "\"" || c == "'" {
        quote = c
        at = i
      }
      i += 1
    }
    return quote == nil ? nil : at
  }

  func completePath(_ partial: String, offset: Int) -> Completion {
    Completion(start: offset, candidates: PathCompletion.candidates(for: partial))
  }

  /// The value before a member dot, found without running anything with effects: a name
  /// chain (`ds.tokenizer`), a string, list or map literal (`"abc".`, `[1, 2].`), or a
  /// chain subscripted by a literal (`ds[0].`, `row["meta"].`). Calls are never made.
  func receiver(_ chars: [Character]) -> Value? {
    guard let last = chars.last else { return nil }
    if last == "\"" || last == "'" { return .string("") }
    if last == "]" || last == "}" {
      var depth = 0, i = chars.count - 1
      while i >= 0 {
        if chars[i] == "]" || chars[i] == "}" || chars[i] == ")" { depth += 1 }
        if chars[i] == "[" || chars[i] == "{" || chars[i] == "(" { depth -= 1; if depth == 0 { break } }
        i -= 1
      }
      guard i >= 0 else { return nil }
      if last == "}" { return chars[i] == "{" ? .map(MapBox()) : nil }
      let inside = String(chars[(i + 1)..<(chars.count - 1)]).trimmingCharacters(in: .whitespaces)
      // A string literal indexed or sliced ("abc"[0].) is a string.
      if i > 0, chars[i - 1] == "\"" || chars[i - 1] == "'" { return .string("") }
      // A map literal or a call indexed: its value is not known without running it.
      if i > 0, chars[i - 1] == "}" || chars[i - 1] == ")" { return nil }
      // A list literal: nothing names the value it is indexed from.
      guard i > 0, isWordChar(chars[i - 1]) || chars[i - 1] == "]" else { return .list(ListBox([])) }
      guard let container = receiver(Array(chars[..<i])) else { return nil }
      let index: Value
      if let n = Int(inside) { index = .int(n) }
      else if inside.count >= 2, let q = inside.first, q == "\"" || q == "'", inside.last == q, !inside.dropFirst().dropLast().contains(q) {
        index = .string(String(inside.dropFirst().dropLast()))
      } else { return nil }
      return try? getIndex(container, [.value(index)])
    }
    var chainStart = chars.count
    while chainStart > 0, isWordChar(chars[chainStart - 1]) || chars[chainStart - 1] == "." { chainStart -= 1 }
    let names = String(chars[chainStart...]).split(separator: ".").map(String.init)
    // `ds[0].meta`: the names follow a subscript's value.
    if chainStart > 0, chainStart < chars.count, chars[chainStart] == ".", let base = receiver(Array(chars[..<chainStart])) {
      return follow(base, names)
    }
    return resolveChain(names)
  }

  /// Follows `a.b.c` through globals and properties (never calls methods).
  func resolveChain(_ chain: [String]) -> Value? {
    guard let first = chain.first, let v = globals[first] else { return nil }
    return follow(v, Array(chain.dropFirst()))
  }

  /// `v.a.b` through properties and record fields (never calls methods).
  func follow(_ start: Value, _ names: [String]) -> Value? {
    var v = start
    for name in names {
      guard case .object(let o) = v, let p = o.typeInfo.property(named: name), let next = try? p.get(o) else {
        if case .object(let o) = v, let d = try? o.dynamicAttribute(name) { v = d; continue }
        return nil
      }
      v = next
    }
    return v
  }

  /// The callee text before the innermost unclosed `(`, resolved to a value.
  func enclosingCallee(_ chars: [Character]) -> Value? {
    var depth = 0
    var i = chars.count - 1
    while i >= 0 {
      let c = chars[i]
      if c == ")" || c == "]" || c == "}" { depth += 1 }
      if c == "(" || c == "[" || c == "{" {
        if depth == 0 {
          guard c == "(" else { return nil }
          var s = i
          while s > 0, isWordChar(chars[s - 1]) || chars[s - 1] == "." { s -= 1 }
          let chain = String(chars[s..<i]).split(separator: ".").map(String.init)
          guard chain.count >= 1 else { return nil }
          if chain.count == 1 { return globals[chain[0]] }
          guard let base = resolveChain(Array(chain.dropLast())), let name = chain.last else { return nil }
          return try? attribute(base, name, Span(Source(name: "", text: ""), 0, 0))
        }
        depth -= 1
      }
      i -= 1
    }
    return nil
  }

  func keywordNames(of callee: Value) -> [String] {
    switch callee {
    case .native(let f): return f.params.filter { $0.kind == .required || $0.kind == .optional }.map(\.name)
    case .function(let c): return c.paramNames
    case .object(let o): return o.callParameters?.map(\.name) ?? []
    default: return []
    }
  }
}
