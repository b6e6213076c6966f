import Foundation
import Testing
@testable import RetortLang

/// Script files: CRLF line ends and bytes that are not UTF-8 (audit G finding 13).
@Suite struct ScriptTextTests {
  @Test func aCRLFLineEndIsNotCountedInTheColumn() {
    let interp = Interpreter()
    interp.output = { _ in }
    var crlf: CellResult? = nil, lf: CellResult? = nil
    runWithLargeStack {
      crlf = interp.run("x = 1\r\ny = x +\r\n", name: "e.retort")
      lf = interp.run("x = 1\ny = x +\n", name: "e.retort")
    }
    let shown = crlf?.error?.rendered() ?? ""
    #expect(shown.contains("--> e.retort:2:8\n"), "\(shown)")
    #expect(shown == lf?.error?.rendered())
    // A CR inside a line is still a character of it.
    #expect(Source(name: "s", text: "a\rb\n").location(of: 2) == (1, 3))
    #expect(Source(name: "s", text: "ab\r").location(of: 3) == (1, 3))
  }

  @Test func invalidUTF8IsASyntaxErrorAtItsFirstByte() throws {
    let bytes = Array("x = 1\nyé = ".utf8) + [0xFF, 0xFE] + Array(" 2\n".utf8)
    #expect(ScriptText.firstInvalidUTF8(bytes) == 12)
    do {
      _ = try ScriptText.decode(bytes, name: "bad.retort")
      Issue.record("decoded invalid UTF-8")
    } catch let e as RetortError {
      #expect(e.rendered() == """
        error: invalid UTF-8 (byte 0xFF); a script is UTF-8 text
         --> bad.retort:2:6
          |
        2 | yé = \u{FFFD}\u{FFFD} 2
          |      ^
        """)
    }
    // A sequence cut short at the end of the file, and a valid file.
    #expect(ScriptText.firstInvalidUTF8(Array("ok ".utf8) + [0xE4, 0xB8]) == 3)
    #expect(try ScriptText.decode(Array("漢 = 1\n".utf8), name: "ok") == "漢 = 1\n")
    // A byte order mark is dropped, as before, and not counted in columns.
    #expect(try ScriptText.decode([0xEF, 0xBB, 0xBF] + Array("x\n".utf8), name: "bom") == "x\n")
    #expect(throws: RetortError.self) { try ScriptText.decode([0xEF, 0xBB, 0xBF, 0x80], name: "bom") }
  }

  @Test func readTextNamesTheFileLineColumnAndByte() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("read-text-\(UInt32.random(in: 0...UInt32.max)).txt").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    FileManager.default.createFile(atPath: path, contents: Data(Array("x = 1\nyé = ".utf8) + [0xFF] + Array("\n".utf8)))
    #expect(throws: (any Error).self) { try Builtins.readText(path) }
    do { _ = try Builtins.readText(path) } catch {
      #expect("\(error)".contains("'\(path)' is not valid UTF-8 text (line 2, column 6: byte 0xFF)"), "\(error)")
    }
  }
}
