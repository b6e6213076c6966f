// LoopbackServer: a tiny HTTP/1.1 server on 127.0.0.1 (ephemeral port) for the judge-client tests.
// Each connection is served on its own thread: read one request (headers + Content-Length body),
// ask the handler what to do, answer with `Connection: close` (or drop the connection), close.
// Bounded: at most `maxConnections` served, accept polls so `stop()` returns promptly.

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What the server does with one request.
enum ServerAction: Sendable {
  /// Answer with a status, headers and body, after `delay` seconds.
  case reply(status: Int, headers: [String: String], body: String, delay: Double)
  /// Close the connection without answering.
  case drop
  /// Answer 200 with `body`, sending one byte every `interval` seconds.
  case trickle(body: String, interval: Double)
}

/// One received request.
struct ReceivedRequest: Sendable {
  var method: String
  var path: String
  var headers: [String: String]  // lower-cased names
  var body: Data

  /// The chat messages' contents in the request body, joined.
  var userContent: String {
    guard let obj = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
      let msgs = obj["messages"] as? [[String: Any]]
    else { return "" }
    return msgs.compactMap { $0["content"] as? String }.joined(separator: "\n")
  }
}

final class LoopbackServer: @unchecked Sendable {
  let port: UInt16
  private let listenFD: Int32
  private let lock = NSLock()
  private var _requests: [ReceivedRequest] = []
  private var stopped = false
  private let handler: @Sendable (ReceivedRequest, Int) -> ServerAction
  private let maxConnections: Int
  private var served = 0

  /// Starts a server; `handler` gets each request and its 0-based arrival number.
  init(maxConnections: Int = 500, handler: @escaping @Sendable (ReceivedRequest, Int) -> ServerAction) throws {
    self.handler = handler
    self.maxConnections = maxConnections
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw ServerError("socket failed") }
    var one: Int32 = 1
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = 0
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    let bound = withUnsafePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0, listen(fd, 64) == 0 else { close(fd); throw ServerError("bind/listen failed") }
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
    }
    port = UInt16(bigEndian: addr.sin_port)
    listenFD = fd
    let t = Thread { [self] in acceptLoop() }
    t.start()
  }

  var baseURL: String { "http://127.0.0.1:\(port)" }

  var requests: [ReceivedRequest] { lock.withLock { _requests } }

  func stop() {
    lock.withLock { stopped = true }
  }

  deinit { close(listenFD) }

  private func acceptLoop() {
    while true {
      if lock.withLock({ stopped || served >= maxConnections }) { return }
      var p = pollfd(fd: listenFD, events: Int16(POLLIN), revents: 0)
      guard poll(&p, 1, 50) > 0 else { continue }
      let c = accept(listenFD, nil, nil)
      guard c >= 0 else { continue }
      let n: Int = lock.withLock { served += 1; return served - 1 }
      let t = Thread { [self] in serve(c, number: n) }
      t.start()
    }
  }

  private func serve(_ fd: Int32, number: Int) {
    defer { close(fd) }
    guard let req = readRequest(fd) else { return }
    let index: Int = lock.withLock { _requests.append(req); return _requests.count - 1 }
    _ = number
    switch handler(req, index) {
    case .drop:
      return
    case .trickle(let body, let interval):
      let bodyData = Data(body.utf8)
      let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(bodyData.count)\r\nConnection: close\r\n\r\n"
      var out = Data(head.utf8)
      out.append(bodyData)
      for i in 0..<out.count {
        if lock.withLock({ stopped }) { return }
        let sent = out.withUnsafeBytes { send(fd, $0.baseAddress! + i, 1, Int32(MSG_NOSIGNAL)) }
        if sent <= 0 { return }
        Thread.sleep(forTimeInterval: interval)
      }
    case .reply(let status, let headers, let body, let delay):
      if delay > 0 { Thread.sleep(forTimeInterval: delay) }
      let bodyData = Data(body.utf8)
      var head = "HTTP/1.1 \(status) \(status == 200 ? "OK" : "Status")\r\n"
      head += "Content-Type: application/json\r\nContent-Length: \(bodyData.count)\r\nConnection: close\r\n"
      for (k, v) in headers { head += "\(k): \(v)\r\n" }
      head += "\r\n"
      var out = Data(head.utf8)
      out.append(bodyData)
      out.withUnsafeBytes { buf in
        var off = 0
        while off < buf.count {
          let w = send(fd, buf.baseAddress! + off, buf.count - off, Int32(MSG_NOSIGNAL))
          if w <= 0 { return }
          off += w
        }
      }
    }
  }

  private func readRequest(_ fd: Int32) -> ReceivedRequest? {
    var data = Data()
    var buf = [UInt8](repeating: 0, count: 65536)
    let sep = Data("\r\n\r\n".utf8)
    var headerEnd: Range<Data.Index>?
    var need = Int.max
    while data.count < need {
      var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
      guard poll(&p, 1, 5000) > 0 else { return nil }
      let n = recv(fd, &buf, buf.count, 0)
      guard n > 0 else { return nil }
      data.append(contentsOf: buf[0..<n])
      if headerEnd == nil, let r = data.range(of: sep) {
        headerEnd = r
        let head = String(decoding: data[..<r.lowerBound], as: UTF8.self)
        let length = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
          .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
        need = r.upperBound + length
      }
    }
    guard let r = headerEnd else { return nil }
    let lines = String(decoding: data[..<r.lowerBound], as: UTF8.self).split(separator: "\r\n")
    guard let first = lines.first else { return nil }
    let parts = first.split(separator: " ")
    var headers: [String: String] = [:]
    for l in lines.dropFirst() {
      guard let c = l.firstIndex(of: ":") else { continue }
      headers[l[..<c].lowercased()] = l[l.index(after: c)...].trimmingCharacters(in: .whitespaces)
    }
    return ReceivedRequest(method: parts.count > 0 ? String(parts[0]) : "", path: parts.count > 1 ? String(parts[1]) : "",
                           headers: headers, body: Data(data[r.upperBound...]))
  }
}

struct ServerError: Error, CustomStringConvertible {
  var description: String
  init(_ d: String) { description = d }
}

/// A chat-completions reply body.
func chatReply(_ content: String, model: String = "judge-test-1", fingerprint: String? = "fp_test") -> String {
  var obj: [String: Any] = [
    "id": "chatcmpl-test", "object": "chat.completion", "created": 1_700_000_000, "model": model,
    "choices": [["index": 0, "message": ["role": "assistant", "content": content], "finish_reason": "stop"]],
    "usage": ["prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15],
  ]
  if let fingerprint { obj["system_fingerprint"] = fingerprint }
  let data = (try? JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys])) ?? Data()
  return String(decoding: data, as: UTF8.self)
}
