// JudgeBackend: what answers a judge's chat messages — an OpenAI-compatible endpoint
// (`OpenAIChatBackend`) or a local model plugged in by the caller (`ClosureBackend`).

/// One chat message.
public struct ChatMessage: Sendable, Codable, Hashable {
  /// `system`, `user` or `assistant`.
  public var role: String
  /// The text.
  public var content: String

  /// Creates a message.
  public init(role: String, content: String) {
    self.role = role
    self.content = content
  }
}

/// Decoding settings sent with every judge call (part of the ledger key).
public struct DecodingSettings: Sendable, Codable, Hashable {
  /// Sampling temperature (BELLE used 0).
  public var temperature: Double
  /// Maximum tokens of the reply; nil leaves it to the endpoint.
  public var maxTokens: Int?
  /// Sampling seed sent to endpoints that accept one; nil sends none.
  public var seed: Int?

  /// Creates settings.
  public init(temperature: Double = 0, maxTokens: Int? = 1024, seed: Int? = nil) {
    self.temperature = temperature
    self.maxTokens = maxTokens
    self.seed = seed
  }
}

/// A judge model's reply.
public struct JudgeCompletion: Sendable, Codable, Equatable {
  /// The reply text.
  public var text: String
  /// The model version the endpoint reported (`model`, plus `system_fingerprint` when given).
  public var modelVersion: String?

  /// Creates a completion.
  public init(text: String, modelVersion: String? = nil) {
    self.text = text
    self.modelVersion = modelVersion
  }
}

/// Where judge calls go; `endpoint` and `model` are part of every ledger key.
public struct BackendIdentity: Sendable, Codable, Hashable {
  /// The endpoint URL (credentials removed) or `local:<name>` for local models.
  public var endpoint: String
  /// The model name requested.
  public var model: String

  /// Creates an identity.
  public init(endpoint: String, model: String) {
    self.endpoint = endpoint
    self.model = model
  }
}

/// A backend failure, with whether retrying may help.
public struct BackendError: Error, Sendable, CustomStringConvertible {
  /// What went wrong.
  public var error: JudgeError
  /// True for timeouts, dropped connections, 429 and 5xx.
  public var retryable: Bool
  /// Seconds the server asked to wait (Retry-After), if any.
  public var retryAfter: Double?

  /// Creates a backend error.
  public init(_ error: JudgeError, retryable: Bool, retryAfter: Double? = nil) {
    self.error = error
    self.retryable = retryable
    self.retryAfter = retryAfter
  }

  public var description: String { error.description }
}

/// Answers chat messages. Implementations throw `BackendError` to say whether a retry may help;
/// any other error is recorded for the item without retrying.
public protocol JudgeBackend: Sendable {
  /// Endpoint and model, used in ledger keys.
  var identity: BackendIdentity { get }
  /// Text that must never appear in errors or files (API keys); empty when none.
  var secrets: [String] { get }
  /// One completion for `messages`.
  func complete(messages: [ChatMessage], settings: DecodingSettings) async throws -> JudgeCompletion
  /// Seconds after which a call is abandoned as timed out, however it is going (nil: none).
  var deadline: Double? { get }
}

extension JudgeBackend {
  /// No secrets by default.
  public var secrets: [String] { [] }
  /// No deadline by default.
  public var deadline: Double? { nil }
}

/// A backend from a closure: the way to plug in a local model (`judge.model(m, ...)`).
public struct ClosureBackend: JudgeBackend {
  public let identity: BackendIdentity
  let body: @Sendable ([ChatMessage], DecodingSettings) async throws -> String

  /// Creates a backend named `local:<name>` that answers with `complete`.
  /// - Parameters:
  ///   - name: a name that identifies the model and its weights (e.g. file name and size), part of the ledger key.
  ///   - complete: produces the reply text for the messages and settings.
  public init(name: String, complete: @escaping @Sendable ([ChatMessage], DecodingSettings) async throws -> String) {
    identity = BackendIdentity(endpoint: "local:\(name)", model: name)
    body = complete
  }

  public func complete(messages: [ChatMessage], settings: DecodingSettings) async throws -> JudgeCompletion {
    JudgeCompletion(text: try await body(messages, settings), modelVersion: identity.model)
  }
}
