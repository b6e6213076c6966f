// GGUF/ggml quantized block layouts (32 weights per block, little endian):
//
//   Q8_0  34 bytes: f16 d, int8 qs[32]              w[i] = d * qs[i]
//   Q4_0  18 bytes: f16 d, uint8 qs[16]             w[i] = d * (nib[i] - 8)
//   Q4_1  20 bytes: f16 d, f16 m, uint8 qs[16]      w[i] = d * nib[i] + m
//
// For the 4-bit types, byte j holds element j in its low nibble and element
// j + 16 in its high nibble (ggml's block_q4_0 / block_q4_1).

/// A quantized weight type as stored in GGUF files.
public enum QuantType: String, Sendable, CaseIterable {
  /// 8-bit symmetric, one f16 scale per 32 weights (ggml type 8).
  case q8_0 = "Q8_0"
  /// 4-bit symmetric, one f16 scale per 32 weights (ggml type 2).
  case q4_0 = "Q4_0"
  /// 4-bit with f16 scale and minimum per 32 weights (ggml type 3).
  case q4_1 = "Q4_1"

  /// Weights per block.
  public static let blockSize = 32

  /// Bytes per block of 32 weights.
  public var blockBytes: Int {
    switch self {
    case .q8_0: return 34
    case .q4_0: return 18
    case .q4_1: return 20
    }
  }

  /// The ggml type id (as in GGUF tensor descriptors).
  public var ggmlTypeID: Int {
    switch self {
    case .q8_0: return 8
    case .q4_0: return 2
    case .q4_1: return 3
    }
  }

  /// Bytes in one row of `cols` weights (cols must be a multiple of 32).
  public func rowBytes(cols: Int) -> Int { cols / QuantType.blockSize * blockBytes }
}

/// Reads an f16 stored at `p` (unaligned) as a Float.
@inline(__always)
func loadF16(_ p: UnsafeRawPointer) -> Float {
  #if arch(x86_64) && os(macOS)
  return Half.f16ToFloat(p.loadUnaligned(as: UInt16.self))
  #else
  return Float(Float16(bitPattern: p.loadUnaligned(as: UInt16.self)))
  #endif
}

/// Stores a Float as f16 at `p` (unaligned), rounding to nearest even.
@inline(__always)
func storeF16(_ v: Float, _ p: UnsafeMutableRawPointer) {
  p.storeBytes(of: Half.floatToF16(v), toByteOffset: 0, as: UInt16.self)
}
