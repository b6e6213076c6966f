// Pasting: a terminal in bracketed-paste mode wraps pasted text in ESC [200~ ... ESC [201~.
// Readline's own handler turns each CR into a newline, so text copied with Windows line ends
// ("a\r\nb") gained a blank line per line break, which changed strings pasted into code. This
// handler reads the paste itself and turns CRLF, and a lone CR, into one newline.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CReadline

extension ReadlineState {
  static func installPaste() {
    _ = rl_bind_keyseq("\u{1B}[200~", pasteHandler)
  }

  static let pasteHandler: @convention(c) (Int32, Int32) -> Int32 = { _, _ in
    let end = Array("\u{1B}[201~".utf8).map(Int32.init)
    var keys: [Int32] = []
    while true {
      let k = rl_read_key()
      if k < 0 { break }  // end of input inside a paste: insert what came
      keys.append(k)
      if keys.count >= end.count && Array(keys.suffix(end.count)) == end {
        keys.removeLast(end.count)
        break
      }
    }
    var bytes: [UInt8] = []
    var i = 0
    while i < keys.count {
      let b = UInt8(truncatingIfNeeded: keys[i])
      if b == 13 {
        bytes.append(10)
        if i + 1 < keys.count && keys[i + 1] == 10 { i += 1 }
      } else {
        bytes.append(b)
      }
      i += 1
    }
    bytes.append(0)
    bytes.withUnsafeBufferPointer { p in
      if let base = p.baseAddress { _ = base.withMemoryRebound(to: CChar.self, capacity: p.count) { rl_insert_text($0) } }
    }
    return 0
  }
}
