// PlainHTTP: one HTTP/1.1 POST over a plain TCP socket, for `http://` judge endpoints (llama-server,
// vLLM, Ollama on this machine or the local network).
//
// Why not URLSession: on Linux, FoundationNetworking keeps a CPU core busy while a request waits
// for its reply (measured: 4 s of CPU in a 5 s wait). A local judge server needs that core; a
// socket waiting in poll(2) costs nothing. `https://` endpoints still go through URLSession.
//
// The exchange: connect (each address getaddrinfo gives, in turn), send the request with
// `Connection: close`, read the reply until the body is complete (Content-Length, chunked, or the
// server closing). The socket waits in poll slices of 50 ms, so cancellation is seen at once;
// the whole exchange is bounded by `timeout`. It runs on a thread of its own, never on Swift's
// cooperative pool, which a blocking wait would starve.

#if canImport(Glibc)
import Foundation
import Glibc

/// A reply: status, headers (names lower-cased) and body.
struct HTTPReply: Sendable {
  var status: Int
  var headers: [String: String]
  var body: Data

  /// Header fields from `Name: value` lines (names lower-cased, values trimmed; other lines skipped).
  static func fields<S: Sequence>(_ lines: S) -> [String: String] where S.Element == String {
    var out: [String: String] = [:]
    for line in lines {
      guard let colon = line.firstIndex(of: ":") else { continue }
      out[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    return out
  }
}

/// Why an exchange failed; each is worth a retry (the server may be restarting or busy).
struct HTTPFailure: Error, CustomStringConvertible, Equatable {
  let description: String
}

enum PlainHTTP {
  static let timedOut = "timed out"

  /// POSTs `body` to `url` (an http URL) on a thread of its own.
  static func post(url: URL, headers: [(String, String)], body: Data, timeout: Double) async throws -> HTTPReply {
    try await onItsOwnThread { flag in
      do { return try exchange(url: url, headers: headers, body: body, timeout: timeout, cancelled: flag) } catch let e as HTTPFailure
        where e.description == timedOut {
        // As the deadline of the call says it (CallRace).
        throw HTTPFailure(description: "timed out after \(timeout) s")
      }
    }
  }

  /// Runs a blocking exchange on a thread of its own (never on Swift's cooperative pool, which a
  /// blocking wait would starve); cancelling the task sets the flag the exchange looks at.
  static func onItsOwnThread(_ exchange: @escaping @Sendable (CancelFlag) throws -> HTTPReply) async throws -> HTTPReply {
    let flag = CancelFlag()
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { (c: CheckedContinuation<HTTPReply, Error>) in
        Thread { c.resume(with: Result { try exchange(flag) }) }.start()
      }
    } onCancel: {
      flag.set()
    }
  }

  final class CancelFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
  }

  /// The whole exchange, blocking.
  static func exchange(url: URL, headers: [(String, String)], body: Data, timeout: Double, cancelled: CancelFlag) throws -> HTTPReply {
    guard let host = url.host else { throw HTTPFailure(description: "the URL has no host") }
    let port = url.port ?? 80
    let deadline = Date().addingTimeInterval(timeout)
    let fd = try connect(host: host, port: port, deadline: deadline, cancelled: cancelled)
    defer { close(fd) }
    var path = url.path.isEmpty ? "/" : url.path
    if let q = url.query { path += "?" + q }
    var head = "POST \(path) HTTP/1.1\r\nHost: \(url.port == nil ? host : "\(host):\(port)")\r\n"
    for (name, value) in headers { head += "\(name): \(value)\r\n" }
    head += "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
    try send(fd, Data(head.utf8) + body, deadline: deadline, cancelled: cancelled)
    return try receive(fd, deadline: deadline, cancelled: cancelled)
  }

  /// Waits until `fd` is ready for `events`, in slices that notice cancellation and the deadline.
  static func wait(_ fd: Int32, _ events: Int16, deadline: Date, cancelled: CancelFlag) throws {
    while true {
      if cancelled.isSet { throw CancellationError() }
      let left = deadline.timeIntervalSinceNow
      if left <= 0 { throw HTTPFailure(description: timedOut) }
      var p = pollfd(fd: fd, events: events, revents: 0)
      let r = poll(&p, 1, Int32(min(50, max(1, left * 1000))))
      if r > 0 { return }
      if r < 0 && errno != EINTR { throw HTTPFailure(description: "poll failed: \(String(cString: strerror(errno)))") }
    }
  }

