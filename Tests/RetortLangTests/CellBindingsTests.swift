import Testing
import RetortLang

@Suite struct CellBindingsTests {
  @Test func bindsAndReads() {
    let n = CellBindings.names(in: "x = f(a, key=b)\nfn g(p) { p }\nfor i in xs { total += i }\nds.count")
    #expect(n.binds == ["x", "g", "i", "total"])
    #expect(n.reads == ["f", "a", "b", "p", "xs", "total", "i", "ds"])
    let none = CellBindings.names(in: "\"unclosed")
    #expect(none.binds.isEmpty && none.reads.isEmpty)
  }
}
