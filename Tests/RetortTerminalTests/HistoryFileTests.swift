import Glibc
import Testing
@testable import RetortTerminal

@Suite struct HistoryFileTests {
  func tempPath() -> String {
    var template = Array("/tmp/retort-history-XXXXXX".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    close(fd)
    return String(cString: template)
  }

  func fileLines(_ path: String) -> [String] {
    guard let f = fopen(path, "rb") else { return [] }
    defer { fclose(f) }
    var text = ""
    var buf = [CChar](repeating: 0, count: 4096)
    while fgets(&buf, Int32(buf.count), f) != nil { text += String(cString: buf) }
    return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
  }

  @Test func dedupRule() {
    #expect(HistoryFile.shouldAdd("x", after: nil))
    #expect(!HistoryFile.shouldAdd("x", after: "x"))
    #expect(HistoryFile.shouldAdd("x ", after: "x"))
    #expect(!HistoryFile.shouldAdd("   ", after: "x"))
    #expect(!HistoryFile.shouldAdd("", after: nil))
  }

  @Test func appendsWithoutConsecutiveDuplicates() {
    let path = tempPath()
    defer { unlink(path) }
    let h = HistoryFile(path: path)
    h.load()
    for line in ["a", "a", "b", "", "a", "a"] { h.add(line) }
    #expect(h.entries == ["a", "b", "a"])
    #expect(fileLines(path) == ["a", "b", "a"])
    #expect(h.lastError == nil)
    let again = HistoryFile(path: path)
    #expect(again.load() == ["a", "b", "a"])
    #expect(!again.add("a"))
  }

  @Test func multiLineEntriesComeBackWithTheirNewlines() {
    let path = tempPath()
    defer { unlink(path) }
    let cell = "for i in range(2) {\n  print(i)\n}"
    let h = HistoryFile(path: path)
    h.load()
    h.add(cell)
    h.add("x = 1")
    #expect(fileLines(path).count == 2)
    #expect(HistoryFile(path: path).load() == [cell, "x = 1"])
  }

  @Test func loadCompactsToTheLimit() {
    let path = tempPath()
    defer { unlink(path) }
    let writer = HistoryFile(path: path, limit: 1000)
    for i in 0..<10 { writer.add("l\(i)"); writer.add("l\(i)") }
    let capped = HistoryFile(path: path, limit: 4)
    #expect(capped.load() == ["l6", "l7", "l8", "l9"])
    #expect(fileLines(path) == ["l6", "l7", "l8", "l9"])
    capped.add("new")
    #expect(capped.entries == ["l7", "l8", "l9", "new"])
  }

  @Test func unwritableHistoryIsNotFatal() {
    let h = HistoryFile(path: "/nonexistent-dir/retort_history")
    #expect(h.load().isEmpty)
    #expect(h.add("x"))
    #expect(h.lastError?.contains("/nonexistent-dir/retort_history") == true)
  }

  @Test func defaultPathIsInHome() {
    #expect(HistoryFile.defaultPath().hasSuffix(".retort_history"))
  }
}
