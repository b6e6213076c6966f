// How benchmark records are printed: aligned text for people, or one JSON
// object per line (`--json`) with a `bench` field naming the measurement.

import RetortFiles

/// A value in a benchmark record.
public enum BenchValue: Sendable {
  case int(Int)
  case double(Double)
  case string(String)

  var json: String {
    switch self {
    case .int(let v): return String(v)
    case .double(let v): return v.isFinite ? String(v) : "null"
    case .string(let s): return jsonQuote(s)
    }
  }

  var text: String {
    switch self {
    case .int(let v): return String(v)
    case .double(let v):
      let a = abs(v)
      if a >= 100 { return String(Int(v.rounded())) }
      let digits = a >= 10 ? 1 : (a >= 1 ? 2 : 3)
      return formatFixed(v, digits: digits)
    case .string(let s): return s
    }
  }
}

/// Prints records as they are produced.
public final class BenchOutput: @unchecked Sendable {
  public let json: Bool
  private let write: (String) -> Void

  public init(json: Bool, write: @escaping (String) -> Void = { print($0) }) {
    self.json = json
    self.write = write
  }

  /// Emits one record; `bench` names the measurement (e.g. "gemm").
  public func emit(_ bench: String, _ fields: [(String, BenchValue)]) {
    if json {
      let body = ([("bench", BenchValue.string(bench))] + fields)
        .map { "\(jsonQuote($0.0)): \($0.1.json)" }.joined(separator: ", ")
      write("{\(body)}")
    } else {
      let body = fields.map { "\($0.0)=\($0.1.text)" }.joined(separator: "  ")
      write("\(bench)  \(body)")
    }
  }

  /// A human-readable note (suppressed in JSON mode so stdout stays JSON).
  public func note(_ text: String) {
    if !json { write(text) }
  }
}

func jsonQuote(_ s: String) -> String { s.jsonQuoted }

func formatFixed(_ v: Double, digits: Int) -> String {
  var scale = 1.0
  for _ in 0..<digits { scale *= 10 }
  let r = (v * scale).rounded() / scale
  var s = String(r)
  if let dot = s.firstIndex(of: ".") {
    let decimals = s.distance(from: dot, to: s.endIndex) - 1
    if decimals < digits { s += String(repeating: "0", count: digits - decimals) }
  }
  return s
}
