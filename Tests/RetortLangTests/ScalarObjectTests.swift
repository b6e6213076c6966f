// A host object that stands for one number (a one-element tensor, say) is
// that number wherever the language expects one: equality inside `in`,
// `index` and `count`, ordering, map keys, list and string indices, int and
// float arguments, abs. The language knows only the `scalar` hook.

import Testing
@testable import RetortLang

/// A host object holding one number, with no operators of its own.
private final class Boxed: HostObject {
  static let type = TypeInfo("Boxed", doc: "One number.")
  var typeInfo: TypeInfo { Self.type }
  let value: Double?
  init(_ value: Double?) { self.value = value }
  var scalar: Double? { value }
}

@Suite struct ScalarObjectTests {
  func interpreter() -> Interpreter {
    let interp = Interpreter()
    interp.globals["box"] = .native(NativeFunction(name: "box", params: [.optional("x")], doc: "") { a in
      .object(Boxed(try a.optionalDouble("x")))
    })
    return interp
  }

  @Test func aOneValueObjectIsItsNumber() {
    let out = eval("""
      p = box(1)
      print(p in [0, 1], [0, 1].index(p), [1, 1, 2].count(p), ["neg", "pos"][p], "ab"[p], p in range(3))
      print({0: "neg", 1: "pos"}.get(p, "unknown"), {p: "x"}, 1 in {p: 2})
      print(abs(box(-2.5)), min(box(3), 2.5), sorted([box(2), 1, box(0.5)])[0] == 0.5, range(box(2)))
      print([box(2)] == [box(2)], box(2) in [box(2)], box(1.5) in [1, 2])
      """, interpreter())
    #expect(out == """
      true 1 2 pos b true
      pos {1: "x"} true
      2.5 2.5 true range(0, 2)
      true true false

      """, "\(out)")
  }

  @Test func anObjectWithoutANumberIsNotOne() {
    let out = eval("""
      b = box()
      print(b in [0, 1], b == b, [b].index(b))
      """, interpreter())
    #expect(out == "false true 0\n", "\(out)")
    #expect(eval("[1, 2][box()]", interpreter()).contains("list indices must be integers, not Boxed"))
    #expect(eval("[1, 2][box(0.5)]", interpreter()).contains("list indices must be integers, not Boxed"))
    #expect(eval("abs(box())", interpreter()).contains("abs(): expects a number, got Boxed"))
    #expect(eval("{box(): 1}", interpreter()).contains("a map key must be a string, number, bool or nil, not a Boxed"))
    #expect(eval("min(box(), 1)", interpreter()).contains("cannot compare int with Boxed"))
  }
}
