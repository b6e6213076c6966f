#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Quantized matrix-matrix product for batched prompt processing:
// Y[n, rows] = X[n, cols] W^T. For a handful of rows it runs the fused
// matvec per row; for more it dequantizes W in row panels into f32 scratch
// and runs the packed GEMM on each panel (the weights are read once per
// call, and the f32 GEMM is far faster than per-block integer dots here).

extension QuantizedMatrix {
  /// Weight rows dequantized per GEMM panel.
  static let panelRows = 512

  /// Y[n, rows] = X[n, cols] W^T (row i of X is one token's activations).
  /// Each output element is computed in a fixed order whatever the thread count.
  /// - Parameters:
  ///   - activations: used for the small-n (matvec) path.
  public func matmul(_ x: UnsafePointer<Float>, rows n: Int, into y: UnsafeMutablePointer<Float>,
                     activations: QuantActivations = .q8) {
    if n == 0 || rows == 0 { return }
    if n < 4 {
      let tmp = Memory.tryAllocate(rows)
      defer { Memory.release(tmp, count: rows) }
      for t in 0..<n {
        matvec(x + t * cols, into: tmp, activations: activations)
        for i in 0..<rows { y[t * rows + i] = tmp[i] }
      }
      return
    }
    forEachDequantizedPanel { r0, pr, panel in
      // Y[:, r0..<r0+pr] = X W_panel^T
      Gemm.multiply(m: n, n: pr, k: cols,
                    a: MatrixRef(x, rowStride: cols),
                    b: MatrixRef(panel, rowStride: 1, colStride: cols),
                    c: y + r0, ldc: rows)
    }
  }

  /// Y = X W^T for a tensor X [..., cols]; returns [..., rows].
  /// - Throws: if the last dimension is not `cols`.
  public func matmul(_ x: Tensor, activations: QuantActivations = .q8) throws -> Tensor {
    guard x.rank >= 1, x.shape[x.rank - 1] == cols else {
      throw ComputeError("matmul: input \(shapeString(x.shape)) and weight \(type.rawValue) [\(rows), \(cols)] do not align: \(x.shape.last ?? 0) vs \(cols)")
    }
    let n = x.count / cols
    let y = try Tensor(uninitialized: Array(x.shape.dropLast()) + [rows], what: "matmul")
    let xc = x.contiguous()
    defer { withExtendedLifetime(xc) {} }  // raw pointers into it are used below
    matmul(xc.pointer, rows: n, into: y.mutablePointer, activations: activations)
    return y
  }
}

extension QuantizedMatrix {
  /// DX[n, cols] (+)= DY[n, rows] W: the input gradient of y = x W^T, for
  /// training adapters on frozen quantized weights (QLoRA-style). W is
  /// dequantized in row panels; panel contributions are added in a fixed
  /// order, so results do not depend on the thread count.
  public func matmulTransposed(_ dy: UnsafePointer<Float>, rows n: Int, into dx: UnsafeMutablePointer<Float>, accumulate: Bool = false) {
    if n == 0 { return }
    if !accumulate { dx.update(repeating: 0, count: n * cols) }
    if rows == 0 { return }
    forEachDequantizedPanel { r0, pr, panel in
      // DX += DY[:, r0..<r0+pr] W_panel
      Gemm.multiply(m: n, n: cols, k: pr,
                    a: MatrixRef(dy + r0, rowStride: rows),
                    b: MatrixRef(panel, rowStride: cols),
                    c: dx, ldc: cols, accumulate: true)
    }
  }
}

extension QuantizedMatrix {
  /// Dequantizes W in panels of at most `panelRows` rows (in parallel, into one
  /// f32 scratch buffer) and calls `body(firstRow, rowCount, panel)` for each,
  /// in row order.
  func forEachDequantizedPanel(_ body: (Int, Int, UnsafeMutablePointer<Float>) -> Void) {
    let panel = Swift.min(QuantizedMatrix.panelRows, rows)
    let scratch = Memory.tryAllocate(panel * cols)
    defer { Memory.release(scratch, count: panel * cols) }
    let me = self
    var r0 = 0
    while r0 < rows {
      let pr = Swift.min(panel, rows - r0)
      let base = r0
      WorkerPool.current.parallelRanges(pr, grain: 16) { r in
        for i in r { QuantBlocks.dequantizeRow(me.type, me.rowPointer(base + i), scratch + i * me.cols, blocks: me.blocksPerRow) }
      }
      body(r0, pr, scratch)
      r0 += pr
    }
  }
}

extension Tensor {
  /// y = x W^T for a frozen quantized weight W [out, in]: x [..., in] ->
  /// [..., out]. Gradients flow to x only (W is not trainable).
  public func linear(quantized w: QuantizedMatrix, activations: QuantActivations = .f32) throws -> Tensor {
    let out = try w.matmul(self, activations: activations)
    let xShape = shape
    out.record("quantized_linear", [self]) { g in
      let gc = g.contiguous()
      defer { withExtendedLifetime(gc) {} }  // raw pointers into it are used below
      let dx = try Tensor(uninitialized: xShape, what: "quantized_linear")
      w.matmulTransposed(gc.pointer, rows: gc.count / Swift.max(w.rows, 1), into: dx.mutablePointer)
      return [dx]
    }
    return out
  }
}
