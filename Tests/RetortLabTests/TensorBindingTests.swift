import Testing
import RetortLab
import RetortLang

/// The `tensor` namespace through the language.
@Suite struct TensorBindingTests {
  @Test func creationOperatorsAndDisplay() {
    let r = LabHarness.run("""
      t = tensor([[1, 2], [3, 4]])
      t
      t.shape
      t @ t
      2 - t
      (t > 2).tolist()
      t.sum(axis=0).tolist()
      t.mean().item()
      t.T.tolist()
      tensor.randn([2, 3], seed=1).tolist() == tensor.randn([2, 3], seed=1).tolist()
      """)
    #expect(r.error == nil)
    let lines = r.output.split(separator: "\n").map(String.init)
    #expect(lines[0] == "tensor([[1., 2.],")
    #expect(lines[1] == "        [3., 4.]], shape=[2, 2], dtype=f32)")
    #expect(lines[2] == "[2, 2]")
    #expect(lines[3] == "tensor([[ 7., 10.],")
    #expect(r.output.contains("[[false, false], [true, true]]"))
    #expect(r.output.contains("[4.0, 6.0]"))
    #expect(r.output.contains("2.5"))
    #expect(r.output.contains("[[1.0, 3.0], [2.0, 4.0]]"))
    #expect(lines.last == "true")
  }

  @Test func aOneElementTensorIsANumberToFloatIntAndFormats() {
    let r = LabHarness.run("""
      loss = (tensor([1.0, 2.0, 4.5]) * 2).mean()
      print(float(loss), int(loss), sqrt(tensor([[9.0]])), f"{loss:.3f}", round(loss, 1))
      float(tensor([1.0, 2.0]))
      """)
    #expect(r.output == "5.0 5 3.0 5.000 5.0\n", "\(r)")
    #expect(r.error?.contains("float(): cannot convert a Tensor (only one with a single value)") == true, "\(r)")
  }

  @Test func indexingAndAssignment() {
    let r = LabHarness.run("""
      t = tensor.arange(6).reshape([2, 3])
      t[0].tolist()
      t[:, 1].tolist()
      t[1:3].shape
      t[:, ::-1].tolist()
      t[-1, -1].item()
      t[0, 1] = 9
      t.tolist()
      t[5]
      """)
    #expect(r.output.contains("[0.0, 1.0, 2.0]"))
    #expect(r.output.contains("[1.0, 4.0]"))
    #expect(r.output.contains("[1, 3]"))
    #expect(r.output.contains("[[2.0, 1.0, 0.0], [5.0, 4.0, 3.0]]"))
    #expect(r.output.contains("5.0"))
    #expect(r.output.contains("[[0.0, 9.0, 2.0], [3.0, 4.0, 5.0]]"))
    #expect(r.error?.contains("index 5 is out of range for axis 0 with size 2") == true)
  }

  @Test func autodiff() {
    let r = LabHarness.run("""
      w = tensor([[1, 2], [3, 4]], requires_grad=true)
      loss = (w * w).sum()
      loss.backward()
      w.grad.tolist()
      """)
    #expect(r.error == nil)
    #expect(r.output.contains("[[2.0, 4.0], [6.0, 8.0]]"))
  }

  @Test func shapeErrors() {
    let r = LabHarness.run("tensor.zeros([2, 3]) @ tensor.zeros([4, 5])")
    #expect(r.error?.contains("matmul: shapes [2, 3] and [4, 5] do not align: 3 vs 4") == true)
    let r2 = LabHarness.run("tensor([[1, 2], [3]])")
    #expect(r2.error?.contains("ragged") == true)
  }
}
