// GGUF reader and writer: every metadata type, every supported tensor type,
// alignment, and corrupted or truncated files.

import Foundation
import Testing
@testable import RetortModels

struct GGUFTests {
  static let allValues: [(String, GGUFValue)] = [
    ("u8", .uint8(250)), ("i8", .int8(-7)), ("u16", .uint16(65000)), ("i16", .int16(-30000)),
    ("u32", .uint32(4_000_000_000)), ("i32", .int32(-2_000_000_000)), ("f32", .float32(3.25)),
    ("bool", .bool(true)), ("str", .string("héllo\nwörld 😀")), ("u64", .uint64(1 << 40)),
    ("i64", .int64(-(1 << 40))), ("f64", .float64(-1e-300)),
    ("arr.str", .array(of: .string, [.string("a"), .string(""), .string("ccc")])),
    ("arr.i32", .array(of: .int32, [.int32(1), .int32(-2)])),
    ("arr.empty", .array(of: .float32, [])),
    ("arr.nested", .array(of: .array, [.array(of: .uint8, [.uint8(1)]), .array(of: .uint8, [])])),
  ]

  func sampleFile() throws -> (String, [Float]) {
    var w = GGUFWriter()
    for (k, v) in Self.allValues { w.set(k, v) }
    let values = (0..<64 * 3).map { Float(sin(Double($0) * 0.37)) * 2 }
    for t in [GGMLType.f32, .f16, .bf16, .q8_0, .q4_0, .q4_1] {
      try w.add(tensor: "t.\(t.name)", shape: [64, 3], type: t, values: values)
    }
    let path = Fixtures.tempPath(".gguf")
    try w.write(to: path)
    return (path, values)
  }

  @Test func knownModelFilesNameTheirHuggingFaceBase() {
    #expect(ModelCache.huggingFaceRepo(forFile: "/x/models/smollm2-135m-instruct.q4_1.gguf") == "HuggingFaceTB/SmolLM2-135M-Instruct")
    #expect(ModelCache.huggingFaceRepo(forFile: "/tmp/mine.gguf") == nil)
  }

  @Test func roundTripsEveryMetadataAndTensorType() throws {
    let (path, values) = try sampleFile()
    defer { try? FileManager.default.removeItem(atPath: path) }
    let f = try GGUFFile(path: path, requireSupportedTypes: true)
    #expect(f.version == 3)
    #expect(f.metadata.count == Self.allValues.count)
    for (k, v) in Self.allValues { #expect(f[k] == v, "metadata \(k)") }
    // Tolerance per type: half a quantization step of the value range (4 / levels).
    let tol: [String: Float] = ["F32": 0, "F16": 2e-3, "BF16": 1.6e-2, "Q8_0": 2.0 / 127, "Q4_0": 2.0 / 7, "Q4_1": 4.0 / 15 / 2 + 1e-3]
    for t in f.tensors {
      #expect(t.shape == [64, 3])
      #expect((f.dataOffset + t.offset) % f.alignment == 0)
      let got = Quantize.decode(try f.data(t), type: t.type, count: t.elementCount)
      let err = zip(got, values).map { abs($0 - $1) }.max() ?? 1
      #expect(err <= tol[t.type.name, default: 0], "\(t.name) max error \(err)")
    }
  }

  @Test func tensorDataIsMappedNotCopied() throws {
    let (path, _) = try sampleFile()
    defer { try? FileManager.default.removeItem(atPath: path) }
    let f = try GGUFFile(path: path)
    let t = try #require(f.tensor("t.F32"))
    let d = try f.data(t)
    let base = try #require(f.file.base)
    #expect(d.baseAddress == base + f.dataOffset + t.offset)
  }

  func expectError(_ bytes: [UInt8], contains needle: String) {
    let path = Fixtures.tempPath(".gguf")
    defer { try? FileManager.default.removeItem(atPath: path) }
    FileManager.default.createFile(atPath: path, contents: Data(bytes))
    do {
      _ = try GGUFFile(path: path)
      Issue.record("expected an error containing '\(needle)'")
    } catch {
      #expect("\(error)".contains(needle), "got: \(error)")
    }
  }

  @Test func corruptFilesGiveClearErrors() throws {
    let (path, _) = try sampleFile()
    defer { try? FileManager.default.removeItem(atPath: path) }
    let good = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    expectError([], contains: "not a GGUF file")
    expectError(Array("GGML".utf8) + good.dropFirst(4), contains: "bad magic")
    var v = good; v[4] = 9
    expectError(v, contains: "unsupported GGUF version 9")
    var n = good; for i in 8..<16 { n[i] = 0xff }
    expectError(n, contains: "tensor count")
    var kv = good; kv[23] = 0x7f
    expectError(kv, contains: "metadata count")
    // First key's length set absurdly large.
    var kl = good; kl[31] = 0x40
    expectError(kl, contains: "length")
    // Truncation at every point of the header and in the data: always an error, never a crash.
    let f = try GGUFFile(path: path)
    let end = f.tensors.map { f.dataOffset + $0.offset + $0.byteCount }.max() ?? good.count
    for cut in stride(from: 1, to: end, by: max(1, end / 97)) {
      let p = Fixtures.tempPath(".gguf")
      FileManager.default.createFile(atPath: p, contents: Data(good.prefix(cut)))
      #expect(throws: ModelError.self, "cut at \(cut)") { _ = try GGUFFile(path: p) }
      try? FileManager.default.removeItem(atPath: p)
    }
    expectError(Array(good.prefix(f.dataOffset + 10)), contains: "truncated")
  }

  @Test func unsupportedTensorTypeIsNamed() throws {
    var w = GGUFWriter()
    w.set("general.architecture", .string("llama"))
    try w.add(tensor: "blk.3.ffn_down.weight", shape: [256], type: try #require(GGMLType(name: "Q5_K")),
              data: [UInt8](repeating: 0, count: 176))
    let path = Fixtures.tempPath(".gguf")
    defer { try? FileManager.default.removeItem(atPath: path) }
    try w.write(to: path)
    let f = try GGUFFile(path: path)  // inspectable
    #expect(f.tensors[0].type.name == "Q5_K")
    #expect(throws: ModelError("unsupported tensor type Q5_K in blk.3.ffn_down.weight")) {
      _ = try GGUFFile(path: path, requireSupportedTypes: true)
    }
  }

  @Test func quantizeMatchesGGMLLayout() throws {
    // Hand-checked block: Q4_1 with min -1, step 2/15.
    let xs = (0..<32).map { Float($0 % 16) * 2 / 15 - 1 }
    let q = try Quantize.encode(xs, as: .q4_1)
    #expect(q.count == 20)
    #expect(q[4] == 0x00 && q[5] == 0x11 && q[19] == 0xff)
    let back = q.withUnsafeBytes { Quantize.decode($0, type: .q4_1, count: 32) }
    for (a, b) in zip(back, xs) { #expect(abs(a - b) < 1e-3) }
  }
}
