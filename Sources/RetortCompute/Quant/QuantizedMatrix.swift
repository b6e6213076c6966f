// A quantized weight matrix [rows, cols] exactly as GGUF stores it: rows of
// `cols / 32` blocks, row-major. The bytes may be memory-mapped (borrowed,
// kept alive by `owner`) or owned (from `quantize`).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Owned raw bytes (64-byte aligned) for quantized data we create.
public final class ByteBuffer {
  /// Start of the bytes.
  public let pointer: UnsafeMutableRawPointer
  /// Number of bytes.
  public let count: Int

  /// Allocates `count` zeroed bytes; throws if memory is short.
  public init(count: Int, what: String) throws {
    try Memory.check(count: count, elementSize: 1, what: what)
    var raw: UnsafeMutableRawPointer? = nil
    guard posix_memalign(&raw, 64, max(64, count)) == 0, let p = raw else {
      throw ComputeError("\(what): out of memory allocating \(count) bytes")
    }
    memset(p, 0, max(64, count))
    pointer = p
    self.count = count
  }

  deinit { free(pointer) }
}

/// How activations enter a quantized product.
public enum QuantActivations: Sendable {
  /// Quantize activations to 8 bits per block of 32 first (llama.cpp's way; fastest).
  case q8
  /// Use f32 activations against dequantized weights (more precise).
  case f32
}

/// A quantized weight matrix W [rows, cols] (GGUF layout), used as y = W x.
public struct QuantizedMatrix: @unchecked Sendable {
  /// Block type.
  public let type: QuantType
  /// Output features (rows of W).
  public let rows: Int
  /// Input features (columns of W); a multiple of 32.
  public let cols: Int
  /// The raw blocks, `rows * rowBytes` bytes.
  public let data: UnsafeRawBufferPointer
  /// Keeps `data` alive (a memory map, a ByteBuffer, ...).
  public let owner: AnyObject?

  /// Bytes per row.
  public var rowBytes: Int { type.rowBytes(cols: cols) }
  /// Blocks per row.
  public var blocksPerRow: Int { cols / 32 }

  /// Wraps existing GGUF-layout bytes without copying.
  /// - Parameters:
  ///   - owner: an object that keeps `data` valid (e.g. the file mapping).
  /// - Throws: if `cols` is not a positive multiple of 32 or `data` is too short.
  public init(type: QuantType, rows: Int, cols: Int, data: UnsafeRawBufferPointer, owner: AnyObject? = nil) throws {
    guard cols > 0, cols % 32 == 0, rows >= 0 else {
      throw ComputeError("quantized matrix: \(type.rawValue) needs a positive column count that is a multiple of 32, got \(rows)x\(cols)")
    }
    let (need, o) = (cols / 32 * type.blockBytes).multipliedReportingOverflow(by: rows)
    guard !o, data.count >= need else {
      throw ComputeError("quantized matrix: \(type.rawValue) \(rows)x\(cols) needs \(need) bytes, got \(data.count)")
    }
    self.type = type; self.rows = rows; self.cols = cols; self.data = data; self.owner = owner
  }

  /// Quantizes an f32 matrix [rows, cols] (cols a multiple of 32).
  public static func quantize(_ w: Tensor, type: QuantType) throws -> QuantizedMatrix {
    guard w.rank == 2 else {
      throw ComputeError("quantize: expected a 2-d weight, got shape \(shapeString(w.shape))")
    }
    let rows = w.shape[0], cols = w.shape[1]
    guard cols > 0, cols % 32 == 0 else {
      throw ComputeError("quantize: \(type.rawValue) needs the column count to be a multiple of 32, got \(cols)")
    }
    let buf = try ByteBuffer(count: rows * type.rowBytes(cols: cols), what: "quantize")
    let dense = w.contiguous()
    defer { withExtendedLifetime(dense) {} }  // src points into it
    let src = dense.pointer
    let rb = type.rowBytes(cols: cols)
    WorkerPool.current.parallelRanges(rows, grain: 16) { r in
      for i in r {
        for b in 0..<cols / 32 {
          QuantBlocks.quantizeBlock(type, src + i * cols + b * 32, buf.pointer + i * rb + b * type.blockBytes)
        }
      }
    }
    return try QuantizedMatrix(type: type, rows: rows, cols: cols,
                               data: UnsafeRawBufferPointer(start: buf.pointer, count: buf.count), owner: buf)
  }

