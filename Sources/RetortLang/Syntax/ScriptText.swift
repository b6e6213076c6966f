// Script files as text: UTF-8, or an error at the first byte that is not,
// with the file, line and column and a caret, as any other syntax error.

import Foundation

/// Reads and decodes script files (`retort run FILE`).
public enum ScriptText {
  /// The text of the script at `path`.
  /// - Throws: `ScriptError` when the file is missing, a directory or unreadable;
  ///   a syntax `RetortError` located at the first byte that is not UTF-8.
  public static func read(_ path: String) throws -> String {
    try decode(Builtins.readBytes(path), name: path)
  }

  /// `bytes` as text (a leading byte order mark dropped); `name` names it in the error.
  /// - Throws: A syntax `RetortError` at the first invalid byte, e.g.
  ///   `invalid UTF-8 (byte 0xFF); a script is UTF-8 text` at `FILE:1:1`.
  public static func decode(_ bytes: [UInt8], name: String) throws -> String {
    switch utf8(bytes, name: name) {
    case .success(let text): return text
    case .failure(let bad):
      throw RetortError(.syntax, "invalid UTF-8 (byte \(bad.byte)); a script is UTF-8 text",
                        at: Span(bad.source, bad.offset, bad.offset + 3))
    }
  }

  /// Where bytes stop being UTF-8: the first invalid byte's offset and hex
  /// text, and the text (invalid bytes as U+FFFD) to locate it in.
  struct InvalidUTF8: Error {
    var offset: Int, byte: String, source: Source
  }

  /// `bytes` as text (a leading byte order mark dropped), or where they stop
  /// being UTF-8; `name` names the text's source.
  static func utf8(_ bytes: [UInt8], name: String) -> Result<String, InvalidUTF8> {
    let bytes = withoutBOM(bytes)
    if let text = String(validating: bytes, as: UTF8.self) { return .success(text) }
    let bad = firstInvalidUTF8(bytes) ?? 0
    // Up to `bad` the bytes are valid, so the lossy text has them unchanged, then U+FFFD (3 bytes).
    let source = Source(name: name, text: String(decoding: bytes, as: UTF8.self))
    return .failure(InvalidUTF8(offset: bad, byte: bad < bytes.count ? hex(bytes[bad]) : "?", source: source))
  }

  /// The offset of the first byte of the first invalid UTF-8 sequence, or nil.
  public static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
    var parser = Unicode.UTF8.ForwardParser()
    var iterator = bytes.makeIterator()
    var offset = 0
    while true {
      switch parser.parseScalar(from: &iterator) {
      case .valid(let scalar): offset += scalar.count
      case .emptyInput: return nil
      case .error: return offset
      }
    }
  }

  /// `bytes` without a leading UTF-8 byte order mark (editors on Windows write one).
  static func withoutBOM(_ bytes: [UInt8]) -> [UInt8] {
    bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
  }

  /// `0xFF`-style text for a byte.
  static func hex(_ b: UInt8) -> String {
    let digits = String(b, radix: 16, uppercase: true)
    return "0x" + (digits.count < 2 ? "0" : "") + digits
  }
}
