// The REPL loop: read a cell (continuing while brackets, braces or strings
// are open), run it, display, record. The same loop serves a terminal (with
// readline: editing, history, completion, Ctrl-C) and a pipe (no prompts,
// no escape sequences).

import Foundation
import RetortLab
import RetortLang
import RetortNotebook
import RetortTerminal

final class REPL {
  let interp = Lab.makeInterpreter()
  let reader: LineReader
  let interactive: Bool
  var recorder: SessionRecorder?
  var cellNumber = 1
  var inputs: [String] = []
  /// Indices in `inputs` of the cells that ended in an error (`:save` leaves them out).
  var failedInputs = Set<Int>()
  var failed = false
  /// Set when Ctrl-C came while a pipe was awaited: the session ends, as a script does.
  var stoppedWhileWaiting = false
  /// Piped lines with invalid UTF-8 already warned about.
  var invalidLinesSeen = 0
  /// The width values render at, fixed for the session and recorded in its log,
  /// so a replay on any terminal (or none) lays tables out the same.
  let width = Console.width()

  init(sessionPath: String?, record: Bool) throws {
    interactive = Terminal.isTerminal(0) && Terminal.isTerminal(1)
    reader = Terminal.makeLineReader()
    Interrupt.install()
    if record {
      // An existing file is never replaced: a slip in --session would lose it. Two sessions
      // started in the same second get the default name with -2, -3, ... added.
      let base = sessionPath ?? SessionRecorder.defaultPath()
      var path = base
      for n in 2...100 {
        do {
          recorder = try SessionRecorder(path: path, version: Lab.version, fields: [("width", String(width))], ifExists: .fail)
          if interactive { Console.writeError("Retort \(Lab.version) · recording to \(path) · :help for commands\n") }
          break
        } catch SessionLogError.exists where sessionPath == nil {
          path = String(base.dropLast(".retort".count)) + "-\(n).retort"
        } catch {
          Console.writeError("warning: not recording the session: \(error)\n")
          break
        }
        if n == 100 { Console.writeError("warning: not recording the session: \(base) and 99 more names like it exist\n") }
      }
    }
    if let rl = reader as? ReadlineLineReader {
      let interp = self.interp
      rl.completer = { line, byteCursor in
        let cursor = String(decoding: Array(line.utf8).prefix(byteCursor), as: UTF8.self).count
        let c = interp.complete(line: line, cursor: cursor)
        return (String(line.prefix(c.start)).utf8.count, c.candidates)
      }
    }
  }

  /// Reads and runs cells until end of input. Returns the exit status: 1 if a
  /// cell failed while reading from a pipe (so pipelines can notice), 130 if
  /// Ctrl-C came while the pipe was awaited (no later cell runs), else 0.
  func loop() -> Int32 {
    while let cell = readCell() {
      let trimmed = cell.trimmingCharacters(in: .whitespacesAndNewlines)
      if trimmed.isEmpty { continue }
      if trimmed.hasPrefix(":") {
        if !meta(trimmed) { break }
        continue
      }
      execute(cell)
    }
    Console.flush()
    recorder?.close()
    if stoppedWhileWaiting {
      Console.writeError("retort: stopped by Ctrl-C while waiting for input; no further cell runs\n")
      return 130
    }
    return (interactive || !failed) ? 0 : 1
  }

  /// One cell's lines; nil at end of input.
  func readCell() -> String? {
    var lines: [String] = []
    while true {
      let prompt = lines.isEmpty ? "[\(cellNumber)]> " : "...> "
      switch reader.readLine(prompt: interactive ? prompt : "", continuation: !lines.isEmpty) {
      case .endOfInput:
        // (The line reader has already ended the prompt's line.)
        return lines.isEmpty ? nil : lines.joined(separator: "\n")
      case .interrupted:
        // Piped input has no line to clear: a Ctrl-C there is for Retort, and
        // latched until the next cell it would stop a cell it was not meant for.
        if !interactive {
          stoppedWhileWaiting = true
          return nil
        }
        lines = []
        continue
      case .line(let l):
        // Piped bytes that are not UTF-8 are read as U+FFFD: say so, as `retort run` refuses them.
        if let pipe = reader as? PipeLineReader, pipe.invalidUTF8Lines > invalidLinesSeen {
          invalidLinesSeen = pipe.invalidUTF8Lines
          Console.writeError("warning: input line \(pipe.lineNumber) is not valid UTF-8; its bad bytes were read as U+FFFD\n")
        }
        lines.append(l)
        let text = lines.joined(separator: "\n")
        if !Lexer.needsMoreInput(text) { return text }
      }
    }
  }

  func execute(_ cell: String) {
    let outcome = CellRunner.run(interp, cell, number: cellNumber, echo: true, width: width)
    if outcome.error != nil { failed = true }
    do {
      try recorder?.record(number: cellNumber, input: cell, output: outcome.output, interruptedAt: outcome.interruptedAt)
    } catch {
      Console.writeError("warning: could not record cell \(cellNumber): \(error)\n")
    }
    inputs.append(cell)
    if outcome.error != nil { failedInputs.insert(inputs.count - 1) }
    cellNumber += 1
  }

  /// Meta-commands; returns false to quit.
  func meta(_ command: String) -> Bool {
    let parts = command.split(separator: " ", maxSplits: 1).map(String.init)
    switch parts[0] {
    case ":quit", ":q", ":exit":
      return false
    case ":help":
      print("""
        :help         this list
        :history      the inputs of this session, numbered
        :save PATH    write this session's inputs as a script, without the cells that failed (run it with `retort run PATH`);
                      an existing file is kept
        :save! PATH   the same, replacing an existing file (never the session's own log)
        :quit         leave (Ctrl-D also does)
        Type help() for the language, namespaces and builtins.
        """)
    case ":history":
      for (i, input) in inputs.enumerated() {
        let lines = input.split(separator: "\n", omittingEmptySubsequences: false)
        print("[\(i + 1)] " + lines.joined(separator: "\n    "))
      }
    case ":save", ":save!":
      save(parts.count == 2 ? parts[1] : nil, force: parts[0] == ":save!")
    default:
      Console.writeError("unknown command \(parts[0]); :help lists the commands\n")
    }
    Console.flush()
    return true
  }
}
