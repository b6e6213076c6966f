// `Tensor` in the language: properties and methods (t.shape, t.T,
// t.sum(axis=0), t.softmax(axis=-1), t.backward(), t.grad, ...). Operators
// and indexing are in TensorValue+Operators.swift.

import RetortCompute
import RetortLang

final class TensorValue: HostObject {
  let tensor: Tensor
  init(_ t: Tensor) { tensor = t }
  var typeInfo: TypeInfo { Self.type }

  func render(_ context: RenderContext) throws -> String { tensor.described(lineWidth: context.width) }
  /// A one-element tensor is a number to float(), int() and numeric arguments.
  var scalar: Double? { tensor.count == 1 ? (try? tensor.item()).map(Double.init) : nil }
  /// A one-element bool tensor is the key `true` or `false` (`{(x > 0): ...}`).
  var scalarKey: Value? {
    guard let d = scalar else { return nil }
    return tensor.dtype == .bool ? .bool(d != 0) : .float(d)
  }
  /// Small tensors in full when they fit one line, else their shape.
  var brief: String {
    if tensor.count <= 16 {
      let text = tensor.description
      if !text.contains("\n") { return text }
    }
    return "<Tensor shape [" + tensor.shape.map(String.init).joined(separator: ", ") + "]>"
  }
  var length: Int? { tensor.rank == 0 ? nil : tensor.shape[0] }
  var truthiness: Bool? {
    get throws {
      if tensor.count == 1 { return tensor.pointer.pointee != 0 }
      throw ScriptError("the truth of a tensor of \(tensor.count) elements is ambiguous; use t.sum(), t.max() or t.min() "
                        + "(an elementwise comparison gives a bool tensor of one truth per element)")
    }
  }

  /// `x in t`: whether any element equals x (a number or a tensor, broadcast), as PyTorch.
  func contains(_ value: Value) throws -> Bool? {
    switch value {
    case .int, .float, .bool, .list, .object(_ as TensorValue):
      let eq = try tensor.compare(.equal, TensorConvert.tensor(value, "'in <Tensor>'"))
      return eq.toArray().contains { $0 != 0 }
    default:
      throw ScriptError("'in <Tensor>' needs a number or a tensor on the left, not \(value.typeName)")
    }
  }

  func elements() throws -> [Value]? {
    guard tensor.rank >= 1 else { return nil }
    return try (0..<tensor.shape[0]).map { TensorConvert.value(try tensor.select($0)) }
  }

