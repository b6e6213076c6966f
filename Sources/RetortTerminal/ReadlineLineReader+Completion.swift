#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CReadline

// Tab completion through the `completer` callback.
//
// Readline finds a "word" to complete with its break characters and replaces
// it with the matches. We set no break characters, so readline's word is the
// whole line before the cursor (start 0), and the callback alone decides where
// replacement starts: each candidate is prefixed with the line text between
// readline's start and the callback's `replaceFrom`. Readline then computes the
// common prefix, inserts it, and on a second Tab lists the candidates; the
// display hook strips the prefix again so the list shows `sample save`, not
// `print(ds.sample print(ds.save`. Readline's filename fallback and its
// trailing space after a unique match are turned off.
extension ReadlineState {
  /// The prefixed candidates of the completion in progress.
  static var matches: [String] = []
  static var nextMatch = 0
  /// The byte length of the prefix added to each candidate.
  static var prefixBytes = 0

  static func installCompletion() {
    rl_completer_word_break_characters = UnsafePointer(strdup(""))
    rl_completer_quote_characters = nil
    rl_attempted_completion_function = attempt
    rl_completion_display_matches_hook = display
    // Our order, not readline's sorted one: inside a call its keyword names come first.
    rl_sort_completion_matches = 0
  }

  static let attempt: @convention(c) (UnsafePointer<CChar>?, Int32, Int32) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = { text, start, end in
    rl_attempted_completion_over = 1
    rl_completion_suppress_append = 1
    guard let completer = ReadlineState.completer, let buffer = rl_line_buffer, let text else { return nil }
    let line = Array(UnsafeBufferPointer(start: UnsafeRawPointer(buffer).assumingMemoryBound(to: UInt8.self),
                                         count: Int(max(0, rl_end))))
    let cursor = Int(rl_point)
    let (from, candidates) = completer(String(decoding: line, as: UTF8.self), cursor)
    let matches = ReadlineState.prefixed(candidates, line: line, replaceFrom: from, start: Int(start), cursor: cursor)
    guard !matches.prefixed.isEmpty else { return nil }
    ReadlineState.matches = matches.prefixed
    ReadlineState.prefixBytes = matches.prefixBytes
    ReadlineState.nextMatch = 0
    return rl_completion_matches(text, ReadlineState.generate)
  }

  /// Rewrites candidates that replace `line[replaceFrom..<cursor]` into matches
  /// that replace `line[start..<cursor]`, as readline expects.
  static func prefixed(_ candidates: [String], line: [UInt8], replaceFrom: Int, start: Int,
                       cursor: Int) -> (prefixed: [String], prefixBytes: Int) {
    let from = min(max(replaceFrom, 0), cursor, line.count)
    let start = min(max(start, 0), cursor, line.count)
    if from >= start {
      let prefix = String(decoding: line[start..<from], as: UTF8.self)
      return (candidates.map { prefix + $0 }, from - start)
    }
    // The callback's start is left of readline's: keep only candidates that
    // begin with the text readline will not replace, minus that text.
    let kept = line[from..<start]
    let fitting = candidates.compactMap { c -> String? in
      let bytes = Array(c.utf8)
      guard bytes.starts(with: kept) else { return nil }
      return String(decoding: bytes[kept.count...], as: UTF8.self)
    }
    return (fitting, 0)
  }

  static let generate: @convention(c) (UnsafePointer<CChar>?, Int32) -> UnsafeMutablePointer<CChar>? = { _, state in
    if state == 0 { ReadlineState.nextMatch = 0 }
    guard ReadlineState.nextMatch < ReadlineState.matches.count else { return nil }
    ReadlineState.nextMatch += 1
    return strdup(ReadlineState.matches[ReadlineState.nextMatch - 1])
  }

  static let display: @convention(c) (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, Int32, Int32) -> Void = { matches, count, _ in
    guard let matches, count > 0 else { return }
    var shown: [UnsafeMutablePointer<CChar>?] = [strdup("")]
    var longest = 0
    for i in 1...Int(count) {
      guard let m = matches[i] else { continue }
      let full = String(cString: m)
      let stripped = String(decoding: Array(full.utf8).dropFirst(ReadlineState.prefixBytes), as: UTF8.self)
      longest = max(longest, stripped.count)
      shown.append(strdup(stripped))
    }
    shown.append(nil)
    rl_crlf()
    shown.withUnsafeMutableBufferPointer { buf in
      rl_display_match_list(buf.baseAddress, Int32(buf.count - 2), Int32(longest))
    }
    for p in shown { free(p) }
    rl_forced_update_display()
  }
}
