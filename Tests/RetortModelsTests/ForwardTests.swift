// Forward pass consistency on the tiny model: batched prompt processing
// (matrix-matrix) against token-by-token decoding (matrix-vector).

import Foundation
import Testing
@testable import RetortModels

struct ForwardTests {
  let tokens = [104, 101, 108, 108, 111, 32, 119, 111, 114, 108, 100, 33]

  func incremental(_ m: LlamaModel, _ toks: [Int]) throws -> [Float] {
    let cache = try m.makeCache(context: 64)
    var logits: [Float] = []
    for t in toks { logits = try m.forward([t], cache: cache) }
    return logits
  }

  @Test func smallBatchMatchesIncremental() throws {
    let m = try TinyModel.model()
    let cache = try m.makeCache(context: 64)
    _ = try m.forward(Array(tokens.prefix(1)), cache: cache)
    let batched = try m.forward(Array(tokens[1..<3]), cache: cache)
    let inc = try incremental(m, Array(tokens.prefix(3)))
    // Quantized products take the same matrix-vector path; only F32 weights
    // go through GEMM instead of dot products, so differences are rounding.
    let err = zip(batched, inc).map { abs($0 - $1) }.max() ?? 1
    #expect(err < 1e-4 * (inc.map(abs).max() ?? 1), "max difference \(err)")
    #expect(cache.count == 3)
  }

  @Test func largeBatchMatchesIncremental() throws {
    let m = try TinyModel.model()
    let cache = try m.makeCache(context: 64)
    let all = try m.forward(tokens, cache: cache, outputs: 0..<tokens.count)
    let v = m.config.vocabularySize
    #expect(all.count == tokens.count * v)
    let inc = try incremental(m, tokens)
    let last = Array(all[((tokens.count - 1) * v)...])
    // Batches multiply f32 activations with dequantized weights; single tokens
    // quantize activations to 8 bits first (as llama.cpp), so the two agree to
    // about 1% of the logit scale.
    let scale = inc.map(abs).max() ?? 1
    let err = zip(last, inc).map { abs($0 - $1) }.max() ?? 1
    #expect(err < 0.02 * scale, "max difference \(err) at scale \(scale)")
    #expect(last.indices.max { last[$0] < last[$1] } == inc.indices.max { inc[$0] < inc[$1] })
  }

  @Test func badInputsAreErrors() throws {
    let m = try TinyModel.model()
    let cache = try m.makeCache(context: 4)
    #expect(throws: ModelError.self) { _ = try m.forward([], cache: cache) }
    #expect(throws: ModelError.self) { _ = try m.forward([99999], cache: cache) }
    #expect(throws: ModelError.self) { _ = try m.forward([1, 2, 3, 4, 5], cache: cache) }
    #expect(throws: ModelError.self) { _ = try LlamaModel("no-such-model-name") }
  }

  @Test func infoDescribesTheFile() throws {
    let m = try TinyModel.model()
    let info = m.info
    #expect(info.architecture == "llama" && info.layers == 2 && info.heads == 4 && info.kvHeads == 2)
    #expect(info.tensorTypes["Q4_1"] == 6 && info.tensorTypes["F32"] == 7)
    #expect(info.fingerprint.count == 16)
    #expect(info.description.contains(info.fingerprint))
    let again = try ModelInfo(m.file.path)
    #expect(again.fingerprint == info.fingerprint)
    // A different seed gives different weights and a different fingerprint.
    let other = try TinyModel.write(seed: 8)
    defer { try? FileManager.default.removeItem(atPath: other) }
    #expect(try ModelInfo(other).fingerprint != info.fingerprint)
  }
}
