// A short fingerprint of a GGUF file, so logs record exactly which weights
// were used: FNV-1a over the header (metadata and tensor descriptors), the
// file size, and one 8-byte word from every 4 KiB page of the data.

extension GGUFFile {
  /// 16 hex digits identifying the file's contents.
  public var fingerprint: String {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    @inline(__always) func mix(_ b: UInt8) { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
    let bytes = file.bytes
    for i in 0..<min(dataOffset, bytes.count) { mix(bytes[i]) }
    var size = UInt64(bytes.count)
    withUnsafeBytes(of: &size) { for b in $0 { mix(b) } }
    var p = dataOffset
    while p + 8 <= bytes.count {
      for k in 0..<8 { mix(bytes[p + k]) }
      p += 4096
    }
    let s = String(h, radix: 16)
    return String(repeating: "0", count: 16 - s.count) + s
  }
}
