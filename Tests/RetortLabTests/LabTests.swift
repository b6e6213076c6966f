import Testing
import RetortLab
import RetortLang

@Suite struct LabTests {
  @Test func helpListsBuiltins() {
    let r = LabHarness.run("help()")
    #expect(r.error == nil)
    #expect(r.output.contains("len(x)"))
    #expect(r.output.contains("print(*values"))
    // `help` alone says how to ask; other functions show their signature.
    #expect(LabHarness.run("help").output.hasPrefix("Type help() for the overview"))
    #expect(LabHarness.run("len").output == "<function len(x)>\n")
  }

  @Test func valuesDisplay() {
    let r = LabHarness.run("x = 2\nx * 21")
    #expect(r.output == "42\n")
  }
}
