// Tensor element types as numbered by ggml, with block layout for each.

/// A ggml tensor type. Every type ggml defines is known by name and block
/// layout (so files can be inspected); only `isSupported` ones can be loaded.
public struct GGMLType: Hashable, Sendable, CustomStringConvertible {
  public let rawValue: UInt32
  /// Name as ggml spells it (`Q4_1`, `Q5_K`, ...).
  public let name: String
  /// Elements per quantization block (1 for plain types).
  public let blockSize: Int
  /// Bytes per block.
  public let blockBytes: Int

  public static let f32 = GGMLType(0, "F32", 1, 4)
  public static let f16 = GGMLType(1, "F16", 1, 2)
  public static let q4_0 = GGMLType(2, "Q4_0", 32, 18)
  public static let q4_1 = GGMLType(3, "Q4_1", 32, 20)
  public static let q8_0 = GGMLType(8, "Q8_0", 32, 34)
  public static let bf16 = GGMLType(30, "BF16", 1, 2)

  /// Every type ggml defines, supported or not.
  public static let all: [GGMLType] = [
    .f32, .f16, .q4_0, .q4_1,
    GGMLType(6, "Q5_0", 32, 22), GGMLType(7, "Q5_1", 32, 24), .q8_0, GGMLType(9, "Q8_1", 32, 36),
    GGMLType(10, "Q2_K", 256, 84), GGMLType(11, "Q3_K", 256, 110), GGMLType(12, "Q4_K", 256, 144),
    GGMLType(13, "Q5_K", 256, 176), GGMLType(14, "Q6_K", 256, 210), GGMLType(15, "Q8_K", 256, 292),
    GGMLType(16, "IQ2_XXS", 256, 66), GGMLType(17, "IQ2_XS", 256, 74), GGMLType(18, "IQ3_XXS", 256, 98),
    GGMLType(19, "IQ1_S", 256, 50), GGMLType(20, "IQ4_NL", 32, 18), GGMLType(21, "IQ3_S", 256, 110),
    GGMLType(22, "IQ2_S", 256, 82), GGMLType(23, "IQ4_XS", 256, 136), GGMLType(24, "I8", 1, 1),
    GGMLType(25, "I16", 1, 2), GGMLType(26, "I32", 1, 4), GGMLType(27, "I64", 1, 8),
    GGMLType(28, "F64", 1, 8), GGMLType(29, "IQ1_M", 256, 56), .bf16,
    GGMLType(34, "TQ1_0", 256, 54), GGMLType(35, "TQ2_0", 256, 66),
  ]

  /// Types this library can load and compute with.
  public static let supported: Set<UInt32> = [0, 1, 2, 3, 8, 30]

  init(_ raw: UInt32, _ name: String, _ blockSize: Int, _ blockBytes: Int) {
    self.rawValue = raw
    self.name = name
    self.blockSize = blockSize
    self.blockBytes = blockBytes
  }

  /// The type numbered `raw`, or nil if ggml defines no such type.
  public init?(rawValue raw: UInt32) {
    guard let t = GGMLType.all.first(where: { $0.rawValue == raw }) else { return nil }
    self = t
  }

  /// The type named `name` (case-insensitive), or nil.
  public init?(name: String) {
    guard let t = GGMLType.all.first(where: { $0.name.lowercased() == name.lowercased() }) else { return nil }
    self = t
  }

  /// Whether tensors of this type can be loaded.
  public var isSupported: Bool { GGMLType.supported.contains(rawValue) }

  public var description: String { name }

  /// Bytes taken by `count` elements (which must be a multiple of `blockSize`).
  public func byteCount(elements count: Int) -> Int { count / blockSize * blockBytes }

  public static func == (a: GGMLType, b: GGMLType) -> Bool { a.rawValue == b.rawValue }
  public func hash(into h: inout Hasher) { h.combine(rawValue) }
}
