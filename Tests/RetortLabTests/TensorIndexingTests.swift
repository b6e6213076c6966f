// Tensor subscripts, masks, gather and take through the language, as the
// audit wrote them (expected values from NumPy and PyTorch).

import Testing
import RetortLab
import RetortLang

@Suite struct TensorIndexingTests {
  @Test func comparisonsGiveBoolMasksThatSelect() {
    let r = LabHarness.run("""
      a = tensor.arange(24).reshape([2, 3, 4])
      print(a[a > 20].tolist(), (a > 20).dtype, a[a[:, :, 0] > 5].shape, (a > 20).sum().item(), ((a > 20) * 2).dtype)
      print(a[[true, false]].shape, a[:, [false, true, true], 0].tolist(), (a > 3)[0, 1, 0].item())
      m = tensor.logical_and(a > 3, a < 6); print(m.dtype, a[m].tolist(), a[tensor.logical_not(a > 1)].tolist())
      a[a > 20] = 0; print(a[1, 2].tolist())
      print(a[:, [0, 2], [1, 3]].tolist())
      """)
    #expect(r.error == nil, "\(r)")
    #expect(r.output == """
      [21.0, 22.0, 23.0] bool [4, 4] 3.0 f32
      [1, 3, 4] [[4.0, 8.0], [16.0, 20.0]] true
      bool [4.0, 5.0] [0.0, 1.0]
      [20.0, 0.0, 0.0, 0.0]
      [[1.0, 11.0], [13.0, 0.0]]

      """, "\(r)")
    let shown = LabHarness.run("tensor([1, 5]) > 2")
    #expect(shown.output == "tensor([false,  true], shape=[2], dtype=bool)\n", "\(shown)")
  }

  @Test func indexErrorsNameTheAxisAndRefuseWhatIsAmbiguous() {
    func err(_ code: String) -> String { LabHarness.run("a = tensor.arange(24).reshape([2, 3, 4])\n" + code).error ?? "" }
    #expect(err("a[0, 5]").contains("index 5 is out of range for axis 1 with size 3"))
    #expect(err("a[1, 2, 9]").contains("index 9 is out of range for axis 2 with size 4"))
    #expect(err("a[1, -4]").contains("index -4 is out of range for axis 1 with size 3"))
    #expect(err("a[0, :, [1, 2]]").contains("ambiguous: NumPy puts the list's dimensions first, PyTorch keeps them in place"))
    #expect(err("a[a[0] > 1]").contains("a bool mask of shape [3, 4] does not match axes 0 to 1"))
    #expect(err("a[\"x\"]").contains("index 0: an index is an int, a slice, a list or tensor of ints, or a bool mask; got str"))
    #expect(err("a[0.5]").contains("index 0: an index is an int"))
  }

  @Test func gatherIsPyTorchsAndTakeIsNumPys() {
    let r = LabHarness.run("""
      logits = tensor.randn([3, 4], seed=1)
      targets = tensor([0, 1, 1])
      picked = logits.gather(targets.unsqueeze(-1), axis=-1)
      print(picked.shape, picked.flatten().tolist() == [logits[0, 0].item(), logits[1, 1].item(), logits[2, 1].item()])
      print(logits.take(targets, axis=-1).shape, tensor([[1, 2], [3, 4]]).take([3, 0]).tolist())
      x = tensor.zeros([2, 3], requires_grad=true); x.gather([[0, 0], [2, 1]], axis=1).sum().backward(); print(x.grad.tolist())
      """)
    #expect(r.error == nil, "\(r)")
    #expect(r.output == "[3, 1] true\n[3, 3] [4.0, 1.0]\n[[2.0, 0.0, 0.0], [0.0, 1.0, 1.0]]\n", "\(r)")
    #expect(LabHarness.run("tensor.zeros([3, 4]).gather(tensor([0, 1, 1]), axis=-1)").error?
      .contains("gather(): the index has shape [3] but the tensor has shape [3, 4]; they need the same number of dimensions") == true)
  }

  @Test func gradientsThroughMasksAndListsMatchTorchAutograd() {
    // torch: x = arange(6.).reshape(2, 3).requires_grad_(); y = x[x > 1] * 2 + x[[0, 1, 0], [2, 0, 2]]
    // y.sum().backward(); x.grad is [[0, 0, 4], [3, 2, 2]].
    let r = LabHarness.run("""
      x = tensor.arange(6).reshape([2, 3]).requires_grad_()
      y = (x[x > 1] * 2).sum() + x[[0, 1, 0], [2, 0, 2]].sum()
      y.backward(); print(x.grad.tolist())
      """)
    #expect(r.output == "[[0.0, 0.0, 4.0], [3.0, 2.0, 2.0]]\n", "\(r)")
  }
}
