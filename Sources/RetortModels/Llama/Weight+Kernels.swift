// Matrix products with a weight: y[n, rows] = x[n, cols] W^T.

extension Weight {
  /// y = x W^T for `n` rows of x.
  func apply(_ x: UnsafePointer<Float>, n: Int, into y: UnsafeMutablePointer<Float>) {
    let tmp = UnsafeMutablePointer<Float>.allocate(capacity: cols)
    defer { tmp.deallocate() }
    for r in 0..<rows {
      row(r, into: tmp)
      for i in 0..<n {
        let xi = x + i * cols
        var d: Float = 0
        for e in 0..<cols { d += xi[e] * tmp[e] }
        y[i * rows + r] = d
      }
    }
  }
}
