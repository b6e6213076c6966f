// SecretRedactor: removes API keys from any text before it is stored, shown or thrown.
// Exact secrets are replaced, and so are `Bearer <token>` and OpenAI-style `sk-...` keys, because
// endpoints echo keys back in error bodies ("Incorrect API key provided: sk-ab***yz").

import Foundation

/// Replaces secrets in text with `***`.
public struct SecretRedactor: Sendable {
  let secrets: [String]

  /// A redactor for these secrets (empty strings are ignored).
  public init(secrets: [String]) {
    self.secrets = secrets.filter { $0.count >= 4 }.sorted { $0.count > $1.count }
  }

  /// `text` with every secret, bearer token and `sk-` key replaced by `***`.
  public func redact(_ text: String) -> String {
    var out = redactExact(text)
    out = out.replacing(#/(?i)(bearer\s+)[^\s"',;]+/#) { "\($0.output.1)***" }
    out = out.replacing(#/sk-[A-Za-z0-9_\-*]{4,}/#) { _ in "sk-***" }
    return out
  }

  /// `text` with only the known secrets replaced: for the user's own data (questions and
  /// answers), where "the bearer of bad news" or code mentioning `sk-...` are not keys.
  public func redactExact(_ text: String) -> String {
    var out = text
    for s in secrets where out.contains(s) { out = out.replacingOccurrences(of: s, with: "***") }
    return out
  }
}
