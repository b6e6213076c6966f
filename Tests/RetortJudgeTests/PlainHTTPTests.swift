// The plain-socket HTTP client's reply parsing: lengths, chunks, interim replies, cut replies.

#if canImport(Glibc)
import Foundation
import Testing

@testable import RetortJudge

struct PlainHTTPTests {
  func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

  @Test func aReplyIsCompleteWhenItsBodyIs() throws {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\n"
    #expect(try PlainHTTP.parse(bytes(head + "ab"), closed: false) == nil)
    let r = try #require(try PlainHTTP.parse(bytes(head + "abcde"), closed: false))
    #expect(r.status == 200 && r.headers["content-type"] == "application/json" && r.body == Data("abcde".utf8))
    #expect(throws: HTTPFailure.self) { try PlainHTTP.parse(bytes(head + "ab"), closed: true) }
  }

  @Test func chunkedBodiesAreJoinedAndInterimRepliesSkipped() throws {
    let head = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 429 Too Many Requests\r\nRetry-After: 2\r\nTransfer-Encoding: chunked\r\n\r\n"
    let body = "4\r\nwiki\r\n6;x=1\r\npedia \r\n"
    #expect(try PlainHTTP.parse(bytes(head + body), closed: false) == nil)
    let r = try #require(try PlainHTTP.parse(bytes(head + body + "0\r\n\r\n"), closed: false))
    #expect(r.status == 429 && r.headers["retry-after"] == "2" && r.body == Data("wikipedia ".utf8))
  }

  @Test func aReplyArrivingInPiecesIsReadOnce() throws {
    // Byte by byte (each piece looked at from where the last left off), then a 2 MB body in
    // 64 KB pieces: the same replies as when all of it arrives at once.
    let text = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"
    var reader = ReplyReader()
    var got: HTTPReply? = nil
    for (i, b) in bytes(text).enumerated() {
      reader.append([b][...])
      got = try reader.reply(closed: false)
      #expect((got == nil) == (i < text.utf8.count - 3), "byte \(i)")
      if got != nil { break }
    }
    #expect(got?.status == 200 && got?.body == Data("abcde".utf8))
    let big = [UInt8](repeating: 120, count: 2 << 20)
    let all = bytes("HTTP/1.1 200 OK\r\nContent-Length: \(big.count)\r\n\r\n") + big
    var pieces = ReplyReader()
    var done: HTTPReply? = nil
    for start in stride(from: 0, to: all.count, by: 65536) {
      pieces.append(all[start..<min(all.count, start + 65536)])
      done = try pieces.reply(closed: false)
      #expect((done == nil) == (start + 65536 < all.count))
    }
    #expect(done?.body.count == big.count)
    // A head cut short by the server is a bad reply; a body cut short, a dropped connection.
    var cut = ReplyReader()
    cut.append(bytes("HTTP/1.1 200 OK\r\nContent-Le")[...])
    #expect(throws: HTTPFailure(description: "bad server response")) { try cut.reply(closed: true) }
    #expect(throws: HTTPFailure(description: "connection dropped")) {
      try PlainHTTP.parse(bytes("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nab"), closed: true)
    }
  }

  @Test func aBodyWithoutALengthEndsWhenTheServerCloses() throws {
    let text = "HTTP/1.0 200 OK\r\n\r\n{\"a\": 1}"
    #expect(try PlainHTTP.parse(bytes(text), closed: false) == nil)
    #expect(try PlainHTTP.parse(bytes(text), closed: true)?.body == Data("{\"a\": 1}".utf8))
    #expect(throws: HTTPFailure.self) { try PlainHTTP.parse(bytes("SSH-2.0-OpenSSH\r\n\r\n"), closed: false) }
    #expect(throws: HTTPFailure.self) { try PlainHTTP.parse([], closed: true) }
  }

  @Test func aRefusedConnectionIsAFailureThatNamesIt() async throws {
    // Port 9 (discard) on loopback: nothing listens in a test environment.
    await #expect(throws: HTTPFailure.self) {
      try await PlainHTTP.post(url: URL(string: "http://127.0.0.1:9/v1/chat/completions")!, headers: [], body: Data(), timeout: 5)
    }
  }
}
#endif
