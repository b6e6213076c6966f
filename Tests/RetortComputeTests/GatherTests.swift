// gather (PyTorch's: one element per index position) and take (NumPy's:
// whole slices), values and gradients. References from torch.gather.

import Testing
@testable import RetortCompute

@Suite struct GatherTests {
  @Test func gatherPicksOneElementPerIndexPosition() throws {
    // torch.tensor([[1., 2, 3], [4, 5, 6]]).gather(1, torch.tensor([[2], [0]])) is [[3], [4]].
    let t = try Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
    let picked = try t.gather([2, 0], shape: [2, 1], axis: 1)
    #expect(picked.shape == [2, 1] && picked.toArray() == [3, 4])
    #expect(try t.gather([-1, 0], shape: [2, 1], axis: -1).toArray() == [3, 4])
    // Along axis 0, with an index smaller than the tensor on the other axis (torch allows it).
    #expect(try t.gather([1, 0, 1, 1], shape: [2, 2], axis: 0).toArray() == [4, 2, 4, 5])
    // The idiom that took the wrong shape with take semantics: [3, 4] gathered by targets [3, 1] is [3, 1].
    let logits = try Tensor.randn([3, 4], seed: 1)
    let g = try logits.gather([0, 1, 1], shape: [3, 1], axis: -1)
    #expect(g.shape == [3, 1])
    #expect(g.toArray() == [logits.toArray()[0], logits.toArray()[5], logits.toArray()[9]])
  }

  @Test func gatherRefusesMismatchedIndices() throws {
    let t = try Tensor.zeros([2, 3])
    #expect(throws: ComputeError.self) { try t.gather([0, 1], shape: [2], axis: 1) }
    #expect(throws: ComputeError.self) { try t.gather([0, 0, 0], shape: [3, 1], axis: 1) }
    #expect(throws: ComputeError("gather: index 3 is out of range for axis 1 with size 3")) { try t.gather([3, 0], shape: [2, 1], axis: 1) }
    #expect(throws: ComputeError.self) { try Tensor(scalar: 1).gather([0], shape: [], axis: 0) }
  }

  @Test func gatherAndTakeGradients() throws {
    // torch: x.gather(1, [[0, 0], [2, 1]]).sum().backward() puts 2 at (0, 0), 1 at (1, 2) and (1, 1).
    let x = try Tensor.zeros([2, 3]).requiringGrad()
    try x.gather([0, 0, 2, 1], shape: [2, 2], axis: 1).sum().backward()
    #expect(x.grad?.toArray() == [2, 0, 0, 0, 1, 1])
    try gradCheck("gather", [try Tensor(randomFloats(12, seed: 90), shape: [3, 4])]) {
      try $0[0].gather([3, 0, 1, 1, 2, 0], shape: [3, 2], axis: 1)
    }
    try gradCheck("take", [try Tensor(randomFloats(12, seed: 91), shape: [3, 4])]) {
      try $0[0].take([3, 0, 3], shape: [3], axis: 1)
    }
  }

  @Test func takeReplacesTheAxisWithTheIndicesShape() throws {
    let t = try Tensor.arange(0, 6).reshaped([2, 3])
    #expect(try t.take([1, 1, 0], axis: 0).toArray() == [3, 4, 5, 3, 4, 5, 0, 1, 2])
    #expect(try t.take([0, 2, 1, 1], shape: [2, 2], axis: 1).shape == [2, 2, 2])
  }
}
