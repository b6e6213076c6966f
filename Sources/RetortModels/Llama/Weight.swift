// A weight matrix as stored in the GGUF file (memory-mapped, any supported
// type), with the products the forward pass needs. Quantized products run
// on the compute core's kernels (see Weight+Kernels.swift).

/// A [rows, cols] weight matrix in GGUF layout (row r = output feature r).
struct Weight: @unchecked Sendable {
  let name: String
  let type: GGMLType
  let rows: Int
  let cols: Int
  let data: UnsafeRawBufferPointer

  var rowBytes: Int { type.byteCount(elements: cols) }

  init(_ f: GGUFFile, _ name: String, rows: Int, cols: Int) throws {
    guard let t = f.tensor(name) else { throw ModelError("\(f.path): missing tensor \(name)") }
    let shape = t.shape.count == 1 ? [t.shape[0], 1] : t.shape
    guard shape.count == 2, shape[0] == cols, shape[1] == rows else {
      throw ModelError("\(f.path): tensor \(name) has shape \(t.shape), expected [\(cols), \(rows)]")
    }
    self.name = name
    type = t.type
    self.rows = rows
    self.cols = cols
    data = try f.data(t)
  }

  /// Decodes row `r` into `cols` floats (embedding lookup).
  func row(_ r: Int, into out: UnsafeMutablePointer<Float>) {
    let p = UnsafeRawBufferPointer(rebasing: data[(r * rowBytes)..<((r + 1) * rowBytes)])
    Quantize.decode(p, type: type, count: cols, into: out)
  }

  /// A 1-d weight (norm scales) as floats.
  func vector() -> [Float] { Quantize.decode(data, type: type, count: rows * cols) }
}
