// Keys and values of every layer for the positions processed so far.

/// The attention cache of one sequence: f32 keys and values per layer,
/// `capacity` positions of `kvDim` values each.
public final class KVCache: @unchecked Sendable {
  /// Maximum positions.
  public let capacity: Int
  /// Positions filled.
  public internal(set) var count = 0
  let layers: Int
  let kvDim: Int
  let keys: UnsafeMutablePointer<Float>
  let values: UnsafeMutablePointer<Float>

  /// A cache for `capacity` positions of `config`'s model.
  public init(config: LlamaConfig, capacity: Int) throws {
    guard capacity > 0 else { throw ModelError("context size must be positive, got \(capacity)") }
    guard capacity <= 1 << 20 else {
      throw ModelError("context size \(capacity) is more than the 1048576 positions a cache can hold")
    }
    guard capacity <= config.contextLength * 4 else {
      throw ModelError("context size \(capacity) is more than 4 x the model's context length \(config.contextLength)")
    }
    self.capacity = capacity
    layers = config.layers
    kvDim = config.kvDim
    let n = layers * capacity * kvDim
    keys = .allocate(capacity: n)
    values = .allocate(capacity: n)
  }

  deinit {
    keys.deallocate()
    values.deallocate()
  }

  /// Bytes held.
  public var byteCount: Int { 2 * layers * capacity * kvDim * 4 }

  /// Forgets positions from `position` on (keeps the shared prefix).
  public func truncate(to position: Int) { count = max(0, min(count, position)) }

  @inline(__always) func key(_ layer: Int, _ pos: Int) -> UnsafeMutablePointer<Float> {
    keys + (layer * capacity + pos) * kvDim
  }
  @inline(__always) func value(_ layer: Int, _ pos: Int) -> UnsafeMutablePointer<Float> {
    values + (layer * capacity + pos) * kvDim
  }
}
