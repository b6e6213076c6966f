// CurlHTTP: one HTTPS POST through libcurl's easy interface, for `https://` judge endpoints on
// Linux (OpenAI and other hosted APIs).
//
// Why not URLSession: on Linux, FoundationNetworking keeps a CPU core busy while a request waits
// for its reply (see PlainHTTP, which does the same for http without TLS). libcurl waits in
// poll(2). As PlainHTTP, each exchange runs on a thread of its own and returns the same
// HTTPReply; the whole exchange is bounded by `timeout`; cancellation is seen through libcurl's
// progress callback, which it calls at least once a second while it waits. Proxies named by the
// usual environment variables (https_proxy, no_proxy) are honoured, as libcurl does.

#if canImport(CCurl)
import CCurl
import Foundation

enum CurlHTTP {
  /// libcurl's global set-up, once, before any thread uses it (it is not thread-safe itself).
  static let ready: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK

  /// POSTs `body` to `url` on a thread of its own.
  static func post(url: URL, headers: [(String, String)], body: Data, timeout: Double) async throws -> HTTPReply {
    try await PlainHTTP.onItsOwnThread { flag in
      try exchange(url: url, headers: headers, body: body, timeout: timeout, cancelled: flag)
    }
  }

  /// What the callbacks fill in during one exchange.
  final class Transfer {
    var body: [UInt8] = []
    var headerLines: [String] = []
    let cancelled: PlainHTTP.CancelFlag
    init(_ cancelled: PlainHTTP.CancelFlag) { self.cancelled = cancelled }
  }

  /// The whole exchange, blocking.
  static func exchange(url: URL, headers: [(String, String)], body: Data, timeout: Double,
                       cancelled: PlainHTTP.CancelFlag) throws -> HTTPReply {
    guard ready, let h = curl_easy_init() else { throw HTTPFailure(description: "cannot start libcurl") }
    defer { curl_easy_cleanup(h) }
    let transfer = Transfer(cancelled)
    let context = Unmanaged.passUnretained(transfer).toOpaque()
    // No "Expect: 100-continue" round trip before the body.
    var list: UnsafeMutablePointer<curl_slist>? = nil
    for line in headers.map({ "\($0.0): \($0.1)" }) + ["Expect:"] { list = curl_slist_append(list, line) }
    defer { curl_slist_free_all(list) }
    let milliseconds = Int(min(timeout * 1000, Double(Int32.max)).rounded(.up))
    let bytes = [UInt8](body)
    let rc: CURLcode = url.absoluteString.withCString { urlText in
      bytes.withUnsafeBytes { raw in
        _ = retort_curl_set_pointer(h, CURLOPT_URL, urlText)
        _ = retort_curl_set_long(h, CURLOPT_POST, 1)
        _ = retort_curl_set_pointer(h, CURLOPT_POSTFIELDS, raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1))
        _ = retort_curl_set_long(h, CURLOPT_POSTFIELDSIZE, raw.count)
        _ = retort_curl_set_pointer(h, CURLOPT_HTTPHEADER, list)
        _ = retort_curl_set_long(h, CURLOPT_NOSIGNAL, 1)
        _ = retort_curl_set_long(h, CURLOPT_TIMEOUT_MS, milliseconds)
        _ = retort_curl_set_data_fn(h, CURLOPT_WRITEFUNCTION) { data, size, count, context in
          guard let data, let context else { return 0 }
          let t = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
          t.body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: size * count))
          return size * count
        }
        _ = retort_curl_set_pointer(h, CURLOPT_WRITEDATA, context)
        _ = retort_curl_set_data_fn(h, CURLOPT_HEADERFUNCTION) { data, size, count, context in
          guard let data, let context else { return 0 }
          let t = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
          let line = String(decoding: UnsafeRawBufferPointer(start: data, count: size * count), as: UTF8.self)
          // Each reply's status line (an interim 100, a redirect) starts its header block afresh.
          if line.hasPrefix("HTTP/") { t.headerLines = [] }
          t.headerLines.append(line.trimmingCharacters(in: .whitespacesAndNewlines))
          return size * count
        }
        _ = retort_curl_set_pointer(h, CURLOPT_HEADERDATA, context)
        _ = retort_curl_set_long(h, CURLOPT_NOPROGRESS, 0)
        _ = retort_curl_set_xferinfo_fn(h) { context, _, _, _, _ in
          guard let context else { return 0 }
          return Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue().cancelled.isSet ? 1 : 0
        }
        _ = retort_curl_set_pointer(h, CURLOPT_XFERINFODATA, context)
        return curl_easy_perform(h)
      }
    }
    switch rc {
    case CURLE_OK: break
    case CURLE_ABORTED_BY_CALLBACK: throw CancellationError()
    case CURLE_OPERATION_TIMEDOUT: throw HTTPFailure(description: "timed out after \(timeout) s")
    case CURLE_COULDNT_CONNECT: throw HTTPFailure(description: "cannot connect to host")
    case CURLE_COULDNT_RESOLVE_HOST: throw HTTPFailure(description: "cannot resolve host \(url.host ?? "")")
    default: throw HTTPFailure(description: String(cString: curl_easy_strerror(rc)))
    }
    var status = 0
    _ = retort_curl_get_long(h, CURLINFO_RESPONSE_CODE, &status)
    return HTTPReply(status: status, headers: HTTPReply.fields(transfer.headerLines.dropFirst()), body: Data(transfer.body))
  }
}
#endif
