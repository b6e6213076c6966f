// Thousands of generated and mutated programs through the parser and the
// evaluator: each must end in a value or a diagnostic, never a crash or a
// hang. Deterministic (seeded) so a failure reproduces.

import Testing
import RetortLang

struct SplitMix {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(1, n))) }
  mutating func pick<T>(_ xs: [T]) -> T { xs[below(xs.count)] }
}

@Suite struct FuzzTests {
  static let vocabulary = [
    "x", "y", "f", "xs", "m", "print", "len", "range", "sorted", "help", "str", "int", "fn", "if", "else", "for",
    "in", "while", "break", "continue", "return", "true", "false", "nil", "and", "or", "not", "(", ")", "[", "]",
    "{", "}", ",", ".", ":", ";", "\n", "+", "-", "*", "/", "//", "%", "**", "@", "=", "+=", "==", "!=", "<", ">=",
    "0", "1", "-1", "2.5", "1e308", "1e-320", "9223372036854775807", "\"s\"", "'q'", "f\"{x}\"", "f\"{", "\"",
    "x.append", "m.keys()", "_", "_1", "#c", "\\", "$", "中", "😀", "\u{0}",
  ]

  static let corpus = EvaluatorTests.cases.map(\.0) + [
    "fn fib(n) { if n < 2 { return n }; fib(n - 1) + fib(n - 2) }\nfib(15)",
    "xs = []; for i in range(50) { xs.append(i * i) }; xs[10:20]",
    "m = {\"a\": [1, {\"b\": 2}]}; m[\"a\"][1][\"b\"]",
    "s = \"\"; for c in \"hello\" { s = c + s }; s",
  ]

  /// Runs a program with a step budget; returns normally unless something crashed.
  static func check(_ code: String, _ interp: Interpreter) {
    var steps = 0
    interp.interruptRequested = { steps += 1; return steps > 20_000 }
    interp.output = { _ in }
    runWithLargeStack { _ = interp.run(code, name: "[fuzz]") }
  }

  @Test func randomTokens() {
    var rng = SplitMix(state: 1)
    var interp = Interpreter()
    for i in 0..<2000 {
      if i % 200 == 0 { interp = Interpreter() }
      let n = 1 + rng.below(30)
      let code = (0..<n).map { _ in rng.pick(Self.vocabulary) }.joined(separator: rng.below(3) == 0 ? "" : " ")
      Self.check(code, interp)
    }
  }

  @Test func mutatedPrograms() {
    var rng = SplitMix(state: 2)
    var interp = Interpreter()
    for i in 0..<3000 {
      if i % 200 == 0 { interp = Interpreter() }
      var chars = Array(rng.pick(Self.corpus))
      for _ in 0..<(1 + rng.below(4)) where !chars.isEmpty {
        let p = rng.below(chars.count)
        switch rng.below(5) {
        case 0: chars.remove(at: p)
        case 1: chars.insert(rng.pick(Array("(){}[]\"'.,:;+-*/=<>#\\fn0123456789 \n")), at: p)
        case 2: chars = Array(chars[..<p])  // truncation
        case 3: chars.insert(contentsOf: chars[p...].prefix(10), at: p)
        default: chars.swapAt(p, rng.below(chars.count))
        }
      }
      Self.check(String(chars), interp)
    }
  }

  @Test func extremes() {
    let interp = Interpreter()
    let programs = [
      String(repeating: "(", count: 100_000),
      String(repeating: "[", count: 50_000) + String(repeating: "]", count: 50_000),
      String(repeating: "{", count: 50_000),
      String(repeating: "-", count: 100_000) + "1",
      String(repeating: "not ", count: 50_000) + "1",
      "x = " + String(repeating: "1 + ", count: 20_000) + "1",
      "f" + String(repeating: "()", count: 10_000),
      String(repeating: "if true { ", count: 1_000) + String(repeating: "}", count: 1_000),
      String(repeating: "9", count: 100_000),
      "1" + String(repeating: "0", count: 400) + ".0",
      "\"" + String(repeating: "a", count: 1_000_000) + "\"",
      "x = []; for i in range(300) { x = [x] }; x",
      "m = {}; m[\"self\"] = m; m == m",
      "xs = [1]; xs.append(xs); xs",
      "[1] * 100000000",
      "\"a\" * 9223372036854775807",
      "range(9223372036854775807)[5]",
      "list(range(-9223372036854775807, 9223372036854775807))",
      "f\"{" + String(repeating: "(", count: 1000) + "\"",
      "\u{FEFF}x = 1",
      String(decoding: [0xFF, 0xFE, 0x80, 0x41, 0xC3], as: UTF8.self),
      "-9223372036854775807 - 1; abs(-9223372036854775807 - 1)",
      "(-9223372036854775807 - 1) // -1",
      "\"%d %d\" % [1]",
      "\"\\u{110000}\"",
      "x = 1; x[0] = 2",
      "fn f(a, a) { }",
      "for i in range(10) { fn g() { break } }",
    ]
    for p in programs { Self.check(p, interp) }
  }
}
