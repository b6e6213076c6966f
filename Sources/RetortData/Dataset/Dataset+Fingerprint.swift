// A short content fingerprint so a session log records exactly which data
// was used: a 64-bit FNV-1a hash over each record's compact JSON (original
// field names and order; infinities and NaN as Python writes them, so they
// differ from null) followed by a newline, shown as 12 hex digits.
// It depends only on the records, not on the file they came from.

extension Dataset {
  /// 12 hex digits identifying the records' content and order.
  public var fingerprint: String {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    var buf: [UInt8] = []
    for r in records {
      buf.removeAll(keepingCapacity: true)
      JSONWriter.write(r.fields, to: &buf, nonFiniteAsNull: false)
      buf.append(0x0A)
      for b in buf {
        h ^= UInt64(b)
        h = h &* 0x0000_0100_0000_01B3
      }
    }
    let hex = String(h, radix: 16)
    let full = String(repeating: "0", count: 16 - hex.count) + hex
    return String(full.prefix(12))
  }
}
