// Activations saved by the training forward pass for the backward pass, and
// the backward pass's scratch, for one batch shape [B, T]. Allocated once per
// run and reused every step.

import RetortCompute

/// Owns float allocations and frees them together.
final class Arena {
  private(set) var blocks: [UnsafeMutablePointer<Float>] = []
  /// Total floats allocated.
  private(set) var floats = 0

  func make(_ count: Int) -> UnsafeMutablePointer<Float> {
    let p = UnsafeMutablePointer<Float>.allocate(capacity: max(1, count))
    p.update(repeating: 0, count: max(1, count))
    blocks.append(p)
    floats += count
    return p
  }

  deinit { for p in blocks { p.deallocate() } }
}

/// Saved activations of one block (all [N, ...] row-major).
struct LayerActs {
  /// Residual input [N, D]; attention-normed input [N, D] and its 1/rms [N].
  let xIn, xn1, rstd1: UnsafeMutablePointer<Float>
  /// Rotated queries [N, Q], rotated keys [N, KV], values [N, KV].
  let q, k, v: UnsafeMutablePointer<Float>
  /// Attention probabilities [B, H, T, T]; attention output [N, Q].
  let probs, att: UnsafeMutablePointer<Float>
  /// Residual after attention [N, D]; its normed copy [N, D] and 1/rms [N].
  let mid, xn2, rstd2: UnsafeMutablePointer<Float>
  /// Gate and up projections [N, F]; h = silu(g) * u [N, F].
  let g, u, h: UnsafeMutablePointer<Float>
  /// Per LinearKind: LoRA's scaled x A^T [N, r] and dropped-out input [N, in].
  let loraXA: [UnsafeMutablePointer<Float>?]
  let loraXD: [UnsafeMutablePointer<Float>?]
}

/// All buffers of one [B, T] training pass. With `checkpointing`, every
/// layer keeps only its residual input and shares one set of the other
/// buffers; the backward pass recomputes each layer's forward first.
final class PassBuffers {
  let batch: Int
  /// Positions per row in this pass: at most `capacity`, the width the
  /// buffers were made for (a batch of short padded rows runs narrower).
  var seq: Int
  let capacity: Int
  /// Whether layers share their activation buffers (gradient checkpointing).
  let checkpointing: Bool
  var n: Int { batch * seq }
  let arena = Arena()
  let layers: [LayerActs]
  /// Final residual [N, D] is layers' output; xf = normed [N, D], rstdF [N].
  let xOut, xf, rstdF: UnsafeMutablePointer<Float>
  /// Logits [N, V], overwritten by their gradient in the backward pass; only
  /// the first `scored` rows when some positions carry no loss (see `scoredRows`).
  let logits: UnsafeMutablePointer<Float>
  let losses: UnsafeMutablePointer<Float>
  /// The positions that carry a loss [N] (their count is `scored`), their
  /// targets [N], losses [N] and normed rows [N, D] gathered: the output
  /// projection runs on these rows only (prompt tokens carry no loss).
  let scoredRows: UnsafeMutablePointer<Int32>, scoredTargets: UnsafeMutablePointer<Int32>
  let scoredLosses, scoredX: UnsafeMutablePointer<Float>
  var scored = 0
  /// Compute the logits of every position, scored or not (`logits(_:)`).
  var allLogits = false
  /// Backward scratch.
  let dres, dxn, dq, dk, dv, datt, dg, du, dh, dtmp, dxa: UnsafeMutablePointer<Float>
  /// Dequantized weight scratch for frozen quantized bases (nil when none).
  let dequant: UnsafeMutablePointer<Float>?
  /// Token ids [N] and targets [N] (-1 = no loss).
  let tokens: UnsafeMutablePointer<Int32>
  let targets: UnsafeMutablePointer<Int32>
  /// Per token, the row position where its example starts [N]: attention
  /// stays inside the example and RoPE positions restart there (packing).
  let starts: UnsafeMutablePointer<Int32>
  /// Rotary cos/sin for positions 0..<T.
  let rope: RopeTable

