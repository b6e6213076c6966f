import Testing
import RetortLang

@Suite struct CellValueNamesTests {
  @Test func findsTheCellValuesCodeReads() {
    #expect(CellValueNames.uses(in: "_2 * 2") == .init(numbered: ["_2"], last: false))
    #expect(CellValueNames.uses(in: "x = _ + _3 + _3\ny = [_10]") == .init(numbered: ["_3", "_10"], last: true))
    #expect(CellValueNames.uses(in: "print(f\"{_4:>{_5}} {x:_} {{_6}} {'_7'}\")") == .init(numbered: ["_4", "_5"], last: false))
  }

  @Test func bindingsAttributesAndTextAreNoReads() {
    for code in ["for _ in range(3) { print(1) }", "for _ in [1] { print(_) }", "_ = 2\nprint(_)", "for i, _ in enumerate(xs) { }", "_ = 5", "x._1", "\"_2\"",
                 "# _3", "_a + a_1 + __2", "1_000", "f\"{n:_}\"", "\"unterminated _2"] {
      #expect(CellValueNames.uses(in: code) == .init(), "\(code)")
    }
  }
}
