// A GGUF file (versions 2 and 3): metadata, tensor descriptors and tensor
// data memory-mapped in place.

import Foundation

/// Where one tensor lives in a GGUF file.
public struct GGUFTensorInfo: Sendable {
  /// Tensor name (`blk.0.attn_q.weight`).
  public let name: String
  /// Dimensions in ggml order: `shape[0]` is the contiguous row length.
  public let shape: [Int]
  /// Element type.
  public let type: GGMLType
  /// Byte offset of the data from the start of the data section.
  public let offset: Int
  /// Number of elements.
  public var elementCount: Int { shape.reduce(1, *) }
  /// Bytes of data.
  public var byteCount: Int { type.byteCount(elements: elementCount) }
}

/// A parsed GGUF file. Tensor data is not read until asked for.
public final class GGUFFile: @unchecked Sendable {
  /// The mapped file.
  public let file: MappedFile
  /// Format version (2 or 3).
  public let version: Int
  /// Metadata in file order.
  public let metadata: [(key: String, value: GGUFValue)]
  /// Tensor descriptors in file order.
  public let tensors: [GGUFTensorInfo]
  /// Data alignment (`general.alignment`, default 32).
  public let alignment: Int
  /// Offset of the tensor data section from the start of the file.
  public let dataOffset: Int
  private let metaIndex: [String: Int]
  private let tensorIndex: [String: Int]

  /// Path of the file.
  public var path: String { file.path }

  /// Opens and parses `path`. With `requireSupportedTypes`, a tensor of a
  /// type this library cannot compute with is an error naming the tensor.
  public convenience init(path: String, requireSupportedTypes: Bool = false) throws {
    try self.init(file: MappedFile(path: path), requireSupportedTypes: requireSupportedTypes)
  }

