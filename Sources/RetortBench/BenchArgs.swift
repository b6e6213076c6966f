// Options parsed from `--key value` pairs after the suite name.

/// The `--key value` options given to a suite, with typed accessors that
/// fall back to the suite's declared defaults.
public struct BenchArgs: Sendable {
  public var values: [String: String]
  /// Options given as a bare flag, with no value after them.
  var bare: Set<String> = []

  /// Parses `["--n", "1024", "--threads", "2"]`. A flag with no value
  /// (followed by another `--flag` or the end) is stored as "true".
  public init(parsing words: [String], suite: BenchSuite) throws {
    var values: [String: String] = [:]
    var bare: Set<String> = []
    for option in suite.options { values[option.name] = option.defaultValue }
    let known = Set(suite.options.map(\.name))
    var i = 0
    while i < words.count {
      let word = words[i]
      guard word.hasPrefix("--") else {
        throw BenchError("bench \(suite.name): unexpected argument '\(word)'")
      }
      var key = String(word.dropFirst(2))
      var value: String? = nil
      var isBare = false
      if let eq = key.firstIndex(of: "=") {
        value = String(key[key.index(after: eq)...])
        key = String(key[..<eq])
      }
      guard known.contains(key) else {
        let list = suite.options.map { "--\($0.name)" }.joined(separator: ", ")
        throw BenchError("bench \(suite.name): unknown option '--\(key)'; valid options: \(list.isEmpty ? "none" : list)")
      }
      if value == nil {
        if i + 1 < words.count, !words[i + 1].hasPrefix("--") {
          value = words[i + 1]
          i += 1
        } else {
          value = "true"
          isBare = true
        }
      }
      values[key] = value
      if isBare { bare.insert(key) } else { bare.remove(key) }
      i += 1
    }
    self.values = values
    self.bare = bare
  }

  public func string(_ key: String) -> String { values[key] ?? "" }

  public func int(_ key: String) throws -> Int {
    if bare.contains(key) { throw BenchError("option --\(key) needs a value (an integer) after it") }
    guard let v = values[key], let n = Int(v) else {
      throw BenchError("option --\(key) expects an integer, got '\(values[key] ?? "")'")
    }
    return n
  }

  public func double(_ key: String) throws -> Double {
    if bare.contains(key) { throw BenchError("option --\(key) needs a value (a number) after it") }
    guard let v = values[key], let n = Double(v) else {
      throw BenchError("option --\(key) expects a number, got '\(values[key] ?? "")'")
    }
    return n
  }

  public func bool(_ key: String) -> Bool { values[key] == "true" || values[key] == "1" }
}
