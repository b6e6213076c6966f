// OpenAIChatBackend: POST /v1/chat/completions on any OpenAI-compatible server (OpenAI, vLLM,
// llama.cpp's llama-server, Ollama): on Linux, http over a plain socket (PlainHTTP) and https
// through libcurl (CurlHTTP), as URLSession there keeps a core busy while it waits; elsewhere
// through URLSession.
//
// Request: {"model", "messages", "temperature", "max_tokens" (when set), "seed" (when set),
// "stream": false} with `Authorization: Bearer <key>` when the key variable is set (local servers
// need none). Reply: `choices[0].message.content`; the reported model version is the reply's
// `model`, plus `system_fingerprint` when present.
// Errors: timeouts and dropped or refused connections, 429 (with its Retry-After, in seconds or as
// an HTTP date) and 5xx are retryable; other statuses and malformed replies are not.
// The key is read from the environment for each call and is redacted from every error text.

import RetortFiles
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A judge backend speaking the OpenAI chat-completions protocol.
public struct OpenAIChatBackend: JudgeBackend {
  /// The full chat-completions URL.
  public let url: URL
  /// The model name sent in each request.
  public let model: String
  /// Environment variable holding the API key.
  public let apiKeyVariable: String
  /// Seconds to wait for a reply.
  public let timeout: Double
  /// For platforms without PlainHTTP and CurlHTTP (not Linux); nil where they carry the requests.
  let session: URLSession?

  /// Creates a backend.
  /// - Parameters:
  ///   - url: base URL (`http://host:port`, `.../v1`) or the full `.../chat/completions` URL.
  ///   - model: model name.
  ///   - apiKeyVariable: environment variable with the key (default `OPENAI_API_KEY`).
  ///   - timeout: seconds per request.
  /// - Throws: `JudgeError.invalidArgument` for a URL that is not http(s) or a timeout that is not in (0, 1 year].
  public init(url: String, model: String, apiKeyVariable: String = "OPENAI_API_KEY", timeout: Double = 120) throws {
    self.url = try Self.chatCompletionsURL(url)
    guard !model.isEmpty else { throw JudgeError.invalidArgument("model: expected a model name, got an empty string") }
    // Foundation turns the timeout into whole milliseconds in an Int; a year is plenty.
    guard timeout > 0, timeout <= 31_536_000 else {
      throw JudgeError.invalidArgument("timeout: expected a positive number of seconds up to a year (31536000), got \(timeout)")
    }
    self.model = model
    self.apiKeyVariable = apiKeyVariable
    self.timeout = timeout
    if Self.transport(self.url) != .urlSession {
      session = nil
    } else {
      let config = URLSessionConfiguration.ephemeral
      config.timeoutIntervalForRequest = timeout
      config.timeoutIntervalForResource = timeout * 2
      config.connectionProxyDictionary = [:]
      config.urlCache = nil
      config.httpShouldSetCookies = false
      session = URLSession(configuration: config)
    }
  }

  /// How requests reach a server: on Linux, http over a plain socket and https over libcurl
  /// (URLSession there keeps a core busy while it waits); elsewhere URLSession.
  enum Transport { case plainSocket, curl, urlSession }

  /// The client of a transport other than URLSession: (url, headers, body, timeout) to a reply.
  static func directPost(_ transport: Transport) -> ((URL, [(String, String)], Data, Double) async throws -> HTTPReply)? {
    #if canImport(Glibc)
    if transport == .plainSocket { return { try await PlainHTTP.post(url: $0, headers: $1, body: $2, timeout: $3) } }
    #endif
    #if canImport(CCurl)
    if transport == .curl { return { try await CurlHTTP.post(url: $0, headers: $1, body: $2, timeout: $3) } }
    #endif
    return nil
  }

  static func transport(_ url: URL) -> Transport {
    #if canImport(Glibc)
    if url.scheme?.lowercased() == "http" { return .plainSocket }
    #endif
    #if canImport(CCurl)
    return .curl
    #else
    return .urlSession
    #endif
  }

  /// The chat-completions URL for a base URL.
  static func chatCompletionsURL(_ text: String) throws -> URL {
    var s = text.trimmingCharacters(in: .whitespaces)
    while s.hasSuffix("/") { s.removeLast() }
    if !s.hasSuffix("/chat/completions") { s += s.hasSuffix("/v1") ? "/chat/completions" : "/v1/chat/completions" }
    guard let u = URL(string: s), let scheme = u.scheme?.lowercased(), scheme == "http" || scheme == "https",
      u.host != nil, u.user == nil, u.password == nil
    else {
      throw JudgeError.invalidArgument(
        "url: expected an http(s) URL without credentials such as http://127.0.0.1:8080/v1, got \(text.quotedLiteral)")
    }
    let secretish = ["key", "token", "secret", "password", "auth"]
    if let items = URLComponents(url: u, resolvingAgainstBaseURL: false)?.queryItems,
      let bad = items.first(where: { q in secretish.contains { q.name.lowercased().contains($0) } })
    {
      throw JudgeError.invalidArgument(
        "url: the query parameter '\(bad.name)' looks like a credential; keys come only from the environment (api_key_env)")
    }
    return u
  }

  public var identity: BackendIdentity { BackendIdentity(endpoint: url.absoluteString, model: model) }

