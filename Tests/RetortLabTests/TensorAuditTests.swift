// Findings of the tensor audit (December), each checked against what PyTorch or NumPy do.

import Testing
import RetortLab
import RetortLang

@Suite struct TensorAuditTests {
  static let errors: [(code: String, message: String)] = [
    // Listing 10^14 empty rows allocated for each of them and aborted the process.
    ("tensor.zeros([100000000000000, 0]).tolist()", "would make 100000000000000 lists"),
    // The index came back as an f32, which cannot hold 16777217.
    ("x = tensor.zeros([16777219]); x.argmax()", "an f32 index is exact only up to 16777216"),
    // A transposed batch of targets had the right count and trained on the wrong labels.
    ("tensor.cross_entropy(tensor.randn([2, 3, 5], seed=1), tensor([[0, 1], [2, 3], [4, 0]]))",
     "targets of shape [3, 2] for logits [2, 3, 5]; expected [2, 3]"),
    ("tensor.embedding(tensor.ones([4, 2]), tensor([-1]))", "id -1 at position 0 is out of range for a table of 4 rows"),
    // Writing a value that carries gradients dropped them without a word.
    ("w = tensor([1.0, 2.0], requires_grad=true); x = tensor.zeros([2]); x[0] = w[1] * 3", "the value carries gradients"),
    // A hand-written update turned the parameter into a non-leaf, and the next step found no gradient.
    ("w = tensor([1.0], requires_grad=true); (w * w).sum().backward(); w -= 0.1 * w.grad",
     "make the updated one a parameter again: w = (w - lr * w.grad).detach().requires_grad_()"),
    ("(tensor([1.0]) > 0).requires_grad_()", "a bool tensor cannot require gradients"),
    ("tensor.ones([2, 3]).layer_norm(bias=tensor.ones([2]))", "layer_norm(): bias of shape [2] does not match"),
  ]

  @Test(arguments: errors)
  func clearErrors(_ c: (code: String, message: String)) {
    let r = LabHarness.run(c.code)
    #expect(r.error?.contains(c.message) == true, "\(c.code): \(r.error ?? "no error; output \(r.output)")")
  }

  @Test func valuesThatWereWrong() {
    let r = LabHarness.run("""
      print(tensor.zeros([100000000000000, 0]))
      w = tensor([1.0], requires_grad=true)
      print(w.grad == nil, w.grad != nil)
      (w * w).sum().backward()
      print(w.grad == nil, w.grad != nil)
      print(((tensor([1.0, 2, 3, 4]) * 1e20).layer_norm() - tensor([1.0, 2, 3, 4]).layer_norm()).abs().max().item() < 1e-5)
      print((tensor.rand([10000], low=1e8, high=1e8 + 10, seed=1) < 1e8 + 10).sum().item() == 10000)
      x = tensor([1.0, 2, 3, 4])
      print(round(x.std().item(), 5), round(x.std(unbiased=true).item(), 5), x.reshape([2, 2]).std(axis=1).tolist())
      """)
    #expect(r.error == nil, "\(r)")
    // std against NumPy: 1.118034 (ddof=0), 1.290994 (ddof=1), rows [0.5, 0.5].
    #expect(r.output == "tensor([], shape=[100000000000000, 0], dtype=f32)\ntrue false\nfalse true\ntrue\ntrue\n1.11803 1.29099 [0.5, 0.5]\n", "\(r.output)")
  }
}
