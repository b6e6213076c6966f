import Testing
import RetortLab
import RetortLang

/// `t += x` on a tensor updates it in place, as index assignment does and as
/// PyTorch's in-place operators do, unless autograd is recording it.
@Suite struct TensorInPlaceTests {
  @Test func augmentedAssignmentWritesIntoTheTensorEveryNameSees() {
    let r = LabHarness.run("""
      t = tensor([1.0, 2.0]); u = t
      t += 1; print(u.tolist())
      t *= 2; t -= tensor([1, 1]); t /= 2; print(u.tolist())
      fn bump(x) { x += 10 }
      bump(t); print(u.tolist())
      v = t[0:1]; v += 100; print(t.tolist())
      """)
    #expect(r.error == nil, "\(r)")
    #expect(r.output == "[2.0, 3.0]\n[1.5, 2.5]\n[11.5, 12.5]\n[111.5, 12.5]\n", "\(r)")
  }

  @Test func backwardRefusesATensorChangedInPlaceAfterUse() {
    // y used x's old values; a gradient from the new ones would be silently wrong ([101, 102]).
    let r = LabHarness.run("""
      x = tensor([1.0, 2.0]); w = tensor([3.0, 4.0], requires_grad=true)
      y = (x * w).sum()
      x[0] = 100
      y.backward()
      """)
    #expect(r.error?.contains("backward(): multiply used a tensor that was changed in place afterwards") == true, "\(r)")
    let again = LabHarness.run("""
      x = tensor([1.0, 2.0]); w = tensor([3.0, 4.0], requires_grad=true)
      y = (x * w).sum(); x += 100
      (x * w).sum().backward(); print(w.grad.tolist())
      """)
    #expect(again.error == nil && again.output == "[101.0, 102.0]\n", "\(again)")
  }

  @Test func boolTensorsRefuseArithmeticInPlaceAndCopiesStayMasks() {
    let r = LabHarness.run("m = tensor([1, 5, 3]) > 2; m += 1")
    #expect(r.error?.contains("operator +=: a bool tensor holds only true and false") == true, "\(r)")
    let c = LabHarness.run("m = tensor([1, 5, 3]) > 2; print(tensor([1, 2, 3])[m.copy()].tolist(), m.copy().dtype)")
    #expect(c.error == nil && c.output == "[2.0, 3.0] bool\n", "\(c)")
  }

  @Test func inPlaceKeepsTheShape() {
    let r = LabHarness.run("z = tensor([1.0, 2.0]); z += tensor.ones([2, 2])")
    #expect(r.error?.contains("operator +=: the result has shape [2, 2], not the tensor's [2]; in place the shape stays") == true, "\(r)")
  }

  @Test func withGradientsItMakesANewTensorSoTheGraphIsKept() {
    let r = LabHarness.run("""
      w = tensor([1.0, 2.0], requires_grad=true); w0 = w
      total = tensor(0.0); before = total
      total += (w * w).sum()
      total.backward()
      print(w0.grad.tolist(), before.item(), total.item())
      """)
    #expect(r.error == nil, "\(r)")
    #expect(r.output == "[2.0, 4.0] 0.0 5.0\n", "\(r)")
  }
}
