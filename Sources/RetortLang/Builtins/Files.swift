// The builtins that touch the file system: reading and writing text, the
// working directory, and scratch directories.
//
// A recorded session that writes files does it inside `temp_dir()` after
// `cd` into it, with relative paths: its output then names the same files on
// every machine, and two replays at once never share a file.

import Foundation
import RetortFiles

extension Builtins {
  static func fileFunctions() -> [NativeFunction] {
    [
      NativeFunction(name: "read_text", params: [.required("path")], doc: "The contents of a UTF-8 text file.") { a in
        .string(try readText(try a.path("path")))
      },
      NativeFunction(name: "write_text", params: [.required("path"), .required("text")],
                     doc: "Write text to a file (UTF-8), replacing it atomically.") { a in
        let path = try a.path("path"), text = try a.string("text")
        do {
          try AtomicFile.write(text, to: path)
        } catch let e as FileError {
          throw ScriptError("write_text(): cannot write '\(path)': \(e.reason)")
        }
        return .none
      },
      NativeFunction(name: "cwd", params: [], doc: "The working directory, which relative paths start from.") { _ in
        .string(FileManager.default.currentDirectoryPath)
      },
      NativeFunction(name: "cd", params: [.required("path")],
                     doc: "Change the working directory, as a shell's cd: relative paths then start there.") { a in
        let path = try a.path("path")
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
          throw ScriptError("cd(): no such directory: '\(path)'")
        }
        guard isDir.boolValue else { throw ScriptError("cd(): '\(path)' is a file, not a directory") }
        guard FileManager.default.changeCurrentDirectoryPath(path) else {
          throw ScriptError("cd(): cannot enter '\(path)' (permission denied?)")
        }
        return .none
      },
      NativeFunction(name: "temp_dir", params: [],
                     doc: "A new empty directory of your own under the system's temporary directory ($TMPDIR or /tmp). Retort removes it, with everything in it, when it exits: save what you keep elsewhere.") { _ in
        do {
          return .string(try ScratchDirectories.make())
        } catch let e as FileError {
          throw ScriptError("temp_dir(): cannot make a directory in '\(e.path)': \(e.reason)")
        }
      },
    ]
  }

  /// Reads a UTF-8 file (a leading byte order mark dropped) with errors that
  /// name the path, and where invalid UTF-8 starts.
  public static func readText(_ path: String) throws -> String {
    switch ScriptText.utf8(try readBytes(path), name: path) {
    case .success(let text): return text
    case .failure(let bad):
      let (line, column) = bad.source.location(of: bad.offset)
      throw ScriptError("'\(path)' is not valid UTF-8 text (line \(line), column \(column): byte \(bad.byte))")
    }
  }

  /// Reads a file's bytes with errors that name the path.
  static func readBytes(_ path: String) throws -> [UInt8] {
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
      throw ScriptError("no such file: '\(path)'")
    }
    if isDir.boolValue { throw ScriptError("'\(path)' is a directory, not a file") }
    guard let data = FileManager.default.contents(atPath: path) else { throw ScriptError("cannot read '\(path)'") }
    return [UInt8](data)
  }
}
