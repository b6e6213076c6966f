// NumPy-style subscripts: integers and slices as views, bool masks and
// paired (broadcast) index lists as copies, their gradients, assignment,
// and errors that name the axis of the tensor indexed. Expected values are
// NumPy's (a = np.arange(24.).reshape(2, 3, 4)) and torch.autograd's.

import Testing
@testable import RetortCompute

@Suite struct SubscriptTests {
  let a: Tensor = (try? Tensor.arange(0, 24).reshaped([2, 3, 4])) ?? Tensor(scalar: 0)

  @Test func masksSelectWhereTrue() throws {
    let m = try a.compare(.greater, Tensor(scalar: 20))
    #expect(m.dtype == .bool)
    let r = try a.subscripted([.mask(m)])
    #expect(r.shape == [3] && r.toArray() == [21, 22, 23])
    // A mask over the leading axes keeps the rest: a[a[:, :, 0] > 5] is [4, 4].
    let lead = try a.subscripted([.range(nil, nil, 1), .range(nil, nil, 1), .at(0)]).compare(.greater, Tensor(scalar: 5))
    let rows = try a.subscripted([.mask(lead)])
    #expect(rows.shape == [4, 4] && rows.toArray().prefix(5) == [8, 9, 10, 11, 12])
    // A mask after a slice: a[:, a[0, :, 0] > 3] is [2, 2, 4].
    let mid = try Tensor([0, 1, 1], shape: [3]).tagged(.bool)
    #expect(try a.subscripted([.range(nil, nil, 1), .mask(mid)]).shape == [2, 2, 4])
    #expect(try a.subscripted([.mask(try Tensor.zeros([2]).tagged(.bool))]).shape == [0, 3, 4])
  }

