// Row kernels of causal attention over one (sequence, head) score block
// S [T, T] (row stride ld): the masked softmax of each row and its backward,
// in one call per block so the rows run back to back in this module.
// Row i attends to keys first[i]...i; entries past the diagonal are zeroed up
// to the end of the row's GEMM row tile, which is as far as the triangular
// products (`GemmTriangle`) read.

extension Kernels {
  /// P = softmax(scale * S) over keys first[i]...i of each row i, in place;
  /// zeros before first[i] and from i + 1 to the end of the row's tile (and
  /// possibly on to the end of the row's last 16-lane vector; the rest of
  /// the row is left as it was).
  public static func causalSoftmaxRows(_ s: UnsafeMutablePointer<Float>, seq: Int, ld: Int,
                                       first: UnsafePointer<Int32>, scale: Float) {
    for i in 0..<seq {
      let row = s + i * ld
      let f = Swift.min(i, Swift.max(0, Int(first[i])))
      if f > 0 { row.update(repeating: 0, count: f) }
      // The row runs on past the diagonal: its last vector is read and written whole.
      rowSoftmax(row + f, row + f, i + 1 - f, scale: scale, room: ld - f)
      zeroToTileEnd(row, i, seq)
    }
  }

  /// Backward of `causalSoftmaxRows` in place: G (dL/dP) becomes dL/dS =
  /// scale * P * (G - rowsum(P G)) on and below the diagonal, zeros after it
  /// to the end of each row's tile.
  public static func causalSoftmaxBackwardRows(_ p: UnsafePointer<Float>, _ g: UnsafeMutablePointer<Float>, seq: Int, ld: Int,
                                               scale: Float) {
    for i in 0..<seq {
      softmaxBackwardRow(p + i * ld, g + i * ld, n: i + 1, scale: scale)
      zeroToTileEnd(g + i * ld, i, seq)
    }
  }

  @inline(__always) static func zeroToTileEnd(_ row: UnsafeMutablePointer<Float>, _ i: Int, _ seq: Int) {
    let end = Swift.min(seq, (i / Gemm.rowTile + 1) * Gemm.rowTile)
    var j = i + 1
    while j < end { row[j] = 0; j += 1 }
  }
}
