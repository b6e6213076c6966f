// Path completion inside string literals, and `~` in file arguments.

import Foundation
import Testing
@testable import RetortFiles

@Suite struct PathCompletionTests {
  @Test func pathCandidates() throws {
    var template = Array("/tmp/retort-paths-XXXXXX".utf8CString)
    let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
    let dir = String(cString: try #require(made))
    defer { _ = system("rm -rf '\(dir)'") }
    mkdir(dir + "/data", 0o755)
    mkdir(dir + "/data/tsub", 0o755)
    for f in ["data/train.jsonl", "data/test.jsonl", "data/.hidden", "notes.txt"] {
      fclose(fopen(dir + "/" + f, "w"))
    }
    #expect(PathCompletion.candidates(for: "data/t", currentDirectory: dir)
            == ["data/test.jsonl", "data/train.jsonl", "data/tsub/"])
    #expect(PathCompletion.candidates(for: "data/.", currentDirectory: dir) == ["data/.hidden"])
    #expect(PathCompletion.candidates(for: "", currentDirectory: dir) == ["data/", "notes.txt"])
    #expect(PathCompletion.candidates(for: dir + "/no", currentDirectory: nil) == [dir + "/notes.txt"])
    #expect(PathCompletion.candidates(for: "missing/x", currentDirectory: dir).isEmpty)
  }

  @Test func homePaths() throws {
    let home = try #require(ProcessInfo.processInfo.environment["HOME"])
    #expect(expandHome("~") == home)
    #expect(expandHome("~/a/b.jsonl") == home + "/a/b.jsonl")
    #expect(expandHome("~other/x") == "~other/x" && expandHome("a/~/b") == "a/~/b")
    // "~/" lists the home directory (not the root), each candidate still written with "~/".
    let names = try FileManager.default.contentsOfDirectory(atPath: home).filter { !$0.hasPrefix(".") }
    let got = PathCompletion.candidates(for: "~/")
    #expect(got.count == names.count && got.allSatisfy { $0.hasPrefix("~/") })
    #expect(Set(got.map { String($0.dropFirst(2)).trimmingCharacters(in: CharacterSet(charactersIn: "/")) }) == Set(names))
  }
}
