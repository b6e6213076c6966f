// `:save PATH` and `:save! PATH`: the session's inputs as a script for `retort run`.

import Foundation
import RetortFiles

extension REPL {
  /// Writes the inputs of the cells that did not fail to `argument` (a path).
  ///
  /// An existing file is kept unless `force` (`:save!`) is set; the session's
  /// own log is never replaced (the recorder would go on writing to the
  /// unlinked old file, and every later cell would be lost).
  func save(_ argument: String?, force: Bool) {
    let command = force ? ":save!" : ":save"
    guard let path = argument?.trimmingCharacters(in: .whitespaces), !path.isEmpty else {
      Console.writeError("usage: \(command) PATH\n")
      return
    }
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
    print("saved \(kept.count) cell\(kept.count == 1 ? "" : "s") to \(path)\(note)")
  }
}