  var apiKey: String? {
    let k = ProcessInfo.processInfo.environment[apiKeyVariable]
    return (k?.isEmpty ?? true) ? nil : k
  }

  public var secrets: [String] { apiKey.map { [$0] } ?? [] }

  /// `timeout` bounds the whole call: URLSession's own timeout only measures
  /// silence, so a server that sends a byte a second could hold a call for minutes.
  public var deadline: Double? { timeout }

  public func complete(messages: [ChatMessage], settings: DecodingSettings) async throws -> JudgeCompletion {
    let redactor = SecretRedactor(secrets: secrets)
    var request = URLRequest(url: url, timeoutInterval: timeout)
    request.httpMethod = "POST"
    request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    if let key = apiKey { request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
    request.httpBody = try Self.requestBody(model: model, messages: messages, settings: settings)
    let (status, retryAfterText, data) = try await send(request, redactor: redactor)
    guard (200..<300).contains(status) else {
      let body = redactor.redact(String(decoding: data.prefix(500), as: UTF8.self))
      let retryAfter = retryAfterText.flatMap(Self.parseRetryAfter)
      throw BackendError(.http(status: status, body: body), retryable: status == 429 || status >= 500 || status == 408,
                         retryAfter: retryAfter)
    }
    let reply: JudgeCompletion
    do {
      reply = try Self.parseReply(data)
    } catch JudgeError.malformedResponse(let m) {
      throw BackendError(.malformedResponse(redactor.redact(m)), retryable: false)
    }
    // An empty message is a server hiccup, not an answer: retried, and never written to the ledger.
    guard !reply.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
      throw BackendError(.malformedResponse("the message content is empty"), retryable: true)
    }
    return reply
  }

  /// Sends the request by the URL's transport (see `transport`).
  /// Returns the status, the Retry-After header and the body.
  func send(_ request: URLRequest, redactor: SecretRedactor) async throws -> (Int, String?, Data) {
    do {
      if let post = Self.directPost(Self.transport(url)) {
        let headers = (request.allHTTPHeaderFields ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
          + [("Accept", "application/json")]
        let r = try await post(url, headers, request.httpBody ?? Data(), timeout)
        return (r.status, r.headers["retry-after"], r.body)
      }
      guard let session else { throw BackendError(.transport("no URL session for \(url.scheme ?? "this scheme")"), retryable: false) }
      let (data, response) = try await session.data(for: request)
      guard let http = response as? HTTPURLResponse else {
        throw BackendError(.transport("no HTTP response"), retryable: true)
      }
      return (http.statusCode, http.value(forHTTPHeaderField: "Retry-After"), data)
    } catch let e as BackendError {
      throw e
    } catch {
      let text = redactor.redact(Self.describe(error))
      throw BackendError(.transport(text), retryable: !(error is CancellationError))
    }
  }

  static func requestBody(model: String, messages: [ChatMessage], settings: DecodingSettings) throws -> Data {
    struct Body: Encodable {
      var model: String
      var messages: [ChatMessage]
      var temperature: Double
      var max_tokens: Int?
      var seed: Int?
      var stream = false
    }
    let enc = JSONEncoder()
    enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return try enc.encode(Body(model: model, messages: messages, temperature: settings.temperature,
                               max_tokens: settings.maxTokens, seed: settings.seed))
  }

  /// Parses a chat-completions reply body.
  static func parseReply(_ data: Data) throws -> JudgeCompletion {
    struct Reply: Decodable {
      struct Choice: Decodable {
        struct Message: Decodable { var content: String? }
        var message: Message?
      }
      var choices: [Choice]?
      var model: String?
      var system_fingerprint: String?
    }
    let reply: Reply
    do {
      reply = try JSONDecoder().decode(Reply.self, from: data)
    } catch {
      let excerpt = String(decoding: data.prefix(200), as: UTF8.self)
      throw JudgeError.malformedResponse("not JSON in the expected shape: \(excerpt.quotedLiteral)")
    }
    guard let content = reply.choices?.first?.message?.content else {
      throw JudgeError.malformedResponse("no choices[0].message.content")
    }
    var version = reply.model
    if let fp = reply.system_fingerprint, !fp.isEmpty { version = (version ?? "") + "@" + fp }
    return JudgeCompletion(text: content, modelVersion: version)
  }

  /// Retry-After as seconds: an integer/decimal number of seconds or an HTTP date.
  static func parseRetryAfter(_ value: String) -> Double? {
    let v = value.trimmingCharacters(in: .whitespaces)
    if let s = Double(v), s.isFinite { return max(0, s) }
    let f = DateFormatter()
    f.locale = Locale(identifier: "en_US_POSIX")
    f.timeZone = TimeZone(identifier: "GMT")
    f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
    guard let date = f.date(from: v) else { return nil }
    return max(0, date.timeIntervalSinceNow)
  }

  static func describe(_ error: Error) -> String {
    if let u = error as? URLError {
      switch u.code {
      case .timedOut: return "timed out"
      case .networkConnectionLost: return "connection dropped"
      case .cannotConnectToHost: return "cannot connect to host"
      case .badServerResponse: return "bad server response"
      default: return "URL error \(u.code.rawValue): \(u.localizedDescription)"
      }
    }
    return "\(error)"
  }
}
