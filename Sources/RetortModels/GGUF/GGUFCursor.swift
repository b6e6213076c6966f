// Bounds-checked little-endian reading of a GGUF header. Every read checks
// the remaining length first, so corrupt counts and lengths give an error
// instead of a crash or a huge allocation.

struct GGUFCursor {
  let bytes: UnsafeRawBufferPointer
  let path: String
  var pos = 0

  init(bytes: UnsafeRawBufferPointer, path: String) {
    self.bytes = bytes
    self.path = path
  }

  var remaining: Int { bytes.count - pos }

  func fail(_ what: String) -> ModelError {
    ModelError("\(path): \(what) at byte \(pos)")
  }

  mutating func need(_ n: Int, _ what: String) throws {
    guard n >= 0, n <= remaining else {
      throw fail("truncated file: \(what) needs \(n) bytes but only \(remaining) remain")
    }
  }

  mutating func load<T: FixedWidthInteger>(_: T.Type, _ what: String) throws -> T {
    let size = MemoryLayout<T>.size
    try need(size, what)
    var v: T = 0
    withUnsafeMutableBytes(of: &v) { dst in
      dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[pos..<(pos + size)]))
    }
    pos += size
    return T(littleEndian: v)
  }

  mutating func u32(_ what: String) throws -> UInt32 { try load(UInt32.self, what) }
  mutating func u64(_ what: String) throws -> UInt64 { try load(UInt64.self, what) }

  /// A count stored as u64, checked against `minBytesEach` bytes per item remaining.
  mutating func count(_ what: String, minBytesEach: Int) throws -> Int {
    let start = pos
    let raw = try u64(what)
    let limit = UInt64(remaining / max(1, minBytesEach))
    guard raw <= limit else {
      pos = start
      throw fail("corrupt file: \(what) is \(raw), but the file has room for at most \(limit)")
    }
    return Int(raw)
  }

  mutating func string(_ what: String) throws -> String {
    let start = pos
    let n = try u64("length of \(what)")
    guard n <= UInt64(remaining) else {
      pos = start
      throw fail("corrupt file: \(what) has length \(n) but only \(remaining) bytes remain")
    }
    let len = Int(n)
    let s = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[pos..<(pos + len)]), as: UTF8.self)
    pos += len
    return s
  }

  mutating func value(_ type: GGUFValueType, _ what: String, depth: Int = 0) throws -> GGUFValue {
    switch type {
    case .uint8: return .uint8(try load(UInt8.self, what))
    case .int8: return .int8(try load(Int8.self, what))
    case .uint16: return .uint16(try load(UInt16.self, what))
    case .int16: return .int16(try load(Int16.self, what))
    case .uint32: return .uint32(try load(UInt32.self, what))
    case .int32: return .int32(try load(Int32.self, what))
    case .float32: return .float32(Float(bitPattern: try load(UInt32.self, what)))
    case .bool:
      let b = try load(UInt8.self, what)
      guard b <= 1 else { throw fail("corrupt file: \(what) is a bool with value \(b)") }
      return .bool(b == 1)
    case .string: return .string(try string(what))
    case .uint64: return .uint64(try load(UInt64.self, what))
    case .int64: return .int64(try load(Int64.self, what))
    case .float64: return .float64(Double(bitPattern: try load(UInt64.self, what)))
    case .array:
      guard depth < 8 else { throw fail("corrupt file: arrays nested too deep in \(what)") }
      let code = try u32("element type of \(what)")
      guard let elem = GGUFValueType(rawValue: code) else {
        throw fail("corrupt file: unknown element type \(code) in array \(what)")
      }
      let n = try count("element count of \(what)", minBytesEach: elem.minimumBytes)
      var items: [GGUFValue] = []
      items.reserveCapacity(n)
      for i in 0..<n { items.append(try value(elem, "\(what)[\(i)]", depth: depth + 1)) }
      return .array(of: elem, items)
    }
  }
}
