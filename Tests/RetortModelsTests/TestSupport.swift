// Shared helpers for RetortModels tests: fixture paths, the real model's
// path (tests that need it skip with a printed reason when it is absent).

import Foundation
@testable import RetortModels

enum Fixtures {
  /// URL of a committed fixture file.
  static func url(_ name: String) throws -> URL {
    let base = (name as NSString).deletingPathExtension, ext = (name as NSString).pathExtension
    guard let u = Bundle.module.url(forResource: base, withExtension: ext, subdirectory: "Fixtures") else {
      throw ModelError("missing test fixture \(name)")
    }
    return u
  }

  /// The source-tree Fixtures folder (for regenerating fixtures).
  static var sourceDir: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
  }

  /// JSON fixture decoded as `T`.
  static func json<T: Decodable>(_ name: String, as: T.Type) throws -> T {
    try JSONDecoder().decode(T.self, from: Data(contentsOf: url(name)))
  }

  /// The reference model in the cache, or nil (with a printed reason).
  static func realModel() -> String? {
    let path = ModelCache.directory + "/smollm2-135m-instruct.q4_1.gguf"
    if FileManager.default.fileExists(atPath: path) { return path }
    print("skipping: reference model not in the cache (\(path)); run Scripts/fetch-models")
    return nil
  }

  /// A fresh temporary file path.
  static func tempPath(_ suffix: String) -> String {
    NSTemporaryDirectory() + "/retort-test-\(UUID().uuidString)\(suffix)"
  }
}
