import Testing
import RetortLab
import RetortLang

@Suite struct LabTests {
  @Test func helpListsBuiltins() {
    let r = LabHarness.run("help()")
    #expect(r.error == nil)
    #expect(r.output.contains("len(x)"))
    #expect(r.output.contains("print(*values"))
  }

  @Test func valuesDisplay() {
    let r = LabHarness.run("x = 2\nx * 21")
    #expect(r.output == "42\n")
  }
}
