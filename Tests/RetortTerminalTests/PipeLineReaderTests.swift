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

  @Test func longLineWithoutNewlineArrivesInManyChunks() throws {
    var fds: [Int32] = [0, 0]
    #expect(pipe(&fds) == 0)
    let long = String(repeating: "0123456789", count: 200_000)  // 2 MB, read in 64 KB chunks
    let writer = fds[1]
    let thread = WriterThread(long + "\nnext", to: writer)
    let reader = PipeLineReader(fileDescriptor: fds[0])
    #expect(reader.readLine(prompt: "", continuation: false) == .line(long))
    #expect(reader.readLine(prompt: "", continuation: false) == .line("next"))
    #expect(reader.readLine(prompt: "", continuation: false) == .endOfInput)
    thread.join()
    close(fds[0])
  }

  /// Writes text to a descriptor from a POSIX thread, then closes it.
  final class WriterThread {
    var handle = pthread_t()
    init(_ text: String, to fd: Int32) {
      let box = Unmanaged.passRetained(Payload(bytes: Array(text.utf8), fd: fd)).toOpaque()
      pthread_create(&handle, nil, { raw in
        let p = Unmanaged<Payload>.fromOpaque(raw!).takeRetainedValue()
        var done = 0
        while done < p.bytes.count {
          let n = p.bytes.withUnsafeBytes { write(p.fd, $0.baseAddress! + done, $0.count - done) }
          if n <= 0 { break }
          done += n
        }
        close(p.fd)
        return nil
      }, box)
    }
    func join() { pthread_join(handle, nil) }
  }

  final class Payload {
    let bytes: [UInt8]
    let fd: Int32
    init(bytes: [UInt8], fd: Int32) { self.bytes = bytes; self.fd = fd }
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
