// GPT-2's reversible mapping between bytes and printable Unicode characters,
// used by byte-level BPE vocabularies (a space is stored as "Ġ", a newline as "Ċ").

enum ByteUnicode {
  /// The character standing for each byte.
  static let encoder: [Unicode.Scalar] = {
    var table = [Unicode.Scalar](repeating: " ", count: 256)
    var n: UInt32 = 0
    for b in 0..<256 {
      let printable = (33...126).contains(b) || (161...172).contains(b) || (174...255).contains(b)
      if printable {
        table[b] = Unicode.Scalar(UInt32(b)) ?? " "
      } else {
        table[b] = Unicode.Scalar(256 + n) ?? " "
        n += 1
      }
    }
    return table
  }()

  /// The byte each mapped character stands for (nil for other characters).
  static let decoder: [UInt32: UInt8] = {
    var d: [UInt32: UInt8] = [:]
    for (b, s) in encoder.enumerated() { d[s.value] = UInt8(b) }
    return d
  }()
}
