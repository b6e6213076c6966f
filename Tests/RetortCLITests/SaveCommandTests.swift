// `:save PATH` and `:save! PATH` in the REPL (driven through a pipe).

import Foundation
import Testing

@Suite struct SaveCommandTests {
  @Test func saveNeverReplacesTheSessionLogAndRecordingGoesOn() throws {
    // Audit G finding 2: `:save` over the live log renamed a file over it, and every later cell was lost.
    let dir = try tempDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    let log = dir.appendingPathComponent("s.retort").path
    for command in [":save", ":save!"] {
      let path = log + "-\(command.count)"
      let r = try retort(["--session", path], input: "1+1\n\(command) \(path)\n2+2\n")
      #expect(r.stdout == "2\n4\n", "\(r)")
      #expect(r.stderr.contains("error: '\(path)' is this session's log, which Retort is recording to"), "\(r.stderr)")
      let text = try String(contentsOfFile: path, encoding: .utf8)
      #expect(text.hasPrefix("# Retort session log\n") && text.hasSuffix("[1]> 1+1\n2\n[2]> 2+2\n4\n"), "\(text)")
      #expect(try retort(["replay", "--check", path]).status == 0)
    }
  }

  @Test func saveKeepsAnExistingFileUnlessForced() throws {
    let dir = try tempDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("precious.retort").path
    try "keep me\n".write(toFile: path, atomically: true, encoding: .utf8)
    let kept = try retort(["--no-record"], input: "x = 1\n:save \(path)\n")
    #expect(kept.stderr.contains("error: '\(path)' already exists; `:save! \(path)` replaces it"), "\(kept.stderr)")
    #expect(!kept.stdout.contains("saved"))
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "keep me\n")
    let forced = try retort(["--no-record"], input: "x = 1\n:save! \(path)\n")
    #expect(forced.stdout == "saved 1 cell to \(path)\n", "\(forced)")
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "x = 1\n")
  }

  @Test func saveWarnsAboutNamesOnlyALeftOutCellSetAndExpandsHome() throws {
    let dir = try tempDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    let r = try retort(["--no-record"], input: "x = 10; y = x.nope\nx * 2\nx = 1\nx + 1\n:save ~/s.retort\n", env: ["HOME": dir.path])
    #expect(r.stderr.contains("only a left-out cell set them: [2] reads x (set by [1])\n"), "\(r.stderr)")
    // ~ is the home directory, not a folder named ~.
    #expect(FileManager.default.fileExists(atPath: dir.path + "/s.retort"), "\(r)")
  }

  @Test func helpNamesTheForcedSave() throws {
    let r = try retort(["--no-record"], input: ":help\n:save\n")
    #expect(r.stdout.contains(":save! PATH"), "\(r.stdout)")
    #expect(r.stderr.contains("usage: :save PATH"), "\(r.stderr)")
  }
}

@Suite struct SaveWarningTests {
  @Test func saveWarnsAboutCellValuesRetortRunDoesNotHave() throws {
    // Audit G finding 14: `_2` was saved as is, and `retort run` then failed on it.
    let dir = try tempDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("saved.retort").path
    let r = try retort(["--no-record"], input: "1/0\n10\n_2 * 2\nf\"{_}{_3}\"\nfor _ in [1] { print(_) }\n:save \(path)\n")
    #expect(r.stdout.contains("saved 4 cells to \(path) (left out the cell that failed: [1])"), "\(r.stdout)")
    #expect(r.stderr.contains("warning: `retort run \(path)` has no cell numbers, so _N (the value cell N displayed) is not defined there: [3] uses _2; [4] uses _3; give those values names before running it\n"), "\(r.stderr)")
    #expect(r.stderr.contains("warning: [4] uses _ after a cell that was left out, so under `retort run` _ may hold another value\n"), "\(r.stderr)")
    // A session without them saves without a word.
    let clean = try retort(["--no-record"], input: "x = 1\nx\n:save \(path)-2\n")
    #expect(clean.stderr.isEmpty, "\(clean.stderr)")
  }
}
