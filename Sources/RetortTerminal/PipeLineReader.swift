#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads lines from a file descriptor (standard input by default) or a fixed
/// list, with no prompts and no escape sequences: for pipes, files and tests.
///
/// Lines end at `\n`; one trailing `\r` is dropped (CRLF input). Invalid UTF-8
/// is replaced by U+FFFD and counted in `invalidUTF8Lines`. A final line without
/// a newline is still returned.
///
/// With `interruptRequested` set (standard input gets Ctrl-C), a request seen
/// before a line is returned, or while waiting for input, returns
/// `.interrupted`: nothing is typed here to discard, so it was meant for
/// Retort, and the REPL stops rather than pass it on to the next cell.
public final class PipeLineReader: LineReader {
  private enum Source {
    case descriptor(Int32)
    case lines([String])
  }

  private var source: Source
  private var buffer: [UInt8] = []
  private var start = 0
  private var scanned = 0  // no newline in buffer[start..<scanned]
  private var atEnd = false
  private var nextIndex = 0
  /// The number of lines so far that held invalid UTF-8 (replaced by U+FFFD).
  public private(set) var invalidUTF8Lines = 0
  /// The number of lines returned so far (the current line's 1-based number).
  public private(set) var lineNumber = 0
  /// Polled before each line and while waiting for input (every `pollInterval`
  /// seconds at most); true makes `readLine` return `.interrupted`. Nil: never.
  public var interruptRequested: (@Sendable () -> Bool)?
  /// The longest wait for input between two polls of `interruptRequested`.
  static let pollInterval: Int32 = 100  // milliseconds

  /// Reads from `fileDescriptor` (default 0, standard input); it is not closed.
  public init(fileDescriptor: Int32 = 0) {
    source = .descriptor(fileDescriptor)
  }

  /// Returns `lines` in order, then `.endOfInput`.
  public init(lines: [String]) {
    source = .lines(lines)
  }

  /// Reads lines from raw bytes (as if they came from a pipe).
  public convenience init(bytes: [UInt8]) {
    self.init(lines: [])
    buffer = bytes
    atEnd = true
    source = .descriptor(-1)
  }

  /// Reads the next line; `prompt` and `continuation` are ignored.
  public func readLine(prompt: String, continuation: Bool) -> LineInput {
    if interruptRequested?() == true { return .interrupted }
    switch source {
    case let .lines(lines):
      guard nextIndex < lines.count else { return .endOfInput }
      nextIndex += 1
      lineNumber += 1
      return .line(lines[nextIndex - 1])
    case let .descriptor(fd):
      while true {
        if let newline = buffer[max(start, scanned)...].firstIndex(of: UInt8(ascii: "\n")) {
          let line = decode(buffer[start..<newline])
          start = newline + 1
          scanned = start
          compact()
          return .line(line)
        }
        scanned = buffer.count
        if atEnd {
          guard start < buffer.count else { return .endOfInput }
          let line = decode(buffer[start...])
          start = buffer.count
          return .line(line)
        }
        guard fill(fd) else { return .interrupted }
      }
    }
  }

  /// Reads what is there into `buffer`, waiting for it; false when
  /// `interruptRequested` answered true meanwhile.
  private func fill(_ fd: Int32) -> Bool {
    if let interrupted = interruptRequested {
      // (A signal's handler does not end a read, which restarts: poll, then read.)
      var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
      while true {
        let ready = poll(&pfd, 1, Self.pollInterval)
        if interrupted() { return false }
        if ready > 0 || (ready < 0 && errno != EINTR) { break }  // input, its end, or an error read() reports
      }
    }
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if n > 0 {
        buffer.append(contentsOf: chunk[0..<n])
        return true
      }
      if n < 0 && errno == EINTR { continue }
      atEnd = true  // end of file, or an unreadable descriptor
      return true
    }
  }

  private func compact() {
    if start > 65536 && start * 2 > buffer.count {
      buffer.removeFirst(start)
      start = 0
      scanned = 0
    }
  }

  private func decode(_ bytes: ArraySlice<UInt8>) -> String {
    lineNumber += 1
    var slice = bytes
    if slice.last == UInt8(ascii: "\r") { slice = slice.dropLast() }
    if let s = String(validating: slice, as: UTF8.self) { return s }
    invalidUTF8Lines += 1
    return String(decoding: slice, as: UTF8.self)
  }
}
