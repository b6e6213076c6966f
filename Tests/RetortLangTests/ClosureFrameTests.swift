// A closure kept in a local holds the frame that holds it. Such frames must
// still be freed when their call returns, unless a closure that needs them
// lives on elsewhere.

import Foundation
import Testing
@testable import RetortLang

/// An object that counts how many of its kind have been freed.
private final class Probe: HostObject {
  nonisolated(unsafe) static var freed = 0
  static let type = TypeInfo("Probe", doc: "Counts its deinits.")
  var typeInfo: TypeInfo { Self.type }
  deinit { Self.freed += 1 }
}

@Suite(.serialized) struct ClosureFrameTests {
  func interpreter() -> Interpreter {
    let interp = Interpreter()
    interp.globals["probe"] = .native(NativeFunction(name: "probe", params: [], doc: "") { _ in .object(Probe()) })
    return interp
  }

  func freed(after code: String, _ interp: Interpreter) -> Int {
    let before = Probe.freed
    let out = eval(code, interp)
    #expect(!out.contains("error"), "\(out)")
    return Probe.freed - before
  }

  @Test func framesWithLocalHelpersAreFreedWhenTheirCallReturns() {
    let interp = interpreter()
    // A helper using the maker's variable, a helper using nothing of it, a recursive local helper.
    #expect(freed(after: "fn g(t) { p = probe(); keep = fn(n) { n > t }; keep(2) }\nfor i in range(10) { g(1) }", interp) == 10)
    #expect(freed(after: "fn g() { p = probe(); h = fn(n) { n }; h(2) }\nfor i in range(10) { g() }", interp) == 10)
    #expect(freed(after: "fn g() { p = probe(); fn h(n) { if n > 0 { h(n - 1) } else { 0 } }; h(3) }\nfor i in range(10) { g() }",
                  interp) == 10)
  }

  @Test func aClosureThatLivesOnKeepsItsFrame() {
    let interp = interpreter()
    // Returned, stored in a global list, or returned from a nested call: the frame stays until the closure goes.
    #expect(freed(after: "fn mk(a) { p = probe(); fn() { [a, p] } }\nf = mk(3)", interp) == 0)
    #expect(eval("f()[0]", interp) == "3\n")
    #expect(freed(after: "f = nil", interp) == 1)
    #expect(freed(after: "keep = []\nfn reg(a) { p = probe(); cb = fn() { [a + 1, p] }; keep.append(cb) }\nreg(1)", interp) == 0)
    #expect(eval("keep[0]()[0]", interp) == "2\n")
    #expect(freed(after: "keep = nil", interp) == 1)
    #expect(freed(after: "fn outer(a) { p = probe(); fn mid() { fn() { [a, p] } }; got = mid(); got }\ng = outer(5)", interp) == 0)
    #expect(eval("g()[0]", interp) == "5\n")
    #expect(freed(after: "g = nil", interp) == 1)
  }

  @Test func aLivingClosureKeepsOnlyTheVariablesItNames() {
    let interp = interpreter()
    // `big` is named by no closure: it goes when the call returns, while the closure lives on.
    #expect(freed(after: "fn mk(a) { big = probe(); fn(x) { x + a } }\nadd = mk(1)", interp) == 1)
    #expect(eval("add(2)", interp) == "3\n")
    // A closure that changes what its maker's variable holds still finds it.
    #expect(eval("fn counter() { n = [0]; fn() { n[0] += 1; n[0] } }\nc = counter()\nc(); c(); c()", interp) == "1\n2\n3\n")
  }
}