  static let type = TypeInfo("Tensor", doc: "An n-dimensional f32 (or bool) array with autodiff; NumPy-style subscripts and masks.") { t in
    typealias C = TensorConvert
    let axis = Param.optional("axis"), keep = Param.optional("keepdims", "false")
    t.property("shape", "Size of each dimension.") { (v: TensorValue) in C.shapeValue(v.tensor.shape) }
    t.property("ndim", "Number of dimensions.") { (v: TensorValue) in .int(v.tensor.rank) }
    t.property("size", "Number of elements.") { (v: TensorValue) in .int(v.tensor.count) }
    t.property("dtype", "Element type: f32, or bool for comparisons and masks (arithmetic on bool gives f32 0/1).") {
      (v: TensorValue) in .string(v.tensor.dtype.rawValue)
    }
    t.property("T", "Transpose (last two axes swapped).") { (v: TensorValue) in C.value(v.tensor.T) }
    t.property("grad", "Gradient after backward(), or nil.") { (v: TensorValue) in v.tensor.grad.map(C.value) ?? .none }
    t.property("requires_grad", "Whether gradients flow to this tensor.") { (v: TensorValue) in .bool(v.tensor.requiresGrad) }
    t.property("is_leaf", "True for tensors created directly (not by an op).") { (v: TensorValue) in .bool(v.tensor.isLeaf) }

    t.method("item", [], "The value of a one-element tensor (a bool for a bool tensor).") { (v: TensorValue, _: inout Args) in
      let x = try v.tensor.item()
      return v.tensor.dtype == .bool ? .bool(x != 0) : .float(Double(x))
    }
    t.method("tolist", [], "Values as nested lists.") { (v: TensorValue, _: inout Args) in
      let lists = C.listsBuilt(v.tensor)
      guard lists <= ListBox.maxBuilt else {
        throw ScriptError("tolist(): a tensor of shape \(v.tensor.shape) would make \(lists == Int.max ? "too many" : String(lists)) lists (at most \(ListBox.maxBuilt))")
      }
      return C.toList(v.tensor)
    }
    t.method("reshape", [.required("shape")], "Same values, new shape (one -1 allowed).") { (v: TensorValue, a: inout Args) in
      C.value(try v.tensor.reshaped(C.shape(a.value("shape"), "reshape()")))
    }
    t.method("flatten", [], "A 1-d view of the values.") { (v: TensorValue, _: inout Args) in C.value(try v.tensor.reshaped([-1])) }
    t.method("unsqueeze", [.required("axis")], "Insert a size-1 axis.") { (v: TensorValue, a: inout Args) in
      C.value(try v.tensor.unsqueezed(a.int("axis")))
    }
    t.method("transpose", [.optional("a", "-2"), .optional("b", "-1")], "Swap two axes.") { (v: TensorValue, a: inout Args) in
      C.value(try v.tensor.transposed(a.int("a", default: -2), a.int("b", default: -1)))
    }
    t.method("permute", [.required("order")], "Reorder axes.") { (v: TensorValue, a: inout Args) in
      C.value(try v.tensor.permuted(C.shape(a.value("order"), "permute()")))
    }
    t.method("copy", [], "A contiguous copy (keeps the gradient link and the dtype).") { (v: TensorValue, _: inout Args) in
      C.value(v.tensor.dtype == .bool ? try v.tensor.contiguousCopy() : try v.tensor * 1)
    }
    func reduction(_ name: String, _ doc: String, _ f: @escaping (Tensor, Int?, Bool) throws -> Tensor) {
      t.method(name, [axis, keep], doc) { (v: TensorValue, a: inout Args) in
        C.value(try f(v.tensor, try a.optionalInt("axis"), try a.bool("keepdims", default: false)))
      }
    }
    reduction("sum", "Sum over axis (all when nil).") { try $0.sum(axis: $1, keepdims: $2) }
    reduction("mean", "Mean over axis (all when nil).") { try $0.mean(axis: $1, keepdims: $2) }
    reduction("max", "Maximum over axis (all when nil); NaN if any value is NaN. Tied maxima share the gradient evenly, as torch.amax (torch.max(dim) gives it all to one index).") { try $0.max(axis: $1, keepdims: $2) }
    reduction("min", "Minimum over axis (all when nil); NaN if any value is NaN. Tied minima share the gradient evenly, as torch.amin.") { try $0.min(axis: $1, keepdims: $2) }
    reduction("argmax", "Index of the maximum over axis (of the flattened tensor when nil); the first NaN if any.") {
      try $0.argmax(axis: $1, keepdims: $2)
    }
    reduction("argmin", "Index of the minimum over axis (of the flattened tensor when nil); the first NaN if any.") {
      try $0.argmin(axis: $1, keepdims: $2)
    }
    t.method("var", [axis, keep, .optional("unbiased", "false")], "Variance over axis.") { (v: TensorValue, a: inout Args) in
      C.value(try v.tensor.variance(axis: a.optionalInt("axis"), keepdims: a.bool("keepdims", default: false),
                                    unbiased: a.bool("unbiased", default: false)))
    }
    t.method("std", [axis, keep, .optional("unbiased", "false")],
             "Standard deviation over axis: the square root of var (unbiased=false divides by n, as NumPy; true by n - 1, as PyTorch).") {
      (v: TensorValue, a: inout Args) in
      C.value(try v.tensor.variance(axis: a.optionalInt("axis"), keepdims: a.bool("keepdims", default: false),
                                    unbiased: a.bool("unbiased", default: false)).sqrt())
    }
    t.method("softmax", [.optional("axis", "-1")], "Softmax along axis.") { (v: TensorValue, a: inout Args) in
      C.value(try v.tensor.softmax(axis: a.int("axis", default: -1)))
    }
    t.method("log_softmax", [.optional("axis", "-1")], "Log-softmax along axis.") { (v: TensorValue, a: inout Args) in
      C.value(try v.tensor.logSoftmax(axis: a.int("axis", default: -1)))
    }
    func unary(_ name: String, _ doc: String, _ f: @escaping (Tensor) throws -> Tensor) {
      t.method(name, [], doc) { (v: TensorValue, _: inout Args) in C.value(try f(v.tensor)) }
    }
    unary("exp", "e^x elementwise.") { try $0.exp() }
    unary("log", "Natural logarithm.") { try $0.log() }
    unary("sqrt", "Square root.") { try $0.sqrt() }
    unary("rsqrt", "1 / sqrt(x).") { try $0.rsqrt() }
    unary("tanh", "Hyperbolic tangent.") { try $0.tanh() }
    unary("sigmoid", "Logistic sigmoid.") { try $0.sigmoid() }
    unary("relu", "max(x, 0).") { try $0.relu() }
    unary("gelu", "GELU (tanh form).") { try $0.gelu() }
    unary("silu", "SiLU: x * sigmoid(x).") { try $0.silu() }
    unary("abs", "Absolute value.") { try $0.abs() }
    t.method("pow", [.required("exponent")], "x ** exponent.") { (v: TensorValue, a: inout Args) in
      C.value(try v.tensor.pow(C.tensor(a.value("exponent") ?? .none, "pow()")))
    }
    t.method("clamp", [.optional("min"), .optional("max")], "Clamp to [min, max].") { (v: TensorValue, a: inout Args) in
      C.value(try v.tensor.clamp(min: a.optionalDouble("min").map(Float.init), max: a.optionalDouble("max").map(Float.init)))
    }
    t.method("matmul", [.required("other")], "Matrix product (same as @).") { (v: TensorValue, a: inout Args) in
      C.value(try v.tensor.matmul(C.tensor(a.value("other") ?? .none, "matmul()")))
    }
    t.method("rms_norm", [.optional("weight"), .optional("eps", "1e-5")], "RMS norm over the last axis.") { (v: TensorValue, a: inout Args) in
      let w = try a.value("weight").map { try C.tensor($0, "rms_norm()") }
      return C.value(try v.tensor.rmsNorm(weight: w, eps: Float(a.double("eps", default: 1e-5))))
    }
    t.method("layer_norm", [.optional("weight"), .optional("bias"), .optional("eps", "1e-5")], "Layer norm over the last axis.") {
      (v: TensorValue, a: inout Args) in
      let w = try a.value("weight").map { try C.tensor($0, "layer_norm()") }
      let b = try a.value("bias").map { try C.tensor($0, "layer_norm()") }
      return C.value(try v.tensor.layerNorm(weight: w, bias: b, eps: Float(a.double("eps", default: 1e-5))))
    }
    t.method("gather", [.required("index"), .optional("axis", "0")],
             "PyTorch's gather: for each position of index (same number of dims), the entry there with its axis coordinate "
             + "replaced by the index value; e.g. logits.gather(targets.unsqueeze(-1), axis=-1) is [N, 1].") {
      (v: TensorValue, a: inout Args) in
      let (idx, shape) = try C.indices(a.value("index") ?? .none, "gather()")
      return C.value(try v.tensor.gather(idx, shape: shape, axis: a.int("axis", default: 0)))
    }
    t.method("take", [.required("indices"), .optional("axis")],
             "NumPy's take: whole slices along axis at the indices (the axis is replaced by the indices' shape); "
             + "of the flattened tensor when axis is nil.") {
      (v: TensorValue, a: inout Args) in
      let (idx, shape) = try C.indices(a.value("indices") ?? .none, "take()")
      guard let axis = try a.optionalInt("axis") else {
        return C.value(try v.tensor.reshaped([-1]).take(idx, shape: shape, axis: 0))
      }
      return C.value(try v.tensor.take(idx, shape: shape, axis: axis))
    }
    t.method("split", [.required("sizes"), .optional("axis", "0")], "Split along axis: an int (equal parts) or a list of sizes.") {
      (v: TensorValue, a: inout Args) in
      let ax = try a.int("axis", default: 0)
      let parts: [Tensor]
      if case .int(let n)? = a.value("sizes") { parts = try v.tensor.split(count: n, axis: ax) }
      else { parts = try v.tensor.split(sizes: C.shape(a.value("sizes"), "split()"), axis: ax) }
      return .list(parts.map(C.value))
    }
    t.method("backward", [.optional("gradient")], "Compute gradients of this (scalar) tensor into every leaf's .grad.") {
      (v: TensorValue, a: inout Args) in
      try v.tensor.backward(try a.value("gradient").map { try C.tensor($0, "backward()") })
      return .none
    }
    t.method("zero_grad", [], "Clear .grad.") { (v: TensorValue, _: inout Args) in v.tensor.zeroGrad(); return .none }
    t.method("detach", [], "The same values, cut from the gradient graph.") { (v: TensorValue, _: inout Args) in C.value(v.tensor.detached()) }
    t.method("requires_grad_", [.optional("flag", "true")], "Set requires_grad on this leaf; returns the tensor.") {
      (v: TensorValue, a: inout Args) in
      guard v.tensor.isLeaf else { throw ScriptError("requires_grad_(): only leaf tensors can change requires_grad; use detach() first") }
      let flag = try a.bool("flag", default: true)
      // A bool tensor has no gradient (true and false do not move), as in PyTorch.
      if flag && v.tensor.dtype == .bool { throw ScriptError("requires_grad_(): a bool tensor cannot require gradients; t * 1.0 is its f32 copy") }
      v.tensor.requiresGrad = flag
      return .object(v)
    }
  }
}
