// `:save PATH` and `:save! PATH`: the session's inputs as a script for `retort run`.

import Foundation
import RetortFiles
import RetortLang

extension REPL {
  /// Writes the inputs of the cells that did not fail to `argument` (a path).
  ///
  /// An existing file is kept unless `force` (`:save!`) is set; the session's
  /// own log is never replaced (the recorder would go on writing to the
  /// unlinked old file, and every later cell would be lost).
  func save(_ argument: String?, force: Bool) {
    let command = force ? ":save!" : ":save"
    guard let typed = argument?.trimmingCharacters(in: .whitespaces), !typed.isEmpty else {
      Console.writeError("usage: \(command) PATH\n")
      return
    }
    let path = expandHome(typed)  // "~/x.retort", as file arguments take it
    if recorder?.isLog(at: path) == true {
      Console.writeError("error: '\(path)' is this session's log, which Retort is recording to; :save writes the inputs to another file\n")
      return
    }
    if !force && FileManager.default.fileExists(atPath: path) {
      Console.writeError("error: '\(path)' already exists; `:save! \(path)` replaces it\n")
      return
    }
    // A cell that failed would stop the script at its error: it is left out, and named.
    let kept = inputs.indices.filter { !failedInputs.contains($0) }
    do {
      try AtomicFile.write(kept.map { inputs[$0] }.joined(separator: "\n") + "\n", to: path)
    } catch {
      Console.writeError("error: \(error)\n")
      return
    }
    var note = ""
    if kept.count < inputs.count {
      let left = inputs.indices.filter { failedInputs.contains($0) }.map { "[\($0 + 1)]" }
      note = " (left out \(left.count == 1 ? "the cell" : "the \(left.count) cells") that failed: \(left.joined(separator: ", ")))"
    }
    print("saved \(counted(kept.count, "cell")) to \(path)\(note)")
    warnAboutCellValues(path: path)
  }

  /// "[4] reads x (set by [1])" for each saved cell that reads a name only a left-out cell had set.
  func namesOnlyLeftOutCellsBind() -> [String] {
    var boundByKept = Set<String>(), leftOutBinder: [String: Int] = [:], found: [String] = []
    for i in inputs.indices {
      let n = CellBindings.names(in: inputs[i])
      if failedInputs.contains(i) {
        for name in n.binds where !boundByKept.contains(name) && leftOutBinder[name] == nil { leftOutBinder[name] = i + 1 }
        continue
      }
      let missing = n.reads.compactMap { name in leftOutBinder[name].map { (name, $0) } }.sorted { $0.0 < $1.0 }
      if !missing.isEmpty {
        found.append("[\(i + 1)] reads " + missing.map { "\($0.0) (set by [\($0.1)])" }.joined(separator: ", "))
      }
      boundByKept.formUnion(n.binds)
      for name in n.binds { leftOutBinder[name] = nil }
    }
    return found
  }

  /// Warns about the saved cells that read `_N` (the value cell N displayed),
  /// which `retort run` does not define, and about `_` after a cell that was
  /// left out (a value it displayed may be the one `_` held).
  func warnAboutCellValues(path: String) {
    var numbered: [String] = [], last: [String] = []
    var leftOutBefore = false
    for i in inputs.indices {
      guard !failedInputs.contains(i) else { leftOutBefore = true; continue }
      let uses = CellValueNames.uses(in: inputs[i])
      if !uses.numbered.isEmpty { numbered.append("[\(i + 1)] uses " + uses.numbered.joined(separator: ", ")) }
      if uses.last && leftOutBefore { last.append("[\(i + 1)]") }
    }
    let unbound = namesOnlyLeftOutCellsBind()
    Console.flush()
    if !unbound.isEmpty {
      Console.writeError("warning: under `retort run` these names are not defined, since only a left-out cell set them: "
        + unbound.joined(separator: "; ") + "\n")
    }
    if !numbered.isEmpty {
      Console.writeError("warning: `retort run \(path)` has no cell numbers, so _N (the value cell N displayed) is not defined there: "
        + numbered.joined(separator: "; ") + "; give those values names before running it\n")
    }
    if !last.isEmpty {
      Console.writeError("warning: \(last.joined(separator: ", ")) \(last.count == 1 ? "uses" : "use") _ after a cell that was left out, "
        + "so under `retort run` _ may hold another value\n")
    }
  }
}
