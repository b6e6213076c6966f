import Glibc
import Testing
@testable import RetortTerminal

@Suite struct PipeLineReaderTests {
  func readAll(_ reader: LineReader) -> [LineInput] {
    var out: [LineInput] = []
    while true {
      let r = reader.readLine(prompt: "[1]> ", continuation: false)
      out.append(r)
      if r == .endOfInput || out.count > 100_000 { return out }
    }
  }

  @Test func readsLinesFromAPipe() throws {
    var fds: [Int32] = [0, 0]
    #expect(pipe(&fds) == 0)
    let text = "x = 2\r\nx * 21\n\nlast without newline"
    _ = text.withCString { write(fds[1], $0, strlen($0)) }
    close(fds[1])
    let reader = PipeLineReader(fileDescriptor: fds[0])
    #expect(readAll(reader) == [.line("x = 2"), .line("x * 21"), .line(""), .line("last without newline"), .endOfInput])
    #expect(reader.lineNumber == 4)
    #expect(reader.readLine(prompt: "", continuation: true) == .endOfInput)
    close(fds[0])
  }

  @Test func largeInputAcrossManyReads() {
    let lines = (0..<20_000).map { "line \($0) " + String(repeating: "é", count: $0 % 7) }
    let reader = PipeLineReader(bytes: Array((lines.joined(separator: "\n") + "\n").utf8))
    let got = readAll(reader)
    #expect(got.count == lines.count + 1)
    let firstDifference = lines.indices.first { $0 >= got.count || got[$0] != LineInput.line(lines[$0]) }
    #expect(firstDifference == nil)
    #expect(got.last == .endOfInput)
  }

  @Test func replacesInvalidUTF8() {
    let bytes: [UInt8] = Array("ok\n".utf8) + [0x61, 0xFF, 0xFE, 0x62, 0x0A] + [0xE2, 0x82]
    let reader = PipeLineReader(bytes: bytes)
    #expect(readAll(reader) == [.line("ok"), .line("a\u{FFFD}\u{FFFD}b"), .line("\u{FFFD}"), .endOfInput])
    #expect(reader.invalidUTF8Lines == 2)
  }

  @Test func fixedLinesAndEmptyInput() {
    #expect(readAll(PipeLineReader(lines: ["a", "b"])) == [.line("a"), .line("b"), .endOfInput])
    #expect(readAll(PipeLineReader(bytes: [])) == [.endOfInput])
    #expect(readAll(PipeLineReader(fileDescriptor: -1)) == [.endOfInput])
  }
}