  /// Pointer to row `r`'s blocks.
  @inline(__always)
  public func rowPointer(_ r: Int) -> UnsafeRawPointer { data.baseAddress! + r * rowBytes }

  /// Dequantizes row `r` into `cols` floats at `dst` (embedding lookup).
  /// - Throws: if `r` is out of range.
  public func dequantizeRow(_ r: Int, into dst: UnsafeMutablePointer<Float>) throws {
    guard r >= 0, r < rows else { throw ComputeError("dequantize row: index \(r) is out of range for \(rows) rows") }
    QuantBlocks.dequantizeRow(type, rowPointer(r), dst, blocks: blocksPerRow)
  }

  /// The whole matrix as an f32 tensor [rows, cols].
  public func dequantize() throws -> Tensor {
    let t = try Tensor(uninitialized: [rows, cols], what: "dequantize")
    let dst = t.mutablePointer
    let me = self
    WorkerPool.current.parallelRanges(rows, grain: 64) { r in
      for i in r { QuantBlocks.dequantizeRow(me.type, me.rowPointer(i), dst + i * me.cols, blocks: me.blocksPerRow) }
    }
    return t
  }

  /// y = W x for one vector: `x` has `cols` floats, `y` receives `rows`.
  /// Rows are split across the worker pool; each row's sum has a fixed
  /// order, so results do not depend on the thread count.
  /// - Complexity: reads every weight byte once.
  public func matvec(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, activations: QuantActivations = .q8,
                     pool: WorkerPool = .current) {
    let nb = blocksPerRow, me = self
    switch activations {
    case .f32:
      pool.parallelRanges(rows, grain: 32) { r in
        for i in r { y[i] = QuantDot.f32(me.type, me.rowPointer(i), nb, x) }
      }
    case .q8:
      matvecUnchecked(Q8Activations(x, count: cols), into: y, pool: pool)
    }
  }

  /// y = W x with activations already quantized (quantize once, reuse for
  /// every weight that reads the same input, e.g. the Q, K and V projections).
  /// - Throws: if `q.count` is not `cols`.
  public func matvec(_ q: Q8Activations, into y: UnsafeMutablePointer<Float>, pool: WorkerPool = .current) throws {
    guard q.count == cols else {
      throw ComputeError("matvec: weight \(type.rawValue) [\(rows), \(cols)] and quantized vector of \(q.count) values do not align")
    }
    matvecUnchecked(q, into: y, pool: pool)
  }

  func matvecUnchecked(_ q: Q8Activations, into y: UnsafeMutablePointer<Float>, pool: WorkerPool) {
    let nb = blocksPerRow, me = self
    q.scales.withUnsafeBufferPointer { sc in
      q.scaledSums.withUnsafeBufferPointer { su in
        q.split.withUnsafeBufferPointer { qa in
          let s = sc.baseAddress!, u = su.baseAddress!, a = qa.baseAddress!
          pool.parallelRanges(rows, grain: 32) { r in
            switch me.type {
            case .q8_0: for i in r { y[i] = QuantDot.q8_0(me.rowPointer(i), nb, s, a) }
            case .q4_0: for i in r { y[i] = QuantDot.q4_0(me.rowPointer(i), nb, s, u, a) }
            case .q4_1: for i in r { y[i] = QuantDot.q4_1(me.rowPointer(i), nb, s, u, a) }
            }
          }
        }
      }
    }
  }

  /// y = W x for a 1-d tensor of `cols` values; returns `rows` values.
  /// - Throws: if the length does not match.
  public func matvec(_ x: Tensor, activations: QuantActivations = .q8) throws -> Tensor {
    guard x.rank == 1, x.count == cols else {
      throw ComputeError("matvec: weight \(type.rawValue) [\(rows), \(cols)] and vector \(shapeString(x.shape)) do not align: \(cols) vs \(x.shape.last ?? 0)")
    }
    let y = try Tensor(uninitialized: [rows], what: "matvec")
    let xc = x.contiguous()
    defer { withExtendedLifetime(xc) {} }  // raw pointers into it are used below
    matvec(xc.pointer, into: y.mutablePointer, activations: activations)
    return y
  }
}
