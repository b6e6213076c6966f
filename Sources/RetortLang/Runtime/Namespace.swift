// Namespaces group a family of primitives (`tensor`, `dataset`, `model`,
// `judge`): `dataset.load(...)`. A namespace may itself be callable
// (`tensor([[1, 2]])`).

/// A named group of functions, registered once with their help.
public final class Namespace: HostObject {
  public let name: String
  public let typeInfo: TypeInfo
  let callFunction: NativeFunction?

  /// - Parameters:
  ///   - name: the global name (`dataset`).
  ///   - doc: one line for `help`.
  ///   - call: what `name(...)` does, if anything.
  ///   - functions: the namespace's functions.
  public init(name: String, doc: String, call: NativeFunction? = nil, functions: [NativeFunction]) {
    self.name = name
    callFunction = call
    typeInfo = TypeInfo(name, doc: doc) { t in
      for f in functions {
        t.method(f.name, f.params, f.doc) { (_: Namespace, args: inout Args) in try f.body(&args) }
      }
    }
  }

  public func render(_ context: RenderContext) throws -> String {
    "<namespace \(name): \(typeInfo.methods.count) functions; help(\(name)) lists them>"
  }

  public func call(_ args: inout Args) throws -> Value? {
    guard let f = callFunction else { return nil }
    return try f.body(&args)
  }

  public var callParameters: [Param]? { callFunction?.params }

  /// The function called by `name(...)`, for help.
  public var callable: NativeFunction? { callFunction }
}

/// What has been registered, for `help` and completion.
public struct Registry {
  public var namespaces: [Namespace] = []
  public var functions: [(category: String, function: NativeFunction)] = []
}
