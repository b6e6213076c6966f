// The safetensors format (Hugging Face): an 8-byte little-endian header
// length, a JSON header mapping tensor names to dtype, shape and byte
// offsets (plus a string-to-string `__metadata__`), then the raw data.
// Reads F32, F16 and BF16; writes F32. Every offset and size is checked.

import Foundation

/// A parsed safetensors file (memory-mapped).
public struct SafetensorsFile {
  /// One tensor's descriptor.
  public struct Entry: Sendable {
    public let dtype: String
    public let shape: [Int]
    let start: Int, end: Int
  }
  public let path: String
  /// The `__metadata__` strings.
  public let metadata: [String: String]
  /// Tensors by name.
  public let entries: [String: Entry]
  let file: MappedFile
  let dataStart: Int

  /// Opens and validates `path`.
  public init(path: String) throws {
    let f = try MappedFile(path: path)
    file = f
    self.path = path
    let bytes = f.bytes
    guard bytes.count >= 8 else { throw ModelError("\(path): not a safetensors file (only \(bytes.count) bytes)") }
    var n: UInt64 = 0
    for i in 0..<8 { n |= UInt64(bytes[i]) << (8 * UInt64(i)) }
    guard n >= 2, n <= UInt64(bytes.count - 8), n <= 200_000_000 else {
      throw ModelError("\(path): safetensors header length \(n) does not fit the file (\(bytes.count) bytes)")
    }
    dataStart = 8 + Int(n)
    let header = Data(bytes[8..<dataStart])
    guard let json = try? JSONSerialization.jsonObject(with: header) as? [String: Any] else {
      throw ModelError("\(path): safetensors header is not a JSON object")
    }
    var meta: [String: String] = [:]
    var entries: [String: Entry] = [:]
    let dataCount = bytes.count - dataStart
    for (name, value) in json {
      if name == "__metadata__" {
        guard let m = value as? [String: Any] else { throw ModelError("\(path): __metadata__ must be an object of strings") }
        for (k, v) in m { meta[k] = v as? String ?? "\(v)" }
        continue
      }
      guard let d = value as? [String: Any], let dtype = d["dtype"] as? String, let shape = d["shape"] as? [Int],
            let offs = d["data_offsets"] as? [Int], offs.count == 2 else {
        throw ModelError("\(path): tensor \(name): expected {dtype, shape, data_offsets}")
      }
      guard let size = SafetensorsFile.elementSize(dtype) else {
        throw ModelError("\(path): tensor \(name) has unsupported dtype \(dtype) (expected F32, F16 or BF16)")
      }
      var count = 1
      for s in shape {
        guard s >= 0, s <= 1 << 31 else { throw ModelError("\(path): tensor \(name) has impossible shape \(shape)") }
        let (product, overflow) = count.multipliedReportingOverflow(by: s)
        count = product
        guard !overflow, count <= dataCount else { throw ModelError("\(path): tensor \(name) shape \(shape) is larger than the file") }
      }
      guard offs[0] >= 0, offs[1] >= offs[0], offs[1] <= dataCount, offs[1] - offs[0] == count * size else {
        throw ModelError("\(path): tensor \(name) data offsets \(offs) do not match shape \(shape) x \(dtype) within \(dataCount) data bytes")
      }
      entries[name] = Entry(dtype: dtype, shape: shape, start: offs[0], end: offs[1])
    }
    metadata = meta
    self.entries = entries
  }

  static func elementSize(_ dtype: String) -> Int? {
    switch dtype {
    case "F32": return 4
    case "F16", "BF16": return 2
    default: return nil
    }
  }

  /// The values of tensor `name` as f32, checking its shape when `shape` is given.
  public func floats(_ name: String, shape: [Int]? = nil) throws -> [Float] {
    guard let e = entries[name] else { throw ModelError("\(path): missing tensor \(name)") }
    if let shape, shape != e.shape {
      throw ModelError("\(path): tensor \(name) has shape \(e.shape), expected \(shape)")
    }
    let count = e.shape.reduce(1, *)
    return try [Float](unsafeUninitializedCapacity: count) { buf, n in
      if let p = buf.baseAddress { try copyFloats(name, count: count, into: p) }
      n = count
    }
  }

  /// Decodes tensor `name`, which must hold `count` values, straight into `out`
  /// (no intermediate array: checkpoints of large models are read this way).
  public func copyFloats(_ name: String, count: Int, into out: UnsafeMutablePointer<Float>) throws {
    guard let e = entries[name] else { throw ModelError("\(path): missing tensor \(name)") }
    guard e.shape.reduce(1, *) == count else {
      throw ModelError("\(path): tensor \(name) has shape \(e.shape), expected \(count) values")
    }
    let raw = UnsafeRawBufferPointer(rebasing: file.bytes[(dataStart + e.start)..<(dataStart + e.end)])
    let type: GGMLType = e.dtype == "F32" ? .f32 : e.dtype == "F16" ? .f16 : .bf16
    Quantize.decode(raw, type: type, count: count, into: out)
  }

  /// Encodes F32 tensors and string metadata as a safetensors file.
  public static func encode(_ tensors: [(name: String, shape: [Int], values: [Float])], metadata: [String: String]) throws -> [UInt8] {
    for t in tensors where t.values.count != t.shape.reduce(1, *) {
      throw ModelError("safetensors: tensor \(t.name) has \(t.values.count) values for shape \(t.shape)")
    }
    var out = try header(tensors.map { ($0.name, $0.shape) }, metadata: metadata)
    out.reserveCapacity(out.count + 4 * tensors.reduce(0) { $0 + $1.values.count })
    for t in tensors {
      t.values.withUnsafeBytes { out.append(contentsOf: $0) }
    }
    return out
  }

  /// The length prefix and JSON header of a file whose F32 tensors follow
  /// in the given order (the caller writes their bytes after it).
  public static func header(_ tensors: [(name: String, shape: [Int])], metadata: [String: String]) throws -> [UInt8] {
    var header: [String: Any] = [:]
    if !metadata.isEmpty { header["__metadata__"] = metadata }
    var offset = 0
    for t in tensors {
      let bytes = 4 * t.shape.reduce(1, *)
      header[t.name] = ["dtype": "F32", "shape": t.shape, "data_offsets": [offset, offset + bytes]] as [String: Any]
      offset += bytes
    }
    var json = [UInt8](try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]))
    while json.count % 8 != 0 { json.append(0x20) }
    let n = UInt64(json.count)
    return (0..<8).map { UInt8((n >> (8 * UInt64($0))) & 0xff) } + json
  }
}
