// Serialises JSON values as compact UTF-8 text: keys in the object's own
// order, non-ASCII written as-is (like Python's ensure_ascii=False), control
// characters escaped, non-finite numbers written as null (or, for
// fingerprints, as Python's Infinity / -Infinity / NaN, so they differ).

/// Writes JSON text.
public enum JSONWriter {
  /// Compact JSON text of `value`.
  public static func string(_ value: JSONValue) -> String {
    var out: [UInt8] = []
    write(value, to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  /// Appends the compact JSON text of `value` to `out`; `nonFiniteAsNull`
  /// false writes Python's Infinity, -Infinity and NaN (not JSON) instead.
  public static func write(_ value: JSONValue, to out: inout [UInt8], nonFiniteAsNull: Bool = true) {
    switch value {
    case .null: out.append(contentsOf: "null".utf8)
    case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
    case .int(let i): out.append(contentsOf: String(i).utf8)
    case .double(let d):
      if d.isFinite {
        // Whole doubles keep a ".0" so they load back as doubles.
        out.append(contentsOf: d.description.utf8)
      } else {
        out.append(contentsOf: (nonFiniteAsNull ? "null" : d.isNaN ? "NaN" : d < 0 ? "-Infinity" : "Infinity").utf8)
      }
    case .string(let s): writeString(s, to: &out)
    case .array(let items):
      out.append(UInt8(ascii: "["))
      for (i, item) in items.enumerated() {
        if i > 0 { out.append(UInt8(ascii: ",")) }
        write(item, to: &out, nonFiniteAsNull: nonFiniteAsNull)
      }
      out.append(UInt8(ascii: "]"))
    case .object(let object): write(object, to: &out, nonFiniteAsNull: nonFiniteAsNull)
    }
  }

  /// Appends `{"k": v, ...}` with `", "` and `": "` separators, the layout of
  /// Python's `json.dumps`, so saved files look like the originals.
  public static func write(_ object: JSONObject, to out: inout [UInt8], nonFiniteAsNull: Bool = true) {
    out.append(UInt8(ascii: "{"))
    var first = true
    for (k, v) in object {
      if !first { out.append(UInt8(ascii: ",")); out.append(UInt8(ascii: " ")) }
      first = false
      writeString(k, to: &out)
      out.append(UInt8(ascii: ":"))
      out.append(UInt8(ascii: " "))
      write(v, to: &out, nonFiniteAsNull: nonFiniteAsNull)
    }
    out.append(UInt8(ascii: "}"))
  }

  /// Appends a quoted, escaped string.
  public static func writeString(_ s: String, to out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    var s = s
    s.withUTF8 { bytes in
      var runStart = 0
      for i in 0..<bytes.count {
        let c = bytes[i]
        if c >= 0x20 && c != 0x22 && c != 0x5C { continue }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i]))
        runStart = i + 1
        switch c {
        case 0x22: out.append(contentsOf: "\\\"".utf8)
        case 0x5C: out.append(contentsOf: "\\\\".utf8)
        case 0x0A: out.append(contentsOf: "\\n".utf8)
        case 0x0D: out.append(contentsOf: "\\r".utf8)
        case 0x09: out.append(contentsOf: "\\t".utf8)
        case 0x08: out.append(contentsOf: "\\b".utf8)
        case 0x0C: out.append(contentsOf: "\\f".utf8)
        default:
          let hex = Array("0123456789abcdef".utf8)
          out.append(contentsOf: "\\u00".utf8)
          out.append(hex[Int(c >> 4)])
          out.append(hex[Int(c & 15)])
        }
      }
      out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
    }
    out.append(UInt8(ascii: "\""))
  }
}
