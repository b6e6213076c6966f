// What a model file holds, read from its header without loading weights.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import RetortFiles

/// A summary of a GGUF model file.
public struct ModelInfo: Sendable, CustomStringConvertible {
  public var path: String
  public var name: String?
  /// Short content fingerprint (see `GGUFFile.fingerprint`).
  public var fingerprint: String
  public var architecture: String
  public var parameters: Int
  public var layers: Int?
  public var heads: Int?
  public var kvHeads: Int?
  public var dim: Int?
  public var contextLength: Int?
  public var vocabularySize: Int?
  /// Tensor count per type name (e.g. ["Q4_1": 210, "F32": 61, "Q8_0": 1]).
  public var tensorTypes: [String: Int]
  public var fileBytes: Int
  /// True for a model built in memory (trained, merged): `path` and `fileBytes` name no file.
  public var inMemory: Bool
  /// Bytes of the file currently resident in memory (nil if unknown).
  public var residentBytes: Int?
  /// All metadata except the big tokenizer arrays, as display strings.
  public var metadata: [(key: String, value: String)]
  /// The same entries as values (numbers as numbers); nil for a model built in memory.
  public var metadataValues: [(key: String, value: GGUFValue)]? = nil

  /// Reads `file`'s header.
  public init(file f: GGUFFile) {
    path = f.path
    name = f["general.name"]?.string
    fingerprint = f.fingerprint
    let arch = f["general.architecture"]?.string ?? "unknown"
    architecture = arch
    parameters = f.tensors.reduce(0) { $0 + $1.elementCount }
    layers = f[arch + ".block_count"]?.int
    heads = f[arch + ".attention.head_count"]?.int
    kvHeads = f[arch + ".attention.head_count_kv"]?.int ?? heads
    dim = f[arch + ".embedding_length"]?.int
    contextLength = f[arch + ".context_length"]?.int
    vocabularySize = f[arch + ".vocab_size"]?.int ?? f["tokenizer.ggml.tokens"]?.array?.count
    tensorTypes = Dictionary(f.tensors.map { ($0.type.name, 1) }, uniquingKeysWith: +)
    fileBytes = f.file.count
    inMemory = f.file.inMemory
    residentBytes = ModelInfo.resident(f.file)
    metadata = f.metadata.map { ($0.key, $0.value.summary) }
    metadataValues = f.metadata
  }

  /// Reads the header of `nameOrPath` without loading weights.
  public init(_ nameOrPath: String) throws {
    self.init(file: try GGUFFile(path: ModelCache.resolve(nameOrPath)))
  }

  /// Pages of the mapping in memory, via mincore.
  static func resident(_ m: MappedFile) -> Int? {
    #if os(Linux)
    guard let base = m.base, m.count > 0 else { return 0 }
    let page = Int(sysconf(Int32(_SC_PAGESIZE)))
    let pages = (m.count + page - 1) / page
    var vec = [UInt8](repeating: 0, count: pages)
    guard mincore(UnsafeMutableRawPointer(mutating: base), m.count, &vec) == 0 else { return nil }
    return vec.reduce(0) { $0 + Int($1 & 1) } * page
    #else
    return nil
    #endif
  }

  /// Parameter count as "135M" / "1.2B".
  public var parameterText: String {
    let p = Double(parameters)
    if p >= 1e9 { return String(format: "%.1fB", p / 1e9) }
    if p >= 1e6 { return String(format: "%.0fM", p / 1e6) }
    return String(format: "%.0fK", p / 1e3)
  }

  public var description: String { summary() }

  /// "context length 8192", with " (loaded with 2048)" when generation holds fewer tokens.
  public static func contextText(_ length: Int, loaded: Int? = nil) -> String {
    "context length \(length)" + (loaded.map { $0 == length ? "" : " (loaded with \($0))" } ?? "")
  }

  /// The description, naming the context the model was loaded with (`loadedContext`) when it is not the file's.
  public func summary(loadedContext: Int? = nil) -> String {
    let types = tensorTypes.sorted { $0.value > $1.value }.map { "\($0.key) x\($0.value)" }.joined(separator: ", ")
    func mb(_ b: Int) -> String { String(format: "%.1f MB", Double(b) / 1_048_576) }
    var lines = ["model \(name ?? (path as NSString).lastPathComponent) [\(fingerprint)]",
                 "  architecture \(architecture), \(parameterText) parameters (\(parameters))"]
    if let layers, let heads, let kvHeads, let dim {
      lines.append("  \(counted(layers, "layer")), width \(dim), \(heads) heads, \(kvHeads) KV heads")
    }
    if let contextLength {
      lines.append("  " + Self.contextText(contextLength, loaded: loadedContext) + (vocabularySize.map { ", vocabulary \($0)" } ?? ""))
    }
    lines.append("  tensors: \(types)")
    lines.append("  file \((path as NSString).lastPathComponent), \(mb(fileBytes))" + (residentBytes.map { ", resident \(mb($0))" } ?? ""))
    return lines.joined(separator: "\n")
  }
}

extension LlamaModel {
  /// The model file's summary (fingerprint, shape, tensor types, memory);
  /// the fingerprint is the model's (it includes applied adapters).
  public var info: ModelInfo {
    var i = ModelInfo(file: file)
    i.fingerprint = fingerprint
    return i
  }
}
