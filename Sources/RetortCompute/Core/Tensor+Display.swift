// NumPy-style display: nested brackets with aligned columns, one number
// format for the whole tensor (`ValueFormat`); tensors with more than 1000
// elements show the first and last 3 entries of each axis around an
// ellipsis. Ends with the shape and dtype. A row longer than the line width
// wraps, its continuation aligned under its first value (as PyTorch's).

import Foundation

extension Tensor: CustomStringConvertible {
  /// e.g. `tensor([[1., 2.],\n        [3., 4.]], shape=[2, 2], dtype=f32)`.
  public var description: String { described(lineWidth: .max) }

  /// The description with rows wrapped to `lineWidth` columns.
  public func described(lineWidth: Int) -> String {
    let prefix = "tensor("
    let body = formatValues(indent: prefix.count, lineWidth: lineWidth)
    var extra = ", shape=\(shapeString(shape)), dtype=\(dtype.rawValue)"
    if requiresGrad { extra += ", requires_grad=true" }
    return prefix + body + extra + ")"
  }

  /// The values only, NumPy `str` style (no shape/dtype suffix).
  public func formatValues(indent: Int = 0, lineWidth: Int = .max) -> String {
    let summarize = count > 1000
    // No values (a 0 in the shape): nothing to lay out, however long the other axes are.
    if count == 0 && rank > 0 { return "[]" }
    let edge = 3
    let c = contiguous()
    defer { withExtendedLifetime(c) {} }  // raw pointers into it are used below
    let p = c.pointer
    if rank == 0 { return ValueFormat([p[0]], dtype: dtype).string(p[0]) }
    // Collect shown values to pick one format and width.
    var shown: [Float] = []
    func indices(_ n: Int) -> [Int?] {
      if summarize && n > 2 * edge { return Array(0..<edge) + [nil] + Array((n - edge)..<n) }
      return Array(0..<n)
    }
    let strides = Tensor.rowMajorStrides(shape)
    func collect(_ d: Int, _ off: Int) {
      for i in indices(shape[d]) {
        guard let i else { continue }
        if d == rank - 1 { shown.append(p[off + i]) } else { collect(d + 1, off + i * strides[d]) }
      }
    }
    collect(0, 0)
    let format = ValueFormat(shown, dtype: dtype)
    let strs = Dictionary(shown.map { ($0.bitPattern, format.string($0)) }, uniquingKeysWith: { a, _ in a })
    let width = strs.values.map(\.count).max() ?? 1
    func fmt(_ v: Float) -> String {
      let s = strs[v.bitPattern] ?? "\(v)"
      return String(repeating: " ", count: width - s.count) + s
    }
    func render(_ d: Int, _ off: Int, _ col: Int) -> String {
      var parts: [String] = []
      for i in indices(shape[d]) {
        guard let i else { parts.append("..."); continue }
        parts.append(d == rank - 1 ? fmt(p[off + i]) : render(d + 1, off + i * strides[d], col + 1))
      }
      if d == rank - 1 {
        // Values per line: the row's bracket at `col`, then width + ", " per value.
        let fit = Swift.max(1, (lineWidth - col - 2) / (width + 2))
        guard parts.count > fit, lineWidth < .max else { return "[" + parts.joined(separator: ", ") + "]" }
        let lines = stride(from: 0, to: parts.count, by: fit).map { parts[$0..<Swift.min(parts.count, $0 + fit)].joined(separator: ", ") }
        return "[" + lines.joined(separator: ",\n" + String(repeating: " ", count: col + 1)) + "]"
      }
      let sep = "," + String(repeating: "\n", count: rank - 1 - d) + String(repeating: " ", count: col + 1)
      return "[" + parts.joined(separator: sep) + "]"
    }
    return render(0, 0, indent)
  }
}

/// One format for every shown value of a tensor (as PyTorch): whole numbers
/// as `3.`; otherwise fixed decimals (up to 4, as many as the values need),
/// unless the nonzero magnitudes span more than 1000x, reach 1e8 or go below
/// 1e-4, when all values are scientific (`1.0000e-05`), so no value loses its
/// digits and columns never mix forms. -0.0 keeps its sign in every form.
/// Bool tensors show `true` and `false`.
enum ValueFormat {
  case truth, integral, fixed(decimals: Int), scientific

  init(_ values: [Float], dtype: DType = .f32) {
    if dtype == .bool { self = .truth; return }
    let finite = values.filter { $0.isFinite }
    if finite.allSatisfy({ $0 == $0.rounded() && Swift.abs($0) < 1e8 }) { self = .integral; return }
    let magnitudes = finite.filter { $0 != 0 }.map { Swift.abs($0) }
    if let lo = magnitudes.min(), let hi = magnitudes.max(), hi >= 1e8 || lo < 1e-4 || hi / lo > 1000 {
      self = .scientific
      return
    }
    var decimals = 1
    for v in finite {
      var s = String(format: "%.4f", Double(v))
      while s.hasSuffix("0") { s.removeLast() }
      if let dot = s.firstIndex(of: ".") { decimals = Swift.max(decimals, s.distance(from: dot, to: s.endIndex) - 1) }
    }
    self = .fixed(decimals: decimals)
  }

  func string(_ v: Float) -> String {
    if case .truth = self { return v != 0 ? "true" : "false" }
    if v.isNaN { return "nan" }
    if v.isInfinite { return v > 0 ? "inf" : "-inf" }
    switch self {
    case .truth: return v != 0 ? "true" : "false"
    case .integral: return (v == 0 && v.sign == .minus ? "-0" : String(Int64(v))) + "."
    case .fixed(let d): return String(format: "%.\(d)f", Double(v))
    case .scientific: return String(format: "%.4e", Double(v))
    }
  }
}

extension Tensor {
  /// The values as nested Swift arrays of Double, or of Bool for a bool
  /// tensor (a 0-d tensor gives one value).
  public func toNested() -> Any {
    let values = toArray()
    let isBool = dtype == .bool
    func leaf(_ v: Float) -> Any { isBool ? (v != 0) as Any : Double(v) as Any }
    if rank == 0 { return leaf(values.first ?? 0) }
    func build(_ d: Int, _ off: Int, _ stride: Int) -> [Any] {
      let inner = stride / Swift.max(shape[d], 1)
      return (0..<shape[d]).map { i in
        d == rank - 1 ? leaf(values[off + i]) : build(d + 1, off + i * inner, inner) as Any
      }
    }
    return build(0, 0, count)
  }
}