  init(model: TrainableLlama, batch: Int, seq: Int, training: Bool, checkpointing: Bool = false) throws {
    let c = model.config
    self.checkpointing = checkpointing
    self.batch = batch
    self.seq = seq
    self.capacity = seq
    let n = batch * seq
    let qd = c.heads * c.headDim, kv = c.kvDim, f = c.ffnDim, d = c.dim
    let rank = model.lora?.options.rank ?? 0
    let dropout = (model.lora?.options.dropout ?? 0) > 0 && training
    var perLayer = n * (4 * d + 2 + qd * 2 + kv * 2 + 3 * f) + batch * c.heads * seq * seq
    if rank > 0 { perLayer += 7 * n * rank + (dropout ? 7 * n * max(d, f, qd) : 0) }
    let stored = checkpointing ? perLayer + (c.layers - 1) * n * d : c.layers * perLayer
    let total = stored + n * (3 * d + c.vocabularySize + 2) + (training ? n * (2 * d + 2 * qd + 2 * kv + 4 * f) : 0)
    do {
      try Memory.check(count: total, what: "training activations for batch \(batch) x \(seq)")
    } catch {
      throw ModelError("not enough memory for training activations of batch \(batch) x seq \(seq): \(error)")
    }
    let a = arena
    var layers: [LayerActs] = []
    for l in 0..<c.layers {
      if checkpointing, let shared = layers.first {
        layers.append(LayerActs(xIn: a.make(n * d), xn1: shared.xn1, rstd1: shared.rstd1, q: shared.q, k: shared.k,
                                v: shared.v, probs: shared.probs, att: shared.att, mid: shared.mid, xn2: shared.xn2,
                                rstd2: shared.rstd2, g: shared.g, u: shared.u, h: shared.h, loraXA: shared.loraXA,
                                loraXD: shared.loraXD))
        continue
      }
      var xa: [UnsafeMutablePointer<Float>?] = []
      var xd: [UnsafeMutablePointer<Float>?] = []
      for kind in LinearKind.allCases {
        let on = model.lora?.pair(l, kind) != nil
        xa.append(on ? a.make(n * rank) : nil)
        xd.append(on && dropout ? a.make(n * kind.shape(c).cols) : nil)
      }
      layers.append(LayerActs(xIn: a.make(n * d), xn1: a.make(n * d), rstd1: a.make(n), q: a.make(n * qd), k: a.make(n * kv),
                              v: a.make(n * kv), probs: a.make(batch * c.heads * seq * seq), att: a.make(n * qd),
                              mid: a.make(n * d), xn2: a.make(n * d), rstd2: a.make(n), g: a.make(n * f), u: a.make(n * f),
                              h: a.make(n * f), loraXA: xa, loraXD: xd))
    }
    self.layers = layers
    xOut = a.make(n * d); xf = a.make(n * d); rstdF = a.make(n)
    logits = a.make(n * c.vocabularySize); losses = a.make(n)
    scoredLosses = a.make(n); scoredX = a.make(n * d)
    scoredRows = .allocate(capacity: max(1, n)); scoredTargets = .allocate(capacity: max(1, n))
    let tn = training ? n : 0
    dres = a.make(tn * d); dxn = a.make(tn * d); dq = a.make(tn * qd); dk = a.make(tn * kv); dv = a.make(tn * kv)
    datt = a.make(tn * qd); dg = a.make(tn * f); du = a.make(tn * f); dh = a.make(tn * f)
    dtmp = a.make(tn * max(d, f, qd)); dxa = a.make(tn * max(rank, 1))
    let maxQuant = model.linears.joined().filter { $0.quant != nil }.map { $0.rows * $0.cols }.max()
    dequant = training ? maxQuant.map { a.make($0) } : nil
    rope = RopeTable(ropeDim: c.ropeDim, base: c.ropeBase, capacity: seq)
    tokens = .allocate(capacity: max(1, n))
    targets = .allocate(capacity: max(1, n))
    starts = .allocate(capacity: max(1, n))
    starts.update(repeating: 0, count: max(1, n))
  }

  deinit {
    scoredRows.deallocate()
    scoredTargets.deallocate()
    tokens.deallocate()
    targets.deallocate()
    starts.deallocate()
  }
}

extension PassBuffers {
  /// Loads rows of `rows` as this pass's batch (nil: an empty row, no loss), at
  /// the width of the longest: trailing padding past it changes no loss or
  /// gradient, only the work. Returns the width.
  @discardableResult
  func load(_ rows: [(tokens: ArraySlice<Int32>, targets: ArraySlice<Int32>, starts: ArraySlice<Int32>, length: Int)?]) -> Int {
    let t = Swift.min(capacity, Swift.max(1, rows.compactMap { $0?.length }.max() ?? 1))
    seq = t
    for b in 0..<batch {
      for j in 0..<t {
        let dst = b * t + j
        if b < rows.count, let r = rows[b] {
          tokens[dst] = r.tokens[r.tokens.startIndex + j]
          targets[dst] = r.targets[r.targets.startIndex + j]
          starts[dst] = r.starts[r.starts.startIndex + j]
        } else {
          tokens[dst] = 0; targets[dst] = -1; starts[dst] = 0
        }
      }
    }
    return t
  }
}
