// A decoding failure in words a user can act on ("at config.dim: expected a
// number, found a string") instead of Swift's DecodingError dump.

import Foundation

extension DecodingError {
  /// Where the JSON went wrong and what was expected there.
  public var plainDescription: String {
    func at(_ path: [any CodingKey]) -> String {
      let parts = path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
      return parts.isEmpty ? "" : "at \(parts.hasPrefix(".") ? String(parts.dropFirst()) : parts): "
    }
    switch self {
    case .typeMismatch(let type, let c):
      return at(c.codingPath) + "expected \(Self.name(type))"
    case .valueNotFound(let type, let c):
      return at(c.codingPath) + "expected \(Self.name(type)), found null"
    case .keyNotFound(let key, let c):
      return at(c.codingPath) + "missing field \"\(key.stringValue)\""
    case .dataCorrupted(let c):
      if c.codingPath.isEmpty { return "not valid JSON" }
      return at(c.codingPath) + "invalid value"
    @unknown default:
      return "not in the expected shape"
    }
  }

  static func name(_ type: Any.Type) -> String {
    switch type {
    case is String.Type: return "a string"
    case is Bool.Type: return "true or false"
    case is Int.Type, is Int32.Type, is Int64.Type, is UInt32.Type: return "an integer"
    case is Double.Type, is Float.Type: return "a number"
    default:
      let n = "\(type)"
      if n.hasPrefix("Array") { return "a list" }
      if n.hasPrefix("Dictionary") { return "an object" }
      return "a \(n)"
    }
  }
}
