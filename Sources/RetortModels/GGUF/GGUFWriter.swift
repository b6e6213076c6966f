// Writes GGUF version 3 files: metadata of every type and tensors of any
// type given as raw bytes (see Quantize.swift to produce quantized blocks).

import Foundation
import RetortFiles

/// Builds a GGUF file in memory and writes it out.
public struct GGUFWriter {
  /// Metadata entries in the order they are written.
  public var metadata: [(key: String, value: GGUFValue)] = []
  /// Tensors in the order they are written.
  public private(set) var tensors: [(name: String, shape: [Int], type: GGMLType, data: [UInt8])] = []
  /// Data alignment.
  public var alignment = 32

  public init() {}

  /// Adds (or replaces) a metadata entry.
  public mutating func set(_ key: String, _ value: GGUFValue) {
    if let i = metadata.firstIndex(where: { $0.key == key }) {
      metadata[i].value = value
    } else {
      metadata.append((key, value))
    }
    if key == "general.alignment", let n = value.int { alignment = n }
  }

  /// Adds a tensor whose data is already encoded as `type` (ggml dimension order).
  public mutating func add(tensor name: String, shape: [Int], type: GGMLType, data: [UInt8]) throws {
    let n = shape.reduce(1, *)
    guard !shape.isEmpty, shape.count <= 4, shape.allSatisfy({ $0 > 0 }) else {
      throw ModelError("tensor \(name): shape \(shape) must have 1 to 4 positive dimensions")
    }
    guard shape[0] % type.blockSize == 0 else {
      throw ModelError("tensor \(name): row length \(shape[0]) is not a multiple of \(type.name) block size \(type.blockSize)")
    }
    guard data.count == type.byteCount(elements: n) else {
      throw ModelError("tensor \(name): \(type.name) data for \(n) elements needs \(type.byteCount(elements: n)) bytes, got \(data.count)")
    }
    tensors.append((name, shape, type, data))
  }

  /// Adds a tensor from floats, encoding it as `type` (F32, F16, BF16, Q8_0, Q4_0, Q4_1).
  public mutating func add(tensor name: String, shape: [Int], type: GGMLType = .f32, values: [Float]) throws {
    guard values.count == shape.reduce(1, *) else {
      throw ModelError("tensor \(name): shape \(shape) needs \(shape.reduce(1, *)) values, got \(values.count)")
    }
    try add(tensor: name, shape: shape, type: type, data: Quantize.encode(values, as: type))
  }

  /// The encoded file.
  public func encoded() -> [UInt8] {
    var out: [UInt8] = []
    func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
    func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
    func str(_ s: String) { u64(UInt64(s.utf8.count)); out.append(contentsOf: Array(s.utf8)) }
    func value(_ v: GGUFValue) {
      switch v {
      case .uint8(let x): out.append(x)
      case .int8(let x): out.append(UInt8(bitPattern: x))
      case .uint16(let x): withUnsafeBytes(of: x.littleEndian) { out.append(contentsOf: $0) }
      case .int16(let x): withUnsafeBytes(of: x.littleEndian) { out.append(contentsOf: $0) }
      case .uint32(let x): u32(x)
      case .int32(let x): u32(UInt32(bitPattern: x))
      case .float32(let x): u32(x.bitPattern)
      case .bool(let x): out.append(x ? 1 : 0)
      case .string(let s): str(s)
      case .uint64(let x): u64(x)
      case .int64(let x): u64(UInt64(bitPattern: x))
      case .float64(let x): u64(x.bitPattern)
      case .array(let t, let items):
        u32(t.rawValue)
        u64(UInt64(items.count))
        for item in items { value(item) }
      }
    }
    u32(0x4655_4747)
    u32(3)
    u64(UInt64(tensors.count))
    u64(UInt64(metadata.count))
    for (k, v) in metadata {
      str(k)
      u32(v.type.rawValue)
      value(v)
    }
    let align = max(1, alignment)
    func pad(_ n: Int) -> Int { (n + align - 1) / align * align }
    var offset = 0
    for t in tensors {
      str(t.name)
      u32(UInt32(t.shape.count))
      for d in t.shape { u64(UInt64(d)) }
      u32(t.type.rawValue)
      u64(UInt64(offset))
      offset = pad(offset + t.data.count)
    }
    out.append(contentsOf: [UInt8](repeating: 0, count: pad(out.count) - out.count))
    for t in tensors {
      out.append(contentsOf: t.data)
      out.append(contentsOf: [UInt8](repeating: 0, count: pad(t.data.count) - t.data.count))
    }
    return out
  }

  /// Writes the file to `path` (atomically).
  public func write(to path: String) throws {
    try AtomicFile.write(encoded(), to: path)
  }
}
