// The `tensor` namespace: creation (`tensor([[1, 2], [3, 4]])`, zeros,
// randn, ...), joins, losses and a no-grad region.

import RetortCompute
import RetortLang

extension Lab {
  static func installTensor(_ interp: Interpreter) {
    typealias C = TensorConvert
    func make(_ t: Tensor, _ a: Args) throws -> Value {
      if try a.bool("requires_grad", default: false) {
        if t.dtype == .bool { throw ScriptError("\(a.function)(): a bool tensor cannot require gradients") }
        t.requiresGrad = true
      }
      return C.value(t)
    }
    let rg = Param.optional("requires_grad", "false")
    interp.define(namespace: Namespace(
      name: "tensor", doc: "f32 tensors on the SIMD compute core: creation, math, autodiff.",
      call: NativeFunction(name: "tensor", params: [.required("data"), rg],
                           doc: "A tensor from a number or nested lists: tensor([[1, 2], [3, 4]]).") { a in
        guard let v = a.value("data") else { throw ScriptError("tensor(): data is required") }
        let t = try C.tensor(v, "tensor()")
        if case .object = v { return try make(try t.detached().contiguousCopy(), a) }
        return try make(t, a)
      },
      functions: [
        NativeFunction(name: "zeros", params: [.required("shape"), rg], doc: "A tensor of zeros.") { a in
          try make(try Tensor.zeros(C.shape(a.value("shape"), "tensor.zeros()")), a)
        },
        NativeFunction(name: "ones", params: [.required("shape"), rg], doc: "A tensor of ones.") { a in
          try make(try Tensor.ones(C.shape(a.value("shape"), "tensor.ones()")), a)
        },
        NativeFunction(name: "full", params: [.required("shape"), .required("value"), rg], doc: "A tensor filled with value.") { a in
          try make(try Tensor.full(C.shape(a.value("shape"), "tensor.full()"), Float(a.double("value"))), a)
        },
        NativeFunction(name: "arange", params: [.required("start"), .optional("stop"), .optional("step", "1")],
                       doc: "Evenly spaced values in [start, stop), counted in double precision; arange(n) is 0..n-1.") { a in
          let s = try a.double("start")
          let (lo, hi) = a.has("stop") ? (s, try a.double("stop")) : (0, s)
          return C.value(try Tensor.arange(lo, hi, step: try a.double("step", default: 1)))
        },
        NativeFunction(name: "linspace", params: [.required("start"), .required("stop"), .optional("count", "50")],
                       doc: "count evenly spaced values from start to stop inclusive.") { a in
          C.value(try Tensor.linspace(Float(a.double("start")), Float(a.double("stop")), count: a.int("count", default: 50)))
        },
        NativeFunction(name: "eye", params: [.required("n")], doc: "The n x n identity matrix.") { a in
          C.value(try Tensor.identity(a.int("n")))
        },
        NativeFunction(name: "rand", params: [.required("shape"), .optional("seed", "0"), .optional("low", "0"), .optional("high", "1"), rg],
                       doc: "Uniform values in [low, high) from a counter-based generator (same seed, same numbers).") { a in
          try make(try Tensor.rand(C.shape(a.value("shape"), "tensor.rand()"), low: Float(a.double("low", default: 0)),
                                   high: Float(a.double("high", default: 1)), seed: a.int("seed", default: 0)), a)
        },
        NativeFunction(name: "randn", params: [.required("shape"), .optional("seed", "0"), .optional("mean", "0"), .optional("std", "1"), rg],
                       doc: "Normal values (Box-Muller on a counter-based generator).") { a in
          try make(try Tensor.randn(C.shape(a.value("shape"), "tensor.randn()"), mean: Float(a.double("mean", default: 0)),
                                    std: Float(a.double("std", default: 1)), seed: a.int("seed", default: 0)), a)
        },
        NativeFunction(name: "randint", params: [.required("low"), .required("high"), .required("shape"), .optional("seed", "0")],
                       doc: "Random integers in [low, high).") { a in
          C.value(try Tensor.randint(C.shape(a.value("shape"), "tensor.randint()"), low: a.int("low"), high: a.int("high"),
                                     seed: a.int("seed", default: 0)))
        },
        NativeFunction(name: "permutation", params: [.required("n"), .optional("seed", "0")], doc: "A random permutation of 0..n-1.") { a in
          C.value(try Tensor.permutation(a.int("n"), seed: a.int("seed", default: 0)))
        },
        NativeFunction(name: "concat", params: [.required("tensors"), .optional("axis", "0")], doc: "Join tensors along an existing axis.") { a in
          C.value(try Tensor.concat(a.list("tensors").map { try C.tensor($0, "tensor.concat()") }, axis: a.int("axis", default: 0)))
        },
        NativeFunction(name: "stack", params: [.required("tensors"), .optional("axis", "0")], doc: "Join same-shaped tensors along a new axis.") { a in
          C.value(try Tensor.stack(a.list("tensors").map { try C.tensor($0, "tensor.stack()") }, axis: a.int("axis", default: 0)))
        },
        NativeFunction(name: "where", params: [.required("condition"), .required("a"), .required("b")],
                       doc: "Elementwise a where condition is non-zero, else b (broadcasting).") { a in
          C.value(try Tensor.where(C.tensor(a.value("condition") ?? .none, "tensor.where()"),
                                   C.tensor(a.value("a") ?? .none, "tensor.where()"), C.tensor(a.value("b") ?? .none, "tensor.where()")))
        },
        NativeFunction(name: "maximum", params: [.required("a"), .required("b")], doc: "Elementwise maximum (broadcasting); NaN where either is NaN.") { a in
          C.value(try Tensor.maximum(C.tensor(a.value("a") ?? .none, "tensor.maximum()"), C.tensor(a.value("b") ?? .none, "tensor.maximum()")))
        },
        NativeFunction(name: "minimum", params: [.required("a"), .required("b")], doc: "Elementwise minimum (broadcasting); NaN where either is NaN.") { a in
          C.value(try Tensor.minimum(C.tensor(a.value("a") ?? .none, "tensor.minimum()"), C.tensor(a.value("b") ?? .none, "tensor.minimum()")))
        },
        NativeFunction(name: "logical_and", params: [.required("a"), .required("b")],
                       doc: "Elementwise a and b (non-zero is true; broadcasting): a bool tensor, e.g. a mask.") { a in
          C.value(try Tensor.logicalAnd(C.tensor(a.value("a") ?? .none, "tensor.logical_and()"),
                                        C.tensor(a.value("b") ?? .none, "tensor.logical_and()")))
        },
        NativeFunction(name: "logical_or", params: [.required("a"), .required("b")],
                       doc: "Elementwise a or b (non-zero is true; broadcasting): a bool tensor.") { a in
          C.value(try Tensor.logicalOr(C.tensor(a.value("a") ?? .none, "tensor.logical_or()"),
                                       C.tensor(a.value("b") ?? .none, "tensor.logical_or()")))
        },
        NativeFunction(name: "logical_not", params: [.required("a")], doc: "Elementwise not a (true where a is zero): a bool tensor.") { a in
          C.value(try C.tensor(a.value("a") ?? .none, "tensor.logical_not()").logicalNot())
        },
        NativeFunction(name: "matmul", params: [.required("a"), .required("b")], doc: "Matrix product (same as a @ b).") { a in
          C.value(try C.tensor(a.value("a") ?? .none, "tensor.matmul()").matmul(C.tensor(a.value("b") ?? .none, "tensor.matmul()")))
        },
        NativeFunction(name: "cross_entropy", params: [.required("logits"), .required("targets"), .optional("ignore_index", "-100")],
                       doc: "Mean cross-entropy of logits [..., C] against class indices; targets equal to ignore_index are skipped.") { a in
          let logits = try C.tensor(a.value("logits") ?? .none, "tensor.cross_entropy()")
          let (t, shape) = try C.indices(a.value("targets") ?? .none, "tensor.cross_entropy()")
          return C.value(try Tensor.crossEntropy(logits, targets: t, shape: shape, ignoreIndex: a.int("ignore_index", default: -100)))
        },
        NativeFunction(name: "embedding", params: [.required("table"), .required("ids")], doc: "Rows of table [vocab, dim] for ids.") { a in
          let table = try C.tensor(a.value("table") ?? .none, "tensor.embedding()")
          let (ids, shape) = try C.indices(a.value("ids") ?? .none, "tensor.embedding()")
          return C.value(try Tensor.embedding(table, ids: ids, shape: shape))
        },
        NativeFunction(name: "no_grad", params: [.required("fn")], doc: "Call fn() without recording gradients; returns its result.") { a in
          let fn = try a.callable("fn")
          return try Tensor.noGrad { try fn([]) }
        },
      ]))
  }
}
