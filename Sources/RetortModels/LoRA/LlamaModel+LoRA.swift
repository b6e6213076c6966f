// LoRA at inference: a loaded model with adapters applied on the fly,
//   y = x W^T + (alpha / r) (x A^T) B^T,
// over the same memory-mapped (often quantized) weights. This is the
// function QLoRA training optimised (its forward pass runs through the
// quantized base too), and it keeps generation at the quantized speed and
// memory: merging would widen every projection to f32.

import Foundation
import RetortCompute

/// The low-rank term of one adapted projection (a snapshot: later training
/// of the adapters does not change a model made from them).
struct LowRankUpdate: @unchecked Sendable {
  /// A [rank, cols], B [rows, rank] and B^T [rank, rows] (for one token).
  let a, b, bT: UnsafePointer<Float>
  let rank: Int
  let scale: Float
  /// Keeps the snapshot's storage alive.
  let owner: FloatBuffer

  /// y[n, rows] += scale (x A^T) B^T. A batch runs in the order the training
  /// pass uses; one token adds rank rows of B^T as vectors (a dot product of
  /// length rank per output would cost as much as the quantized product).
  func add(_ x: UnsafePointer<Float>, n: Int, rows: Int, cols: Int, into y: UnsafeMutablePointer<Float>) {
    // x A^T: on the stack while small (decoding calls this per token and projection).
    withUnsafeTemporaryAllocation(of: Float.self, capacity: n * rank) { buf in
      guard let t = buf.baseAddress else { return }
      Linear.forward(x: x, rows: n, weight: a, outFeatures: rank, inFeatures: cols, into: t)
      for i in 0..<(n * rank) { t[i] *= scale }
      if n == 1 {
        for k in 0..<rank { Kernels.addScaled(bT + k * rows, alpha: t[k], into: y, count: rows) }
      } else {
        Linear.forward(x: UnsafePointer(t), rows: n, weight: b, outFeatures: rows, inFeatures: rank, into: y, accumulate: true)
      }
    }
  }
}

extension LlamaModel {
  /// This model with `lora` applied at inference (the weights are shared,
  /// the adapters copied). Its fingerprint combines the base file's and the
  /// adapters' values, so answer caches and judges tell them apart.
  public func adapted(_ lora: LoRAAdapters) throws -> LlamaModel {
    let c = config
    guard lora.slots.count == c.layers else {
      throw ModelError("lora: the adapters are for \(lora.slots.count) layers, the model has \(c.layers)")
    }
    // The adapters' values, then B^T of every adapted projection.
    let count = lora.values.count
    let shapes = Dictionary(lora.params.map { ($0.name, (rows: $0.rows, cols: $0.cols)) }, uniquingKeysWith: { a, _ in a })
    let transposedCount = lora.params.filter { $0.name.hasSuffix("lora_b") }.reduce(0) { $0 + $1.rows }
    let snapshot = FloatBuffer(count: count + transposedCount * lora.options.rank)
    snapshot.pointer.update(from: lora.values.pointer, count: count)
    var next = count
    func update(_ l: Int, _ kind: LinearKind, _ w: Weight) throws -> Weight {
      guard let slot = lora.slots[l][kind.index] else { return w }
      let name = "blk.\(l).\(kind.ggufName)"
      guard let sa = shapes[name + ".lora_a"], let sb = shapes[name + ".lora_b"], sa.cols == w.cols, sb.rows == w.rows else {
        throw ModelError("lora: the adapter of \(name) does not fit its weight [\(w.rows), \(w.cols)]")
      }
      let r = lora.options.rank, b = snapshot.pointer + slot.b, bT = snapshot.pointer + next
      for i in 0..<w.rows { for k in 0..<r { bT[k * w.rows + i] = b[i * r + k] } }
      next += r * w.rows
      var out = w
      out.lora = LowRankUpdate(a: snapshot.pointer + slot.a, b: b, bT: bT, rank: r, scale: lora.scale, owner: snapshot)
      return out
    }
    var adaptedLayers: [LlamaLayer] = []
    for (l, ly) in layers.enumerated() {
      adaptedLayers.append(LlamaLayer(
        attnNorm: ly.attnNorm, wq: try update(l, .q, ly.wq), wk: try update(l, .k, ly.wk), wv: try update(l, .v, ly.wv),
        wo: try update(l, .o, ly.wo), ffnNorm: ly.ffnNorm, gate: try update(l, .gate, ly.gate), up: try update(l, .up, ly.up),
        down: try update(l, .down, ly.down)))
    }
    // Trained embedding copies (trainEmbeddings) replace the file's embedding and output weights.
    func copied(_ name: String) throws -> Weight? {
      guard let src = lora.copy(name) else { return nil }
      guard let shape = shapes[name], shape.rows == c.vocabularySize, shape.cols == c.dim else {
        throw ModelError("lora: the trained copy of \(name) does not fit the model's [\(c.vocabularySize), \(c.dim)]")
      }
      let buf = FloatBuffer(count: shape.rows * shape.cols)
      buf.pointer.update(from: src, count: shape.rows * shape.cols)
      return Weight(name: name, floats: buf, rows: shape.rows, cols: shape.cols)
    }
    return LlamaModel(base: self, layers: adaptedLayers,
                      fingerprint: Self.fingerprint(base: fingerprint, adapters: lora.values, options: lora.options),
                      embedding: try copied("token_embd.weight"), output: try copied("output.weight"))
  }

  /// FNV-1a over the base fingerprint, the options and every adapter value.
  static func fingerprint(base: String, adapters: FloatBuffer, options o: LoRAOptions) -> String {
    var h = FNV1a()
    let head = "\(base) lora r=\(o.rank) alpha=\(o.alpha) targets=\(o.targets.map(\.rawValue).joined(separator: ","))"
      + (o.trainEmbeddings ? " embeddings" : "") + (o.untiedOutput ? " untied" : "")
    for b in head.utf8 { h.mix(b) }
    h.mix(UnsafePointer(adapters.pointer), count: adapters.count)
    return h.hex
  }
}
