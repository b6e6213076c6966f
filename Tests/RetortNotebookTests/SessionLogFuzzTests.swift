import Testing
@testable import RetortNotebook

/// Generated cells and mangled logs: the codec round-trips any text, and the
/// reader returns a log or a `SessionLogError` for any bytes, never crashing.
@Suite struct SessionLogFuzzTests {
  struct Rng {
    var state: UInt64
    mutating func next(_ n: Int) -> Int {
      state = state &* 6364136223846793005 &+ 1442695040888963407
      return Int((state >> 33) % UInt64(max(n, 1)))
    }
  }

  static let pieces = ["[1]> ", "[", "]>", "...>", "...> ", "\\", "\\ No newline at end of output", "#", "# version: 2",
                       "\n", "\n", "\r", "\r\n", " ", "x", "é", "漢", "\u{1}", "[42]>", "[x]> ", "", "\t", "`"]

  static func text(_ rng: inout Rng, maxPieces: Int) -> String {
    (0..<rng.next(maxPieces)).map { _ in pieces[rng.next(pieces.count)] }.joined()
  }

  @Test func anyCellsRoundTrip() throws {
    var rng = Rng(state: 7)
    for _ in 0..<300 {
      let cells = (0..<(1 + rng.next(4))).map { i in
        SessionCell(number: rng.next(1000), input: Self.text(&rng, maxPieces: 8), output: Self.text(&rng, maxPieces: 12))
      }
      let log = SessionLogFormat.magic + "\n" + cells.map {
        SessionLogFormat.encodeCell(number: $0.number, input: $0.input, output: $0.output)
      }.joined()
      let parsed = try SessionLog.parse(log)
      #expect(parsed.cells.map { SessionCell(number: $0.number, input: $0.input, output: $0.output) } == cells)
    }
  }

  @Test func mangledLogsGiveALogOrAnError() {
    var rng = Rng(state: 11)
    let base = Array((SessionLogFormat.magic + "\n# version: 1\n"
      + SessionLogFormat.encodeCell(number: 1, input: "a\nb", output: "[2]> x\n\\y\nz")
      + SessionLogFormat.encodeCell(number: 2, input: "c", output: "1\n")).utf8)
    var outcomes = (logs: 0, errors: 0)
    for _ in 0..<2000 {
      var bytes = base
      for _ in 0..<(1 + rng.next(4)) {
        switch rng.next(4) {
        case 0 where !bytes.isEmpty: bytes.remove(at: rng.next(bytes.count))
        case 1: bytes.insert(UInt8(rng.next(256)), at: rng.next(bytes.count + 1))
        case 2 where !bytes.isEmpty: bytes = Array(bytes[..<rng.next(bytes.count)])
        default: bytes.insert(contentsOf: Array(Self.pieces[rng.next(Self.pieces.count)].utf8), at: rng.next(bytes.count + 1))
        }
      }
      do {
        _ = try SessionLog.parse(bytes: bytes, path: "m")
        outcomes.logs += 1
      } catch let error as SessionLogError {
        if case .malformed = error { outcomes.errors += 1 } else { Issue.record("unexpected \(error)") }
      } catch {
        Issue.record("unexpected error type \(error)")
      }
    }
    #expect(outcomes.logs > 0 && outcomes.errors > 0)
  }
}
