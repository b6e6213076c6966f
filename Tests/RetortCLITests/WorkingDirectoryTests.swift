// cd, cwd and temp_dir, run in a child process: they change the process's
// working directory, which the tests running beside them in this one share.

import Foundation
import Testing

@Suite struct WorkingDirectoryTests {
  @Test func relativePathsFollowCdIntoATempDirThatIsRemovedAtExit() throws {
    let base = try tempDir()
    defer { try? FileManager.default.removeItem(at: base) }
    let script = """
      d = temp_dir()
      cd(d)
      write_text("a.txt", "hi")
      print(read_text(d + "/a.txt"), cwd() == d, d)
      """
    let r = try retort(["-e", script], env: ["TMPDIR": base.path])
    #expect(r.status == 0, "\(r.stderr)")
    let words = r.stdout.split(separator: " ").map(String.init)
    #expect(words.count == 3 && words[0] == "hi" && words[1] == "true")
    let made = words.last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
    #expect(made.hasPrefix(base.path + "/retort-"))
    #expect(!FileManager.default.fileExists(atPath: made), "temp_dir() outlived the process")
    #expect(try FileManager.default.contentsOfDirectory(atPath: base.path).isEmpty)
  }

  @Test func cdErrorsNameThePathAndKeepTheDirectory() throws {
    let dir = try tempDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    try "x".write(to: dir.appendingPathComponent("f.txt"), atomically: true, encoding: .utf8)
    let r = try retort([], input: "cd(\"nope\")\ncd(\"f.txt\")\nprint(cwd())\n", cwd: dir)
    #expect(r.stderr.contains("cd(): no such directory: 'nope'"))
    #expect(r.stderr.contains("cd(): 'f.txt' is a file, not a directory"))
    // The working directory is where it was (resolved, as getcwd reports it).
    #expect(r.stdout == dir.resolvingSymlinksInPath().path + "\n")
  }

  @Test func tempDirErrorNamesTheBaseDirectory() throws {
    let r = try retort(["-e", "temp_dir()"], env: ["TMPDIR": "/no/such/dir"])
    #expect(r.status != 0)
    #expect(r.stderr.contains("temp_dir(): cannot make a directory in '/no/such/dir': No such file or directory"))
  }
}
