// FNV-1a, the 64-bit hash behind the short fingerprints that name weights
// (GGUF files, adapted models) and the keys that check a run may resume.

/// A running 64-bit FNV-1a hash over bytes.
struct FNV1a {
  private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

  @inline(__always) mutating func mix(_ byte: UInt8) { value = (value ^ UInt64(byte)) &* 0x100_0000_01b3 }

  mutating func mix(_ bytes: UnsafeRawBufferPointer) { for b in bytes { mix(b) } }

  /// The bytes of `count` values at `p`.
  mutating func mix<T>(_ p: UnsafePointer<T>, count: Int) {
    mix(UnsafeRawBufferPointer(start: p, count: count * MemoryLayout<T>.stride))
  }

  /// 16 lower-case hex digits.
  var hex: String { FNV1a.hex(value) }

  /// A hash value as 16 lower-case hex digits.
  static func hex(_ v: UInt64) -> String {
    let s = String(v, radix: 16)
    return String(repeating: "0", count: 16 - s.count) + s
  }
}
