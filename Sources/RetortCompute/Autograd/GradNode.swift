// Reverse-mode autodiff on a tape. Every op that produces a tensor from
// inputs that require gradients records a node: its inputs and a closure
// mapping the output's gradient to the inputs' gradients. Nodes carry a
// sequence number from a global counter (the tape position); since inputs
// always exist before outputs, replaying reachable nodes in decreasing
// sequence order is a valid reverse topological order.

import Synchronization

/// One recorded operation on the tape.
final class GradNode {
  /// Operation name (for error messages).
  let name: String
  /// The operation's tensor inputs.
  private(set) var inputs: [Tensor]
  /// Maps the output gradient to one gradient per input (nil = no gradient).
  private(set) var backward: (Tensor) throws -> [Tensor?]
  /// Position on the tape.
  let sequence: Int
  /// The inputs' storage versions when recorded (see `TensorStorage.version`).
  let versions: [Int]

  static let counter = Atomic<Int>(0)

  init(name: String, inputs: [Tensor], backward: @escaping (Tensor) throws -> [Tensor?]) {
    self.name = name
    self.inputs = inputs
    self.backward = backward
    versions = inputs.map { $0.storage.version }
    sequence = GradNode.counter.wrappingAdd(1, ordering: .relaxed).newValue
  }

  /// Throws if an input was written in place since this operation used it: its
  /// gradient would be computed from the new values.
  func checkInputsUnchanged() throws {
    for (i, v) in zip(inputs, versions) where i.storage.version != v {
      throw ComputeError("backward: \(name) used a tensor that was changed in place afterwards (by +=, -=, *=, /= or index "
                         + "assignment), so its gradient would be wrong; compute again from the new values, or write t = t + x "
                         + "to make a new tensor instead of changing t")
    }
  }

  /// Frees the graph behind this node with a loop instead of recursion: a
  /// chain of 50,000 recorded operations freed itself one nested deinit per
  /// operation and overflowed the stack. Tensors and nodes nothing else holds
  /// are taken apart here; shared ones are left to their other owners.
  deinit {
    var pending = inputs
    inputs = []
    backward = { _ in [] }
    while var t = pending.popLast() {
      guard isKnownUniquelyReferenced(&t), var node = t.gradNode else { continue }
      t.gradNode = nil
      guard isKnownUniquelyReferenced(&node) else { continue }
      // The closure goes first: tensors it shares with the inputs stay alive in `pending`.
      node.backward = { _ in [] }
      pending.append(contentsOf: node.inputs)
      node.inputs = []
    }
  }
}

/// Switch for recording, per task/thread (turned off inside `Tensor.noGrad`),
/// so concurrent work on other threads is unaffected.
public enum GradMode {
  @TaskLocal static var disabled = false
  /// Whether operations currently record gradient nodes.
  public static var isEnabled: Bool { !disabled }
}

extension Tensor {
  /// Records this tensor as the output of `name` applied to `inputs`, if
  /// any input requires a gradient and recording is on.
  func record(_ name: String, _ inputs: [Tensor], _ backward: @escaping (Tensor) throws -> [Tensor?]) {
    guard GradMode.isEnabled, inputs.contains(where: { $0.requiresGrad }) else { return }
    requiresGrad = true
    gradNode = GradNode(name: name, inputs: inputs, backward: backward)
  }

  /// Runs `body` without recording gradients (inference, optimizer updates).
  public static func noGrad<R>(_ body: () throws -> R) rethrows -> R {
    try GradMode.$disabled.withValue(true) { try body() }
  }

  /// Marks this tensor as a leaf whose gradient is wanted; returns self.
  @discardableResult
  public func requiringGrad(_ flag: Bool = true) -> Tensor {
    requiresGrad = flag
    return self
  }

  /// True when this tensor was created by the user, not by a recorded op.
  public var isLeaf: Bool { gradNode == nil }

  /// A tensor sharing storage with this one but cut from the graph.
  public func detached() -> Tensor {
    Tensor(storage: storage, shape: shape, strides: strides, offset: offset, dtype: dtype)
  }

  /// Clears the accumulated gradient.
  public func zeroGrad() { grad = nil }
}
