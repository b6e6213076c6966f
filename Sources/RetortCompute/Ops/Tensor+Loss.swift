// Cross-entropy over logits [N, C] (or [..., C]) and integer targets, with
// an ignore index; fused forward (log-softmax per row) and backward
// ((softmax - onehot) / count).

import Foundation

extension Tensor {
  /// Mean cross-entropy of `logits` [..., C] against class indices `targets`
  /// (one per row); rows whose target equals `ignoreIndex` are skipped.
  /// - Throws: on shape mismatch or a target outside 0..<C (other than the ignore index).
  public static func crossEntropy(_ logits: Tensor, targets: [Int], shape targetShape: [Int]? = nil,
                                  ignoreIndex: Int = -100) throws -> Tensor {
    guard logits.rank >= 1, let c = logits.shape.last, c > 0 else {
      throw ComputeError("cross_entropy: logits must have a non-empty last dimension, got \(shapeString(logits.shape))")
    }
    // Targets in a shape must be the logits' without the class axis ([B, T] for [B, T, C]), as in
    // PyTorch: a transposed batch has the right count and the wrong labels.
    if let ts = targetShape {
      let rowsShape = Array(logits.shape.dropLast())
      let oneRow = rowsShape.reduce(1, *) == 1
      guard ts == rowsShape || (ts.count == 1 && rowsShape.count <= 1 && ts[0] == (rowsShape.first ?? 1)) || (ts.isEmpty && oneRow) else {
        throw ComputeError("cross_entropy: targets of shape \(shapeString(ts)) for logits \(shapeString(logits.shape)); "
                           + "expected \(shapeString(rowsShape)) (the logits' shape without the class axis)")
      }
    }
    let rows = logits.count / c
    guard targets.count == rows else {
      throw ComputeError("cross_entropy: \(targets.count) targets for \(rows) rows of logits \(shapeString(logits.shape))")
    }
    for (i, t) in targets.enumerated() where t != ignoreIndex && (t < 0 || t >= c) {
      throw ComputeError("cross_entropy: target \(t) at position \(i) is out of range for \(c) classes")
    }
    let x = logits.contiguous()
    defer { withExtendedLifetime(x) {} }  // raw pointers into it are used below
    let probs = try Tensor(uninitialized: x.shape, what: "cross_entropy")
    RowKernels.softmax(x.pointer, probs.mutablePointer, rows: rows, n: c)
    var total = 0.0
    var used = 0
    let xp = x.pointer
    for r in 0..<rows where targets[r] != ignoreIndex {
      let row = xp + r * c
      let m = rowReduceMax(row, c)
      var s = 0.0
      for j in 0..<c { s += Foundation.exp(Double(row[j] - m)) }
      total += Double(m) + Foundation.log(s) - Double(row[targets[r]])
      used += 1
    }
    let loss = Tensor(scalar: used > 0 ? Float(total / Double(used)) : 0)
    let count = used
    loss.record("cross_entropy", [logits]) { g in
      let gv = try g.item() / Float(Swift.max(count, 1))
      let grad = try probs.contiguousCopy()
      let gp = grad.mutablePointer
      for r in 0..<rows {
        let row = gp + r * c
        if targets[r] == ignoreIndex {
          row.update(repeating: 0, count: c)
        } else {
          row[targets[r]] -= 1
          for j in 0..<c { row[j] *= gv }
        }
      }
      return [grad]
    }
    return loss
  }

  /// Cross-entropy with targets given as a tensor of class indices.
  /// Their shape must be the logits' without the class axis.
  public static func crossEntropy(_ logits: Tensor, targets: Tensor, ignoreIndex: Int = -100) throws -> Tensor {
    guard targets.dtype != .bool else { throw ComputeError("cross_entropy: targets are class indices, not bools") }
    return try crossEntropy(logits, targets: targets.integerValues(op: "cross_entropy"), shape: targets.shape, ignoreIndex: ignoreIndex)
  }
}
