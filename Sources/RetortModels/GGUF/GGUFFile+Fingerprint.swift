// A short fingerprint of a GGUF file, so logs record exactly which weights
// were used: FNV-1a over the header (metadata and tensor descriptors), the
// file size, and one 8-byte word from every 4 KiB page of the data.

extension GGUFFile {
  /// 16 hex digits identifying the file's contents.
  public var fingerprint: String {
    var h = FNV1a()
    let bytes = file.bytes
    for i in 0..<min(dataOffset, bytes.count) { h.mix(bytes[i]) }
    var size = UInt64(bytes.count)
    withUnsafeBytes(of: &size) { h.mix($0) }
    var p = dataOffset
    while p + 8 <= bytes.count {
      for k in 0..<8 { h.mix(bytes[p + k]) }
      p += 4096
    }
    return h.hex
  }
}
