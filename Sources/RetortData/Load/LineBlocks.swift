// JSON Lines parsing in blocks on several threads. The file is cut at line
// ends into blocks of a few MB; each round parses one block per thread, then
// the caller consumes the blocks in file order on its own thread (records,
// skipped lines, progress and cancellation all stay in order and
// deterministic). Memory stays bounded by one round of parsed blocks, so
// streaming a file larger than RAM still works.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

/// Block-wise JSON Lines parsing.
enum LineBlocks {
  /// A parsed line: an object, or what was wrong at a byte offset.
  enum Item {
    case object(JSONObject)
    case error(offset: Int, message: String)
    /// The line before held `count` integers beyond 64 bits (one at `offset`), read as doubles.
    case inexactIntegers(count: Int, offset: Int)
  }

  /// The offset just past the first newline at or after `from` (or `end`).
  static func lineEnd(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, end: Int) -> Int {
    guard from < end, let base = bytes.baseAddress else { return end }
    guard let nl = memchr(base + from, 0x0A, end - from) else { return end }
    return UnsafeRawPointer(nl) - UnsafeRawPointer(base) + 1
  }

  /// Cuts `start..<end` into up to `count` blocks of about `size` bytes, each ending after a newline.
  static func blocks(_ bytes: UnsafeBufferPointer<UInt8>, start: Int, end: Int, size: Int, count: Int) -> [Range<Int>] {
    var out: [Range<Int>] = []
    var b = start
    while b < end && out.count < count {
      let e = b + size >= end ? end : lineEnd(bytes, from: b + size, end: end)
      out.append(b..<e)
      b = e
    }
    return out
  }

  /// Parses every line of `range` (which ends at a line end or the file end).
  static func parse(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> [Item] {
    var items: [Item] = []
    var parser = JSONParser(bytes: bytes, start: range.lowerBound, end: range.upperBound)
    var lineStart = range.lowerBound
    while lineStart < range.upperBound {
      let next = lineEnd(bytes, from: lineStart, end: range.upperBound)
      let stop = next > lineStart && bytes[next - 1] == 0x0A ? next - 1 : next
      parser.reset(start: lineStart, end: stop)
      parser.skipWhitespace()
      if parser.pos < stop {
        let inexactBefore = parser.inexactIntegers
        defer {
          if parser.inexactIntegers > inexactBefore {
            items.append(.inexactIntegers(count: parser.inexactIntegers - inexactBefore, offset: parser.lastInexactOffset))
          }
        }
        do {
          let value = try parser.parseValue()
          parser.skipWhitespace()
          if parser.pos < stop {
            items.append(.error(offset: parser.pos, message: "expected end of line after the record"))
          } else if case .object(let o) = value {
            items.append(.object(o))
          } else {
            items.append(.error(offset: lineStart, message: "expected a JSON object on each line, found \(value.kindName)"))
          }
        } catch {
          items.append(.error(offset: error.offset, message: error.message))
        }
      }
      lineStart = next
    }
    return items
  }

  /// Parses `ranges` on one thread each (inline when there is only one).
  static func parse(_ bytes: UnsafeBufferPointer<UInt8>, _ ranges: [Range<Int>]) -> [[Item]] {
    if ranges.count <= 1 { return ranges.map { parse(bytes, $0) } }
    var results = [[Item]](repeating: [], count: ranges.count)
    results.withUnsafeMutableBufferPointer { out in
      let out = UncheckedBuffer(out)
      let input = UncheckedBytes(bytes)
      DispatchQueue.concurrentPerform(iterations: ranges.count) { i in
        out.base[i] = parse(input.bytes, ranges[i])
      }
    }
    return results
  }
}

/// Read-only bytes shared by worker threads.
struct UncheckedBytes: @unchecked Sendable {
  let bytes: UnsafeBufferPointer<UInt8>
  init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }
}