  init(file: MappedFile, requireSupportedTypes: Bool) throws {
    self.file = file
    let path = file.path
    var c = GGUFCursor(bytes: file.bytes, path: path)
    guard file.count >= 4 else { throw ModelError("\(path): not a GGUF file (only \(file.count) bytes)") }
    let magic = try c.u32("magic")
    guard magic == 0x4655_4747 else {
      throw ModelError("\(path): not a GGUF file (bad magic 0x\(String(magic, radix: 16)), expected \"GGUF\")")
    }
    let v = try c.u32("version")
    guard v == 2 || v == 3 else {
      throw ModelError("\(path): unsupported GGUF version \(v) (expected 2 or 3)")
    }
    version = Int(v)
    // A tensor descriptor takes at least 8+4+8+4+8 bytes, a key/value at least 8+4+1.
    let tensorCount = try c.count("tensor count", minBytesEach: 32)
    let kvCount = try c.count("metadata count", minBytesEach: 13)

    var meta: [(key: String, value: GGUFValue)] = []
    var metaIndex: [String: Int] = [:]
    meta.reserveCapacity(kvCount)
    for i in 0..<kvCount {
      let key = try c.string("key of metadata entry \(i)")
      let code = try c.u32("type of \(key)")
      guard let type = GGUFValueType(rawValue: code) else {
        throw c.fail("corrupt file: unknown value type \(code) for metadata key \(key)")
      }
      let value = try c.value(type, key)
      metaIndex[key] = meta.count
      meta.append((key, value))
    }
    metadata = meta
    self.metaIndex = metaIndex

    var align = 32
    if let a = metaIndex["general.alignment"].map({ meta[$0].value }) {
      guard let n = a.int, n > 0, n & (n - 1) == 0, n <= 1 << 20 else {
        throw ModelError("\(path): general.alignment must be a power of two, got \(a.summary)")
      }
      align = n
    }
    alignment = align

    var infos: [GGUFTensorInfo] = []
    var tensorIndex: [String: Int] = [:]
    infos.reserveCapacity(tensorCount)
    for i in 0..<tensorCount {
      let name = try c.string("name of tensor \(i)")
      let dims = try c.u32("dimension count of \(name)")
      guard dims >= 1, dims <= 4 else {
        throw c.fail("corrupt file: tensor \(name) has \(dims) dimensions (expected 1 to 4)")
      }
      var shape: [Int] = []
      var total: UInt64 = 1
      for d in 0..<Int(dims) {
        let n = try c.u64("dimension \(d) of \(name)")
        let (prod, overflow) = total.multipliedReportingOverflow(by: n)
        guard n > 0, !overflow, prod <= UInt64(file.count) * 64 else {
          throw c.fail("corrupt file: tensor \(name) has impossible dimension \(n)")
        }
        total = prod
        shape.append(Int(n))
      }
      let code = try c.u32("type of \(name)")
      guard let type = GGMLType(rawValue: code) else {
        throw ModelError("\(path): unknown tensor type \(code) in \(name)")
      }
      if requireSupportedTypes && !type.isSupported {
        throw ModelError("unsupported tensor type \(type.name) in \(name)")
      }
      guard shape[0] % type.blockSize == 0 else {
        throw ModelError("\(path): tensor \(name) has row length \(shape[0]), not a multiple of the \(type.name) block size \(type.blockSize)")
      }
      let offset = try c.u64("data offset of \(name)")
      guard offset % UInt64(align) == 0 else {
        throw ModelError("\(path): tensor \(name) has data offset \(offset), not a multiple of the alignment \(align)")
      }
      guard offset <= UInt64(file.count) else {
        throw ModelError("\(path): tensor \(name) data offset \(offset) lies past the end of the file (\(file.count) bytes); the file is truncated or corrupt")
      }
      guard tensorIndex[name] == nil else { throw ModelError("\(path): duplicate tensor name \(name)") }
      tensorIndex[name] = infos.count
      infos.append(GGUFTensorInfo(name: name, shape: shape, type: type, offset: Int(offset)))
    }
    tensors = infos
    self.tensorIndex = tensorIndex

    let start = (c.pos + align - 1) / align * align
    dataOffset = start
    for t in infos where start + t.offset + t.byteCount > file.count {
      throw ModelError("\(path): tensor \(t.name) data (\(t.byteCount) bytes at offset \(start + t.offset)) runs past the end of the file (\(file.count) bytes); the file is truncated")
    }
  }

  /// The metadata value for `key`, or nil.
  public subscript(key: String) -> GGUFValue? {
    metaIndex[key].map { metadata[$0].value }
  }

  /// The descriptor of the tensor named `name`, or nil.
  public func tensor(_ name: String) -> GGUFTensorInfo? {
    tensorIndex[name].map { tensors[$0] }
  }

  /// The raw bytes of tensor `info`, in place in the mapping.
  public func data(_ info: GGUFTensorInfo) throws -> UnsafeRawBufferPointer {
    guard info.type.isSupported else {
      throw ModelError("unsupported tensor type \(info.type.name) in \(info.name)")
    }
    guard let base = file.base else { throw ModelError("\(path): file is empty") }
    return UnsafeRawBufferPointer(start: base + dataOffset + info.offset, count: info.byteCount)
  }

  /// Required integer metadata, with an error naming the key if absent.
  public func int(_ key: String) throws -> Int {
    guard let v = self[key] else { throw ModelError("\(path): missing metadata \(key)") }
    guard let n = v.int else { throw ModelError("\(path): metadata \(key) should be an integer, got \(v.summary)") }
    return n
  }

  /// Required numeric metadata as Double.
  public func double(_ key: String) throws -> Double {
    guard let v = self[key] else { throw ModelError("\(path): missing metadata \(key)") }
    guard let n = v.double else { throw ModelError("\(path): metadata \(key) should be a number, got \(v.summary)") }
    return n
  }

  /// Required string metadata.
  public func string(_ key: String) throws -> String {
    guard let v = self[key] else { throw ModelError("\(path): missing metadata \(key)") }
    guard let s = v.string else { throw ModelError("\(path): metadata \(key) should be a string, got \(v.summary)") }
    return s
  }
}
