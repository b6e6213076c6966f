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
      paddedRowSoftmax(row + f, n: i + 1 - f, room: ld - f, scale: scale)
      zeroToTileEnd(row, i, seq)
    }
  }

  /// `rowSoftmax` in place over the first n of `room` floats at p, with the
  /// same bits: whole vectors are read and written while they fit in `room`,
  /// the last partial one with its lanes past n masked (they become zeros),
  /// instead of tail copies.
  @inline(__always) static func paddedRowSoftmax(_ p: UnsafeMutablePointer<Float>, n: Int, room: Int, scale: Float) {
    let whole = n / 16 * 16
    let rest = n - whole
    guard rest == 0 || whole + 16 <= room else {
      rowSoftmax(p, p, n, scale: scale)
      return
    }
    let raw = UnsafeMutableRawPointer(p)
    let lanes = SIMD16<Int32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
    let dead = lanes .>= SIMD16<Int32>(repeating: Int32(rest))
    @inline(__always) func last() -> V16 {
      var v = raw.loadUnaligned(fromByteOffset: whole * 4, as: V16.self)
      v.replace(with: -.infinity, where: dead)
      return v
    }
    var mv = V16(repeating: -.infinity)
    var j = 0
    while j < whole { mv = vmax(mv, raw.loadUnaligned(fromByteOffset: j * 4, as: V16.self)); j += 16 }
    if rest > 0 { mv = vmax(mv, last()) }
    let shift = V16(repeating: maxLane(mv)), kv = V16(repeating: scale)
    var acc = V16()
    j = 0
    while j < whole {
      let e = vexp((raw.loadUnaligned(fromByteOffset: j * 4, as: V16.self) - shift) * kv)
      raw.storeBytes(of: e, toByteOffset: j * 4, as: V16.self)
      acc += e
      j += 16
    }
    if rest > 0 {
      let e = vexp((last() - shift) * kv)
      raw.storeBytes(of: e, toByteOffset: whole * 4, as: V16.self)
      acc += e
    }
    let end = rest > 0 ? whole + 16 : whole
    let inv = V16(repeating: 1 / acc.sum())
    j = 0
    while j < end {
      raw.storeBytes(of: raw.loadUnaligned(fromByteOffset: j * 4, as: V16.self) * inv, toByteOffset: j * 4, as: V16.self)
      j += 16
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
