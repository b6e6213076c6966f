#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CReadline

/// Interactive line editing over GNU readline.
///
/// - Key bindings come from readline, so `~/.inputrc` applies (this program's
///   name for `$if` blocks is `retort`); Ctrl-R searches the history.
/// - History persists in `historyPath` (see `HistoryFile`): loaded at start,
///   every accepted non-blank line appended, no consecutive duplicates.
/// - Tab calls `completer` (see `ReadlineLineReader+Completion.swift`).
/// - Ctrl-C while typing discards the line and returns `.interrupted` (the REPL
///   shows a fresh prompt); Ctrl-D on an empty line returns `.endOfInput`.
///
/// Readline is driven through its callback interface from a `poll` loop, with
/// readline's own signal handlers off: SIGINT and SIGWINCH go to `Interrupt`,
/// and the loop reacts to them between keystrokes. Readline has global state,
/// so use one instance at a time. Prompts containing ANSI colour codes must
/// wrap them in \u{1} ... \u{2} so readline can measure the prompt.
public final class ReadlineLineReader: LineReader {
  /// The persistent history.
  public let history: HistoryFile

  /// Tab completion: given the whole line and the cursor (both in UTF-8 bytes),
  /// returns the offset where the replaced text starts and the candidates that
  /// replace `line[replaceFrom..<cursor]`. Example: for `ds.sa` with the cursor
  /// at 5, return `(3, ["sample", "save"])`. `nil`: Tab inserts nothing.
  /// There is no fallback to readline's filename completion; for paths use
  /// `PathCompletion.candidates(for:)` (RetortFiles) inside the callback.
  public var completer: ((_ line: String, _ cursor: Int) -> (replaceFrom: Int, candidates: [String]))? {
    get { ReadlineState.completer }
    set { ReadlineState.completer = newValue }
  }

  /// Sets up readline and loads the history at `historyPath` (default
  /// `~/.retort_history`), keeping at most `historyLimit` lines.
  public init(historyPath: String = HistoryFile.defaultPath(), historyLimit: Int = 10_000) {
    history = HistoryFile(path: historyPath, limit: historyLimit)
    Interrupt.install()
    ReadlineState.configure()
    clear_history()
    for line in history.load() { add_history(line) }
    stifle_history(Int32(clamping: history.limit))
  }

  /// Reads one line with editing, history and completion (see the type docs).
  public func readLine(prompt: String, continuation: Bool) -> LineInput {
    fflush(stdout)
    Interrupt.clear()
    Interrupt.setReading(true)
    defer { Interrupt.setReading(false) }
    ReadlineState.result = nil
    rl_callback_handler_install(prompt, ReadlineState.lineHandler)
    while ReadlineState.result == nil {
      if Interrupt.takeSuspend() {
        // Ctrl-Z: give the shell its terminal back, stop, and redraw the line after `fg`.
        rl_cleanup_after_signal()
        fflush(rl_outstream ?? stdout)
        Interrupt.stopAsTerminalAsks()
        rl_reset_after_signal()
        rl_forced_update_display()
        continue
      }
      if Interrupt.isRequested {
        Interrupt.clear()
        abandonLine()
        return .interrupted
      }
      if Interrupt.takeResize() { rl_resize_terminal() }
      var pfd = pollfd(fd: fileno(rl_instream ?? stdin), events: Int16(POLLIN), revents: 0)
      let ready = poll(&pfd, 1, -1)
      if ready < 0 {
        if errno == EINTR { continue }
        rl_callback_handler_remove()
        return .endOfInput
      }
      if pfd.revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
        rl_callback_read_char()
      }
      if pfd.revents & Int16(POLLNVAL) != 0 {
        rl_callback_handler_remove()
        return .endOfInput
      }
    }
    let result = ReadlineState.result ?? .endOfInput
    switch result {
    case let .line(text):
      if history.add(text) { add_history(text) }
    case .endOfInput:
      break  // readline has ended the prompt's line
    case .interrupted:
      break
    }
    fflush(rl_outstream ?? stdout)
    return result
  }

  /// Ctrl-C while typing: leave the typed text visible, mark it with ^C, reset
  /// readline's line state (including an active Ctrl-R search) and restore the
  /// terminal.
  private func abandonLine() {
    rl_callback_sigcleanup()
    rl_point = rl_end
    rl_redisplay()
    let out = rl_outstream ?? stdout
    fputs("^C\n", out)
    rl_free_line_state()
    rl_replace_line("", 1)
    rl_callback_handler_remove()
    fflush(out)
  }
}

/// Readline's global state as seen from Swift (C callbacks cannot capture).
enum ReadlineState {
  static var result: LineInput?
  static var completer: ((_ line: String, _ cursor: Int) -> (replaceFrom: Int, candidates: [String]))?
  static var configured = false

  static func configure() {
    guard !configured else { return }
    configured = true
    rl_readline_name = UnsafePointer(strdup("retort"))
    rl_catch_signals = 0
    rl_catch_sigwinch = 0
    installCompletion()
    installPaste()
  }

  /// Called by readline with the accepted line, or NULL on Ctrl-D / end of input.
  static let lineHandler: @convention(c) (UnsafeMutablePointer<CChar>?) -> Void = { line in
    if let line {
      ReadlineState.result = .line(String(cString: line))
      free(line)
    } else {
      ReadlineState.result = .endOfInput
    }
    // Removing the handler here keeps readline from printing the prompt again.
    rl_callback_handler_remove()
  }
}
