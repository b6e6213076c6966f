// A weight matrix as stored in the GGUF file, with the products the forward
// pass needs. Quantized weights stay memory-mapped and run on the compute
// core's fused kernels; F32 weights are used in place; F16/BF16 weights are
// widened to f32 once at load.

import RetortCompute

/// A [rows, cols] weight matrix in GGUF layout (row r = output feature r).
struct Weight: @unchecked Sendable {
  let name: String
  let type: GGMLType
  let rows: Int
  let cols: Int
  let data: UnsafeRawBufferPointer
  /// The quantized view (Q8_0, Q4_0, Q4_1).
  let quantized: QuantizedMatrix?
  /// f32 values (mapped for F32, owned for F16/BF16).
  let floats: UnsafePointer<Float>?
  let owned: FloatBuffer?
  /// A LoRA adapter's low-rank term added to every product (`LlamaModel.adapted`).
  var lora: LowRankUpdate? = nil

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
    switch t.type {
    case .q8_0, .q4_0, .q4_1:
      let qt: QuantType = t.type == .q8_0 ? .q8_0 : (t.type == .q4_0 ? .q4_0 : .q4_1)
      do {
        quantized = try QuantizedMatrix(type: qt, rows: rows, cols: cols, data: data, owner: f.file)
      } catch {
        throw ModelError("\(f.path): tensor \(name): \(error)")
      }
      floats = nil
      owned = nil
    case .f32:
      quantized = nil
      floats = data.baseAddress.map { $0.assumingMemoryBound(to: Float.self) }
      owned = nil
    default:
      quantized = nil
      let buf = FloatBuffer(count: rows * cols)
      Quantize.decode(data, type: t.type, count: rows * cols, into: buf.pointer)
      owned = buf
      floats = UnsafePointer(buf.pointer)
    }
  }

  /// f32 values held in memory (an adapter's trained copy of an embedding).
  init(name: String, floats buf: FloatBuffer, rows: Int, cols: Int) {
    self.name = name
    type = .f32
    self.rows = rows
    self.cols = cols
    data = UnsafeRawBufferPointer(start: buf.pointer, count: rows * cols * MemoryLayout<Float>.stride)
    quantized = nil
    floats = UnsafePointer(buf.pointer)
    owned = buf
  }

  /// Decodes row `r` into `cols` floats (embedding lookup).
  func row(_ r: Int, into out: UnsafeMutablePointer<Float>) {
    if let floats {
      out.update(from: floats + r * cols, count: cols)
      return
    }
    let p = UnsafeRawBufferPointer(rebasing: data[(r * rowBytes)..<((r + 1) * rowBytes)])
    Quantize.decode(p, type: type, count: cols, into: out)
  }

  /// A 1-d weight (norm scales) as floats.
  func vector() -> [Float] { Quantize.decode(data, type: type, count: rows * cols) }

  /// y[n, rows] = x[n, cols] W^T. Quantized weights run fewer than four rows
  /// as matrix-vector products with the activations quantized to 8 bits, as
  /// llama.cpp does (fast, and what decoding uses); more rows, or `exact`,
  /// multiply the weights' f32 values by the f32 activations.
  func apply(_ x: UnsafePointer<Float>, n: Int, exact: Bool = false, into y: UnsafeMutablePointer<Float>) {
    if let q = quantized {
      if exact {
        q.matmul(x, rows: n, into: y, activations: .f32)
      } else if n == 1 {
        QuantMatVec.apply(self, x, into: y)
      } else if n < 4 {
        for i in 0..<n { QuantMatVec.apply(self, x + i * cols, into: y + i * rows) }
      } else {
        q.matmul(x, rows: n, into: y)
      }
    } else if let w = floats {
      Linear.forward(x: x, rows: n, weight: w, outFeatures: rows, inFeatures: cols, into: y)
    }
    lora?.add(x, n: n, rows: rows, cols: cols, into: y)
  }
}

extension Weight {
  /// y_k = x W_k^T for weights sharing the input `x`; for one token, quantized
  /// weights run as a single parallel job.
  static func applyShared(_ jobs: [(Weight, UnsafeMutablePointer<Float>)], _ x: UnsafePointer<Float>, n: Int, exact: Bool = false) {
    if n == 1, !exact, jobs.allSatisfy({ $0.0.quantized != nil }) {
      QuantMatVec.applyMany(jobs, x)
      for (w, y) in jobs { w.lora?.add(x, n: 1, rows: w.rows, cols: w.cols, into: y) }
    } else {
      for (w, y) in jobs { w.apply(x, n: n, exact: exact, into: y) }
    }
  }
}

/// Owned f32 storage, freed with the last reference.
final class FloatBuffer: @unchecked Sendable {
  let pointer: UnsafeMutablePointer<Float>
  let count: Int
  init(count: Int) {
    self.count = count
    pointer = .allocate(capacity: max(1, count))
  }
  deinit { pointer.deallocate() }
}
