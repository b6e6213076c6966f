import Glibc
import Testing
@testable import RetortTerminal

@Suite struct CompletionTests {
  @Test func candidatesArePrefixedToReadlinesStart() {
    let line = Array("print(ds.sa".utf8)
    let r = ReadlineState.prefixed(["sample", "save"], line: line, replaceFrom: 9, start: 0, cursor: 11)
    #expect(r.prefixed == ["print(ds.sample", "print(ds.save"])
    #expect(r.prefixBytes == 9)
  }

  @Test func callbackStartLeftOfReadlinesKeepsOnlyFittingCandidates() {
    let line = Array("x = \"my fi".utf8)
    let r = ReadlineState.prefixed(["my file.txt", "other"], line: line, replaceFrom: 5, start: 8, cursor: 10)
    #expect(r.prefixed == ["file.txt"])
    #expect(r.prefixBytes == 0)
  }

  @Test func outOfRangeOffsetsAreClamped() {
    let line = Array("ab".utf8)
    #expect(ReadlineState.prefixed(["x"], line: line, replaceFrom: 99, start: 0, cursor: 2).prefixed == ["abx"])
    #expect(ReadlineState.prefixed(["x"], line: line, replaceFrom: -5, start: 0, cursor: 2).prefixed == ["x"])
  }
}
