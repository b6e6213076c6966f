// backward(): replays the tape from this tensor, accumulating gradients
// into leaf tensors' `.grad` (added to any existing gradient, as PyTorch does).

extension Tensor {
  /// Computes gradients of this tensor with respect to every leaf that
  /// requires them. A non-scalar output needs an explicit `gradient` seed.
  /// - Throws: if the tensor does not require gradients, the seed's shape is
  ///   wrong, or an operation's gradient fails.
  public func backward(_ gradient: Tensor? = nil) throws {
    guard requiresGrad else {
      throw ComputeError("backward: this tensor does not require gradients (set requires_grad on an input first)")
    }
    let seed: Tensor
    if let g = gradient {
      guard g.shape == shape else {
        throw ComputeError("backward: gradient of shape \(shapeString(g.shape)) does not match tensor of shape \(shapeString(shape))")
      }
      seed = g
    } else {
      guard count == 1 else {
        throw ComputeError("backward: output of shape \(shapeString(shape)) is not a scalar; pass a gradient of the same shape")
      }
      seed = try Tensor.ones(shape)
    }
    // Collect reachable recorded tensors.
    var seen = Set<ObjectIdentifier>()
    var order: [Tensor] = []
    var stack: [Tensor] = [self]
    while let t = stack.popLast() {
      guard seen.insert(ObjectIdentifier(t)).inserted else { continue }
      order.append(t)
      if let node = t.gradNode { for i in node.inputs where i.requiresGrad { stack.append(i) } }
    }
    order.sort { ($0.gradNode?.sequence ?? 0) > ($1.gradNode?.sequence ?? 0) }
    var grads: [ObjectIdentifier: Tensor] = [ObjectIdentifier(self): seed]
    try Tensor.noGrad {
      for t in order {
        guard let g = grads.removeValue(forKey: ObjectIdentifier(t)) else { continue }
        guard let node = t.gradNode else {
          if t.requiresGrad { t.grad = try t.grad.map { try $0 + g } ?? g.contiguousCopy() }
          continue
        }
        try node.checkInputsUnchanged()
        let parts = try node.backward(g)
        for (input, part) in zip(node.inputs, parts) {
          guard input.requiresGrad, let part else { continue }
          guard part.shape == input.shape else {
            throw ComputeError("backward: internal gradient shape mismatch in \(node.name): \(shapeString(part.shape)) vs \(shapeString(input.shape))")
          }
          let id = ObjectIdentifier(input)
          grads[id] = try grads[id].map { try $0 + part } ?? part
        }
      }
    }
  }

  /// A contiguous copy that never shares storage with self.
  public func contiguousCopy() throws -> Tensor {
    let out = try Tensor(uninitialized: shape, what: "copy")
    copyStrided(into: out.mutablePointer)
    return out.tagged(dtype)
  }
}
