// A one-element tensor is a number wherever one is expected (README): the
// typical case is `pred = logits.argmax()`, a 0-d tensor, used as a label
// index, a map key or a member of a list.

import Testing
import RetortLab
import RetortLang

@Suite struct TensorAsNumberTests {
  @Test func aPredictionIsANumberInContainersAndIndices() {
    let r = LabHarness.run("""
      p = tensor([0.1, 0.9]).argmax()
      print(p in [0, 1], [0, 1].index(p), ["neg", "pos"][p], "ab"[p], {0: "neg", 1: "pos"}.get(p, "unknown"))
      m = {}; m[p] = "seen"; print(m, m[1], 1 in m, p in {1: 0}, range(4)[p], p in range(2))
      l = tensor([-0.25])
      print(abs(l), min(l, 1.0), max(tensor(3), 2), sorted([l, tensor(0.1), -3]) == [-3, l, tensor(0.1)])
      print(tensor(0.1) in [0.1], [tensor(2.0)] == [2], tensor([1, 2]) in [1, 2])
      """)
    #expect(r.error == nil, "\(r)")
    #expect(r.output == """
      true 1 pos b pos
      {1: "seen"} seen true true 1 true
      0.25 tensor([-0.25], shape=[1], dtype=f32) tensor(3., shape=[], dtype=f32) true
      true true false

      """, "\(r)")
  }

  @Test func aPredictionIsASliceBoundAndAShapeEntry() {
    let r = LabHarness.run("""
      i = tensor([1.0, 5.0]).argmax()
      print([0, 1, 2][i:], "abc"[:i], tensor.zeros([i + 1, 2]).shape)
      """)
    #expect(r.error == nil && r.output == "[1, 2] a [2, 2]\n", "\(r)")
  }

  @Test func aOneElementBoolTensorIsABoolKey() {
    let r = LabHarness.run("m = {(tensor(1.0) > 0): \"x\"}\nprint(m, m.get(true, \"missing\"), {tensor(2.0): 1})")
    #expect(r.error == nil && r.output == "{true: \"x\"} x {2: 1}\n", "\(r)")
  }

  @Test func aBoolScalarIsABoolTensor() {
    // tensor(true) was f32 1.0, and as an index silently picked row 1.
    let r = LabHarness.run("print(tensor(true).dtype, (tensor([1.0, 2.0]) + true).tolist())\ntensor.arange(6).reshape([2, 3])[tensor(true)]")
    #expect(r.output == "bool [2.0, 3.0]\n" && r.error?.contains("a 0-d bool tensor is not a mask") == true, "\(r)")
  }

  @Test func inOnATensorLooksForAnEqualElement() {
    let r = LabHarness.run("""
      print(2 in tensor([1, 2]), 5 in tensor([1, 2]), 3 in tensor([[1, 2], [3, 4]]), tensor([3, 4]) in tensor([[1, 2], [3, 4]]))
      print(float("nan") in tensor([float("nan")]), 2.0 not in tensor([1, 2]))
      """)
    #expect(r.output == "true false true true\nfalse false\n", "\(r)")
    #expect(LabHarness.run("\"a\" in tensor([1])").error?.contains("'in <Tensor>' needs a number or a tensor on the left, not str") == true)
  }

  @Test func aOneElementTensorFitsAnElement() {
    let r = LabHarness.run("""
      x = tensor.ones([2]); x[0] = tensor([6.0]); x
      y = tensor.zeros([2, 3]); y[1] = tensor([[1, 2, 3]]); y.tolist()
      """)
    #expect(r.output.contains("tensor([6., 1.], shape=[2], dtype=f32)"), "\(r)")
    #expect(r.output.contains("[[0.0, 0.0, 0.0], [1.0, 2.0, 3.0]]"), "\(r)")
    #expect(LabHarness.run("x = tensor.ones([2]); x[0] = tensor([6.0, 7.0])").error?.contains("cannot broadcast shape [2] to []") == true)
  }

  @Test func aLargerTensorIsNotANumber() {
    #expect(LabHarness.run("[1, 2][tensor([0, 1])]").error?.contains("list indices must be integers, not Tensor") == true)
    #expect(LabHarness.run("[1, 2][tensor(0.5)]").error?.contains("list indices must be integers, not Tensor") == true)
    #expect(LabHarness.run("abs(tensor([1, -2]))").error?.contains("abs(): expects a number, got Tensor") == true)
    #expect(LabHarness.run("{tensor([1, 2]): 0}").error?.contains("not a Tensor (only one with a single value is a number)") == true)
  }
}
