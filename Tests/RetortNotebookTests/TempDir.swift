import Glibc

/// A fresh temporary directory for one test, removed by `cleanup()`.
struct TempDir {
  let path: String

  init() {
    var template = Array("/tmp/retort-notebook-test-XXXXXX".utf8CString)
    let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
    path = made.map { String(cString: $0) } ?? "/tmp/retort-notebook-test-fallback"
  }

  func file(_ name: String) -> String { path + "/" + name }

  func read(_ name: String) -> String {
    guard let f = fopen(file(name), "rb") else { return "<missing>" }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 4096)
    while true {
      let n = fread(&buf, 1, buf.count, f)
      if n == 0 { break }
      bytes += buf[0..<n]
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  func write(_ name: String, _ text: String) {
    guard let f = fopen(file(name), "wb") else { return }
    _ = text.withCString { fputs($0, f) }
    fclose(f)
  }

  func cleanup() { _ = system("rm -rf '\(path)'") }
}
