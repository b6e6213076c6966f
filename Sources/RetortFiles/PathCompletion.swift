#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `~` or `~/...` with the home directory ($HOME) in place of the `~`; other paths as they are.
/// Every file argument of the language goes through this, as path completion does.
public func expandHome(_ path: String) -> String {
  guard path == "~" || path.hasPrefix("~/"), let home = getenv("HOME") else { return path }
  return String(cString: home) + path.dropFirst()
}

/// File-path candidates for completing paths inside string literals.
public enum PathCompletion {
  /// The paths that complete `partial` (as typed: relative, absolute, or
  /// starting with `~/`), sorted; directories end with `/`. Dot files are
  /// offered only when the last component typed starts with `.`.
  ///
  /// Example: with `data/train.jsonl` and `data/tests/` on disk,
  /// `candidates(for: "data/t")` is `["data/tests/", "data/train.jsonl"]`.
  /// Each candidate replaces the whole `partial`.
  public static func candidates(for partial: String, currentDirectory: String? = nil) -> [String] {
    let slash = partial.lastIndex(of: "/")
    let typedDir = slash.map { String(partial[...$0]) } ?? ""
    let namePrefix = slash.map { String(partial[partial.index(after: $0)...]) } ?? partial
    var dir = typedDir.isEmpty ? "." : expandHome(typedDir)
    if !dir.hasPrefix("/"), let cwd = currentDirectory {
      dir = cwd + "/" + dir
    }
    guard let handle = opendir(dir) else { return [] }
    defer { closedir(handle) }
    var found: [String] = []
    while let entry = readdir(handle) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      }
      guard name != ".", name != "..", name.hasPrefix(namePrefix) else { continue }
      if name.hasPrefix(".") && !namePrefix.hasPrefix(".") { continue }
      var st = stat()
      let isDir = stat(dir + "/" + name, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
      found.append(typedDir + name + (isDir ? "/" : ""))
    }
    return found.sorted()
  }
}
