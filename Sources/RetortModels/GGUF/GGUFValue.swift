// Metadata values of a GGUF file: every scalar type, strings and
// (possibly nested) arrays.

/// The type code of a GGUF metadata value.
public enum GGUFValueType: UInt32, Sendable, CaseIterable {
  case uint8 = 0, int8 = 1, uint16 = 2, int16 = 3, uint32 = 4, int32 = 5, float32 = 6
  case bool = 7, string = 8, array = 9, uint64 = 10, int64 = 11, float64 = 12

  /// Smallest encoded size of one value, used to bound array counts.
  var minimumBytes: Int {
    switch self {
    case .uint8, .int8, .bool: return 1
    case .uint16, .int16: return 2
    case .uint32, .int32, .float32: return 4
    case .uint64, .int64, .float64, .string: return 8
    case .array: return 12
    }
  }
}

/// One metadata value.
public enum GGUFValue: Sendable, Equatable {
  case uint8(UInt8), int8(Int8), uint16(UInt16), int16(Int16), uint32(UInt32), int32(Int32)
  case float32(Float), bool(Bool), string(String), uint64(UInt64), int64(Int64), float64(Double)
  /// An array whose elements all have type `of` (kept so empty arrays round-trip).
  case array(of: GGUFValueType, [GGUFValue])

  /// The value's type code.
  public var type: GGUFValueType {
    switch self {
    case .uint8: return .uint8
    case .int8: return .int8
    case .uint16: return .uint16
    case .int16: return .int16
    case .uint32: return .uint32
    case .int32: return .int32
    case .float32: return .float32
    case .bool: return .bool
    case .string: return .string
    case .uint64: return .uint64
    case .int64: return .int64
    case .float64: return .float64
    case .array: return .array
    }
  }

  /// Any integer value as Int (nil for other types or out of range).
  public var int: Int? {
    switch self {
    case .uint8(let v): return Int(v)
    case .int8(let v): return Int(v)
    case .uint16(let v): return Int(v)
    case .int16(let v): return Int(v)
    case .uint32(let v): return Int(v)
    case .int32(let v): return Int(v)
    case .uint64(let v): return Int(exactly: v)
    case .int64(let v): return Int(v)
    case .bool(let v): return v ? 1 : 0
    default: return nil
    }
  }

  /// Any numeric value as Double.
  public var double: Double? {
    switch self {
    case .float32(let v): return Double(v)
    case .float64(let v): return v
    default: return int.map(Double.init)
    }
  }

  /// The string, if this is a string.
  public var string: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  /// The elements, if this is an array.
  public var array: [GGUFValue]? {
    if case .array(_, let a) = self { return a }
    return nil
  }

  /// A short rendering for display (long arrays are elided).
  public var summary: String {
    switch self {
    case .string(let s):
      let short = s.count > 80 ? String(s.prefix(77)) + "..." : s
      return "\"" + short.replacingOccurrences(of: "\n", with: "\\n") + "\""
    case .array(let t, let a):
      let head = a.prefix(4).map(\.summary).joined(separator: ", ")
      return "[\(t) x \(a.count)] [" + head + (a.count > 4 ? ", ..." : "") + "]"
    case .bool(let b): return b ? "true" : "false"
    case .float32(let v): return "\(v)"
    case .float64(let v): return "\(v)"
    default: return int.map { "\($0)" } ?? "?"
    }
  }
}