  static func connect(host: String, port: Int, deadline: Date, cancelled: CancelFlag) throws -> Int32 {
    var hints = addrinfo()
    hints.ai_family = AF_UNSPEC
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    var list: UnsafeMutablePointer<addrinfo>?
    let rc = getaddrinfo(host, String(port), &hints, &list)
    guard rc == 0, let first = list else {
      throw HTTPFailure(description: "cannot resolve host \(host): \(String(cString: gai_strerror(rc)))")
    }
    defer { freeaddrinfo(first) }
    var reason = "cannot connect to host"
    var node: UnsafeMutablePointer<addrinfo>? = first
    while let a = node {
      node = a.pointee.ai_next
      let fd = socket(a.pointee.ai_family, a.pointee.ai_socktype, a.pointee.ai_protocol)
      if fd < 0 { continue }
      _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
      if Glibc.connect(fd, a.pointee.ai_addr, a.pointee.ai_addrlen) == 0 { return fd }
      guard errno == EINPROGRESS else {
        reason = "cannot connect to host (\(String(cString: strerror(errno))))"
        close(fd)
        continue
      }
      do { try wait(fd, Int16(POLLOUT), deadline: deadline, cancelled: cancelled) } catch {
        close(fd)
        throw error
      }
      var err: Int32 = 0
      var len = socklen_t(MemoryLayout<Int32>.size)
      getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len)
      if err == 0 { return fd }
      reason = "cannot connect to host (\(String(cString: strerror(err))))"
      close(fd)
    }
    throw HTTPFailure(description: reason)
  }

  static func send(_ fd: Int32, _ data: Data, deadline: Date, cancelled: CancelFlag) throws {
    try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
      guard let base = raw.baseAddress else { return }
      var sent = 0
      while sent < raw.count {
        let n = Glibc.send(fd, base + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
        if n > 0 { sent += n; continue }
        if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
          try wait(fd, Int16(POLLOUT), deadline: deadline, cancelled: cancelled)
          continue
        }
        throw HTTPFailure(description: "connection dropped while sending")
      }
    }
  }

  static func receive(_ fd: Int32, deadline: Date, cancelled: CancelFlag) throws -> HTTPReply {
    var reader = ReplyReader()
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    while true {
      if let reply = try reader.reply(closed: false) { return reply }
      try wait(fd, Int16(POLLIN), deadline: deadline, cancelled: cancelled)
      let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
      if n > 0 {
        reader.append(chunk[0..<n])
      } else if n == 0 {
        guard let reply = try reader.reply(closed: true) else { throw HTTPFailure(description: "connection dropped") }
        return reply
      } else if errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR {
        throw HTTPFailure(description: "connection dropped (\(String(cString: strerror(errno))))")
      }
    }
  }

  /// The reply in `bytes` (all that has arrived), or nil while it is incomplete and the server
  /// has not `closed` the connection.
  static func parse(_ bytes: [UInt8], closed: Bool) throws -> HTTPReply? {
    var reader = ReplyReader()
    reader.append(bytes[...])
    return try reader.reply(closed: closed)
  }

  static func find(_ needle: [UInt8], in bytes: [UInt8], from: Int) -> Int? {
    guard bytes.count >= needle.count, from <= bytes.count - needle.count else { return nil }
    for i in from...(bytes.count - needle.count) where bytes[i] == needle[0] {
      if needle.indices.allSatisfy({ bytes[i + $0] == needle[$0] }) { return i }
    }
    return nil
  }
}

/// A reply read as it arrives: the head is parsed once, and each new piece is looked at from
/// where the last one left off (the body's length checked, chunks decoded), so a large reply
/// costs time in proportion to its size, not to its size squared.
struct ReplyReader {
  private var bytes: [UInt8] = []
  /// Where the current head starts (past any interim 1xx replies), and where the search for its end resumes.
  private var headStart = 0, searched = 0
  private var head: (status: Int, headers: [String: String], bodyStart: Int)? = nil
  /// A chunked body: the next chunk's size line, and the chunks decoded so far.
  private var chunkAt = 0
  private var body: [UInt8] = []

  mutating func append(_ more: ArraySlice<UInt8>) { bytes.append(contentsOf: more) }

  /// The complete reply, or nil while more is to come; a connection `closed` before the reply
  /// is complete is an error.
  mutating func reply(closed: Bool) throws -> HTTPReply? {
    func incomplete() throws -> HTTPReply? {
      if closed { throw HTTPFailure(description: head == nil && !bytes.isEmpty ? "bad server response" : "connection dropped") }
      return nil
    }
    while head == nil {
      guard let end = PlainHTTP.find([13, 10, 13, 10], in: bytes, from: searched) else {
        searched = max(headStart, bytes.count - 3)
        return try incomplete()
      }
      let lines = String(decoding: bytes[headStart..<end], as: UTF8.self).components(separatedBy: "\r\n")
      let statusWords = lines.first?.split(separator: " ") ?? []
      guard statusWords.count >= 2, statusWords[0].hasPrefix("HTTP/"), let status = Int(statusWords[1]) else {
        throw HTTPFailure(description: "bad server response")
      }
      // An interim reply (100 Continue): the real one follows.
      if (100..<200).contains(status) {
        headStart = end + 4; searched = end + 4
        continue
      }
      head = (status, HTTPReply.fields(lines.dropFirst()), end + 4)
      chunkAt = end + 4
    }
    guard let (status, headers, bodyStart) = head else { return nil }
    if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
      while true {
        guard let lineEnd = PlainHTTP.find([13, 10], in: bytes, from: chunkAt) else { return try incomplete() }
        let sizeText = String(decoding: bytes[chunkAt..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
        guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size >= 0 else {
          throw HTTPFailure(description: "bad server response (chunk size)")
        }
        if size == 0 { return HTTPReply(status: status, headers: headers, body: Data(body)) }
        let dataStart = lineEnd + 2
        guard bytes.count - dataStart >= size + 2 else { return try incomplete() }
        body.append(contentsOf: bytes[dataStart..<(dataStart + size)])
        chunkAt = dataStart + size + 2
      }
    }
    if let lengthText = headers["content-length"] {
      guard let length = Int(lengthText), length >= 0 else { throw HTTPFailure(description: "bad server response") }
      if bytes.count - bodyStart >= length { return HTTPReply(status: status, headers: headers, body: Data(bytes[bodyStart..<(bodyStart + length)])) }
      return try incomplete()
    }
    return closed ? HTTPReply(status: status, headers: headers, body: Data(bytes[bodyStart...])) : nil
  }
}
#endif