  @Test func indexListsArePairedAndBroadcast() throws {
    // a[:, [0, 2], [1, 3]] pairs (0, 1) and (2, 3): [[1, 11], [13, 23]], not an outer product.
    let r = try a.subscripted([.range(nil, nil, 1), .list([0, 2], shape: [2]), .list([1, 3], shape: [2])])
    #expect(r.shape == [2, 2] && r.toArray() == [1, 11, 13, 23])
    // Lists separated by a slice put their dimensions first: a[[0, 1], :, [1, 2]] is [2, 3].
    let apart = try a.subscripted([.list([0, 1], shape: [2]), .range(nil, nil, 1), .list([1, 2], shape: [2])])
    #expect(apart.shape == [2, 3] && apart.toArray() == [1, 5, 9, 14, 18, 22])
    // Shapes broadcast: a[[[0], [1]], [0, 2]] is [2, 2, 4].
    let b = try a.subscripted([.list([0, 1], shape: [2, 1]), .list([0, 2], shape: [2])])
    #expect(b.shape == [2, 2, 4] && Array(b.toArray().prefix(8)) == [0, 1, 2, 3, 8, 9, 10, 11])
    // An integer next to lists is an index too: a[[1, 0], 0, [1, 2]] is [13, 2].
    #expect(try a.subscripted([.list([1, 0], shape: [2]), .at(0), .list([1, 2], shape: [2])]).toArray() == [13, 2])
    #expect(throws: ComputeError("index lists: shapes [2] and [3] cannot be broadcast together: dimension 0 is 2 vs 3")) {
      try a.subscripted([.list([0, 1], shape: [2]), .list([0, 1, 2], shape: [3])])
    }
  }

  @Test func ambiguousMixesOfIntegersAndListsAreRefused() throws {
    // NumPy gives [2, 3], PyTorch [3, 2]: neither is silently chosen.
    #expect(throws: ComputeError.self) { try a.subscripted([.at(0), .range(nil, nil, 1), .list([1, 2], shape: [2])]) }
    // Where both agree it works: a[[1, 0], :, 0] is [2, 3] in both.
    #expect(try a.subscripted([.list([1, 0], shape: [2]), .range(nil, nil, 1), .at(0)]).shape == [2, 3])
  }

  @Test func errorsNameTheAxisOfTheTensorIndexed() throws {
    #expect(throws: ComputeError("index: index 5 is out of range for axis 1 with size 3")) { try a.subscripted([.at(0), .at(5)]) }
    #expect(throws: ComputeError("index: index 9 is out of range for axis 2 with size 4")) { try a.subscripted([.at(1), .at(2), .at(9)]) }
    #expect(throws: ComputeError("index: index -4 is out of range for axis 1 with size 3")) { try a.subscripted([.at(1), .at(-4)]) }
    #expect(throws: ComputeError("index: index 7 is out of range for axis 2 with size 4")) {
      try a.subscripted([.at(0), .range(nil, nil, 1), .list([7], shape: [1])])
    }
    #expect(throws: ComputeError.self) { try a.subscripted([.at(0), .at(0), .at(0), .at(0)]) }
    #expect(throws: ComputeError("index: 3 indices do not fill index shape [2]")) { try a.subscripted([.list([0, 1, 0], shape: [2])]) }
    // Lists that broadcast to 9e12 positions are refused before their offset tables are built.
    let zeros = [Int](repeating: 0, count: 3_000_000)
    #expect(throws: ComputeError.self) {
      try a.subscripted([.list(zeros, shape: [3_000_000, 1]), .list(zeros, shape: [3_000_000])])
    }
    let wrong = try Tensor.ones([3, 4]).tagged(.bool)
    #expect(throws: ComputeError("index: a bool mask of shape [3, 4] does not match axes 0 to 1 of a tensor of shape [2, 3, 4] "
                                 + "(sizes [2, 3]); a mask has the shape of the axes it selects")) { try a.subscripted([.mask(wrong)]) }
  }

  @Test func gradientsScatterBackAsTorchAutograd() throws {
    // torch: x = arange(12.).reshape(3, 4); (x[[0, 2, 0], [1, 3, 1]] * [1, 2, 3]).sum().backward()
    // gives 4 at (0, 1) and 2 at (2, 3).
    let x = try Tensor.arange(0, 12).reshaped([3, 4]).requiringGrad()
    let y = try x.subscripted([.list([0, 2, 0], shape: [3]), .list([1, 3, 1], shape: [3])])
    try (y * Tensor([1, 2, 3], shape: [3])).sum().backward()
    var want = [Float](repeating: 0, count: 12)
    want[1] = 4; want[11] = 2
    #expect(x.grad?.toArray() == want)
    // Masks and mixed subscripts against finite differences, on a strided view too.
    let m = try Tensor([1, 0, 1, 1, 0], shape: [5]).tagged(.bool)
    try gradCheck("mask", [randomTensor([5, 3], 80)]) { try $0[0].subscripted([.mask(m)]) }
    try gradCheck("pairs", [randomTensor([4, 3, 5], 81)]) {
      try $0[0].subscripted([.range(1, nil, 1), .list([0, 2, 2], shape: [3]), .list([4, 0, 4], shape: [3])])
    }
    try gradCheck("transposed", [randomTensor([3, 4], 82)]) {
      try $0[0].T.subscripted([.list([3, 0], shape: [2, 1]), .list([2, 2, 1], shape: [3])])
    }
  }

  @Test func assignmentWritesTheSelection() throws {
    let t = try Tensor.arange(0, 24).reshaped([2, 3, 4])
    try t.assignSubscript([.mask(try t.compare(.greater, Tensor(scalar: 20)))], Tensor(scalar: -1))
    #expect(Array(t.toArray().suffix(4)) == [20, -1, -1, -1])
    try t.assignSubscript([.range(nil, nil, 1), .list([0, 2], shape: [2]), .list([1, 3], shape: [2])], Tensor([7, 8], shape: [2]))
    #expect(t.toArray()[1] == 7 && t.toArray()[11] == 8 && t.toArray()[13] == 7 && t.toArray()[23] == 8)
    try t.assignSubscript([.at(0), .at(0)], Tensor([9, 9, 9, 9], shape: [1, 4]))
    #expect(Array(t.toArray().prefix(4)) == [9, 9, 9, 9])
    // Writes go through views into the base storage.
    let v = try t.permuted([2, 1, 0])
    try v.assignSubscript([.list([0], shape: [1])], Tensor(scalar: 5))
    #expect(try t.subscripted([.at(1), .at(2), .at(0)]).item() == 5)
    #expect(throws: ComputeError.self) { try t.assignSubscript([.list([0, 1], shape: [2])], Tensor.ones([3])) }
  }

  @Test func boolTensorsKeepTheirTypeThroughViews() throws {
    let m = try a.compare(.less, Tensor(scalar: 5))
    #expect(try m.reshaped([-1]).dtype == .bool && m.T.dtype == .bool && m.select(0).dtype == .bool)
    #expect(try m.slice(axis: 2, start: 1).dtype == .bool && m.contiguousCopy().dtype == .bool)
    #expect(try (m * 2).dtype == .f32 && m.sum().dtype == .f32 && m.sum().item() == 5)
    #expect(try Tensor.fromNested([true, false] as [Any]).dtype == .bool)
    #expect(try Tensor.fromNested([true, 2] as [Any]).dtype == .f32)
    #expect(m.description.hasSuffix("shape=[2, 3, 4], dtype=bool)") && m.description.hasPrefix("tensor([[[ true,  true,"))
    let x = try Tensor([0, 2, .nan, 0], shape: [4]), y = try Tensor([1, 0, 1, 0], shape: [4])
    #expect(try Tensor.logicalAnd(x, y).toArray() == [0, 0, 1, 0] && Tensor.logicalAnd(x, y).dtype == .bool)
    #expect(try Tensor.logicalOr(x, y).toArray() == [1, 1, 1, 0])
    #expect(try x.logicalNot().toArray() == [1, 0, 0, 1] && x.logicalNot().dtype == .bool)
    // The SIMD body agrees with the scalar kernels (37 values: two vectors and a tail).
    let p = randomFloats(37, seed: 5).map { $0 > 0 ? $0 : 0 }, q = randomFloats(37, seed: 6).map { $0 > 0.3 ? 0 : $0 }
    let tp = try Tensor(p, shape: [37]), tq = try Tensor(q, shape: [37])
    #expect(try Tensor.logicalAnd(tp, tq).toArray() == zip(p, q).map { AndK.scalar($0, $1) })
    #expect(try Tensor.logicalOr(tp, tq).toArray() == zip(p, q).map { OrK.scalar($0, $1) })
  }

  func randomTensor(_ shape: [Int], _ seed: Int) -> Tensor {
    (try? Tensor(randomFloats(shape.reduce(1, *), seed: seed), shape: shape)) ?? Tensor(scalar: 0)
  }
}
