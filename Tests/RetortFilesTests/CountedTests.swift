import Testing
import RetortFiles

@Suite struct CountedTests {
  @Test func oneIsSingularEverythingElsePlural() {
    #expect(counted(1, "token") == "1 token")
    #expect(counted(0, "token") == "0 tokens")
    #expect(counted(2, "entry", plural: "entries") == "2 entries")
    #expect(counted(-1, "step") == "-1 steps")
  }
}
