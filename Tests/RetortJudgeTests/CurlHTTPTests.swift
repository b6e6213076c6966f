// The libcurl client for https judges, driven over http against the loopback server (the same
// code path; TLS itself is libcurl's): the request as sent, the reply, the deadline, cancellation.

#if canImport(CCurl)
import Foundation
import Testing

@testable import RetortJudge

struct CurlHTTPTests {
  func url(_ server: LoopbackServer) -> URL { URL(string: "http://127.0.0.1:\(server.port)/v1/chat/completions")! }

  @Test func aRequestAndItsReplyGoThrough() async throws {
    let server = try LoopbackServer { _, _ in
      .reply(status: 429, headers: ["Retry-After": "3", "Content-Type": "application/json"], body: "{\"error\": \"busy\"}", delay: 0)
    }
    defer { server.stop() }
    let r = try await CurlHTTP.post(url: url(server), headers: [("Content-Type", "application/json"), ("Authorization", "Bearer k")],
                                    body: Data("{\"model\": \"m\"}".utf8), timeout: 10)
    #expect(r.status == 429 && r.headers["retry-after"] == "3" && r.body == Data("{\"error\": \"busy\"}".utf8), "\(r)")
    let seen = try #require(server.requests.first)
    #expect(seen.method == "POST" && seen.path == "/v1/chat/completions" && seen.body == Data("{\"model\": \"m\"}".utf8))
    #expect(seen.headers["authorization"] == "Bearer k" && seen.headers["expect"] == nil, "\(seen.headers)")
  }

  @Test func theDeadlineBoundsTheWholeExchange() async throws {
    // One byte every 0.3 s never goes silent, but the call is over after 1 s.
    let server = try LoopbackServer { _, _ in .trickle(body: String(repeating: "x", count: 100), interval: 0.3) }
    defer { server.stop() }
    await #expect(throws: HTTPFailure(description: "timed out after 1.0 s")) {
      try await CurlHTTP.post(url: url(server), headers: [], body: Data(), timeout: 1)
    }
  }

  @Test func cancellationStopsAWaitingCall() async throws {
    let server = try LoopbackServer { _, _ in .reply(status: 200, headers: [:], body: "late", delay: 20) }
    defer { server.stop() }
    // Uncancelled, the call would end after 20 s with the server's 200; libcurl looks at the
    // flag at least once a second while it waits, so it ends with a CancellationError instead.
    let task = Task { try await CurlHTTP.post(url: url(server), headers: [], body: Data(), timeout: 60) }
    try await Task.sleep(nanoseconds: 200_000_000)
    task.cancel()
    await #expect(throws: CancellationError.self) { try await task.value }
  }

  @Test func aRefusedConnectionIsNamed() async throws {
    await #expect(throws: HTTPFailure(description: "cannot connect to host")) {
      try await CurlHTTP.post(url: URL(string: "http://127.0.0.1:9/v1/chat/completions")!, headers: [], body: Data(), timeout: 5)
    }
  }
}
#endif
