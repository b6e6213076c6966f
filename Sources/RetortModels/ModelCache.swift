// The model cache: where `load("smollm2")` looks for known models.

import Foundation

/// Resolves model names and paths against the cache (`$RETORT_MODELS`,
/// default `~/.cache/retort/models`).
public enum ModelCache {
  /// The cache directory.
  public static var directory: String {
    if let d = ProcessInfo.processInfo.environment["RETORT_MODELS"], !d.isEmpty { return d }
    return NSHomeDirectory() + "/.cache/retort/models"
  }

  /// Known short names and their file names in the cache.
  public static let known: [String: String] = [
    "smollm2": "smollm2-135m-instruct.q4_1.gguf",
    "smollm2-135m": "smollm2-135m-instruct.q4_1.gguf",
    "smollm2-135m-instruct": "smollm2-135m-instruct.q4_1.gguf",
  ]

  /// The Hugging Face model each known file was converted from, for PEFT's
  /// `base_model_name_or_path` (so `peft` finds the base without being told).
  public static let huggingFaceRepos: [String: String] = [
    "smollm2-135m-instruct.q4_1.gguf": "HuggingFaceTB/SmolLM2-135M-Instruct",
  ]

  /// The Hugging Face id of the known model file at `path`, if it is one.
  public static func huggingFaceRepo(forFile path: String) -> String? {
    huggingFaceRepos[(path as NSString).lastPathComponent.lowercased()]
  }

  /// The path for `nameOrPath`: an existing file path as is, or a known name
  /// in the cache. A missing model's error gives the command that fetches it.
  public static func resolve(_ nameOrPath: String) throws -> String {
    let fm = FileManager.default
    if let file = known[nameOrPath.lowercased()] {
      let path = directory + "/" + file
      guard fm.fileExists(atPath: path) else {
        throw ModelError("model '\(nameOrPath)' is not in the cache (\(path)); fetch it with: Scripts/fetch-models")
      }
      return path
    }
    let expanded = (nameOrPath as NSString).expandingTildeInPath
    if fm.fileExists(atPath: expanded) { return expanded }
    let inCache = directory + "/" + nameOrPath
    if fm.fileExists(atPath: inCache) { return inCache }
    let names = known.keys.sorted().joined(separator: ", ")
    throw ModelError("no model file '\(nameOrPath)' (not a path, not in \(directory); known names: \(names))")
  }
}
