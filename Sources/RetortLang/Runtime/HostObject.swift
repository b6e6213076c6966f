// The one door through which domain objects (tensors, datasets, models,
// judges, reports) enter the language: a type with registered properties and
// methods, plus optional hooks for operators, indexing and iteration.

/// A domain object exposed to the language.
///
/// Only `typeInfo` is required; every hook has a default that says
/// "not supported", which the evaluator turns into a clear error.
public protocol HostObject: AnyObject {
  /// The registered type: name, doc, properties and methods.
  var typeInfo: TypeInfo { get }
  /// How the REPL displays the object. A throwing renderer falls back to
  /// `<TypeName>` so displaying never ends the session.
  func render(_ context: RenderContext) throws -> String
  /// `self op other` (or `other op self` when `reversed`); nil if unsupported.
  func binary(_ op: BinaryOp, _ other: Value, reversed: Bool) throws -> Value?
  /// `self op= other` in place (`t += 1` writing into a tensor's storage);
  /// false to have `self = self op other` make a new value instead.
  func inPlace(_ op: BinaryOp, _ other: Value) throws -> Bool
  /// Comparison with another value; nil if unsupported.
  func compare(_ op: CompareOp, _ other: Value) throws -> Value?
  /// `-self`; nil if unsupported.
  func unary(_ op: UnaryOp) throws -> Value?
  /// `self[i, j:k]`; nil if unsupported.
  func getIndex(_ index: [IndexValue]) throws -> Value?
  /// `self[i] = v`; false if unsupported.
  func setIndex(_ index: [IndexValue], _ value: Value) throws -> Bool
  /// Attributes beyond the registered properties (a record's fields).
  func dynamicAttribute(_ name: String) throws -> Value?
  /// Names of dynamic attributes, for completion.
  var dynamicAttributeNames: [String] { get }
  /// Elements for `for x in obj`; nil if not iterable.
  func elements() throws -> [Value]?
  /// `value in obj`; nil to compare `value` with each of `elements()`.
  func contains(_ value: Value) throws -> Bool?
  /// `len(obj)`; nil if unsupported.
  var length: Int? { get }
  /// Truthiness; nil means always true; an error when the object has none.
  var truthiness: Bool? { get throws }
  /// The number a one-value object stands for (a one-element tensor), so it
  /// is a number wherever one is expected: `float(x)`, `int(x)`, numeric and
  /// int arguments, list indices, `==` inside `in` and `index`, ordering in
  /// `min`/`sorted`, and map keys. Nil otherwise.
  var scalar: Double? { get }
  /// The value a one-value object stands for as a map key: `scalar` as a float, unless the
  /// object says otherwise (a one-element bool tensor is `true` or `false`).
  var scalarKey: Value? { get }
  /// One line naming the object inside a list or map (default `<TypeName>`),
  /// such as `Dataset(27 records, ...)` in the list `split` returns.
  var brief: String { get }
  /// `obj(args)`, for callable objects such as the `tensor` namespace.
  func call(_ args: inout Args) throws -> Value?
  /// Signature of `call`, for help and keyword completion.
  var callParameters: [Param]? { get }
}

extension HostObject {
  public func render(_ context: RenderContext) throws -> String { "<\(typeInfo.name)>" }
  public func binary(_ op: BinaryOp, _ other: Value, reversed: Bool) throws -> Value? { nil }
  public func inPlace(_ op: BinaryOp, _ other: Value) throws -> Bool { false }
  public func compare(_ op: CompareOp, _ other: Value) throws -> Value? { nil }
  public func unary(_ op: UnaryOp) throws -> Value? { nil }
  public func getIndex(_ index: [IndexValue]) throws -> Value? { nil }
  public func setIndex(_ index: [IndexValue], _ value: Value) throws -> Bool { false }
  public func dynamicAttribute(_ name: String) throws -> Value? { nil }
  public var dynamicAttributeNames: [String] { [] }
  public func elements() throws -> [Value]? { nil }
  public func contains(_ value: Value) throws -> Bool? { nil }
  public var length: Int? { nil }
  public var truthiness: Bool? { nil }
  public var brief: String { "<\(typeInfo.name)>" }
  public var scalar: Double? { nil }
  public var scalarKey: Value? { scalar.map { .float($0) } }
  public func call(_ args: inout Args) throws -> Value? { nil }
  public var callParameters: [Param]? { nil }
}

/// One evaluated subscript component.
public enum IndexValue {
  case value(Value)
  case slice(Int?, Int?, Int?)
}

/// What a renderer may use: the terminal width and how deep it is nested.
public struct RenderContext {
  public var width: Int
  public var depth: Int
  public init(width: Int = 100, depth: Int = 0) {
    self.width = width
    self.depth = depth
  }
}

/// A registered type: its name, doc, properties and methods. Builtin types
/// (str, list, map) and host types alike are described this way, so `help`
/// and completion have one source.
public final class TypeInfo: @unchecked Sendable {
  public let name: String
  public let doc: String
  public private(set) var properties: [PropertyInfo] = []
  public private(set) var methods: [MethodInfo] = []
  private var propertyIndex: [String: Int] = [:]
  private var methodIndex: [String: Int] = [:]

  public init(_ name: String, doc: String, _ build: (TypeInfo) -> Void = { _ in }) {
    self.name = name
    self.doc = doc
    build(self)
  }

  /// Registers a read-only property.
  public func property<T>(_ name: String, _ doc: String, _ get: @escaping (T) throws -> Value) {
    let typeName = self.name
    propertyIndex[name] = properties.count
    properties.append(PropertyInfo(name: name, doc: doc) { receiver in
      guard let obj = receiver as? T else { throw ScriptError("\(name): receiver is not a \(typeName)") }
      return try get(obj)
    })
  }

  /// Registers a method with its parameters and one-line doc.
  public func method<T>(
    _ name: String, _ params: [Param], _ doc: String,
    _ body: @escaping (T, inout Args) throws -> Value
  ) {
    let typeName = self.name
    methodIndex[name] = methods.count
    methods.append(MethodInfo(name: name, params: params, doc: doc) { receiver, args in
      guard let obj = receiver as? T else { throw ScriptError("\(name): receiver is not a \(typeName)") }
      return try body(obj, &args)
    })
  }

  public func property(named name: String) -> PropertyInfo? { propertyIndex[name].map { properties[$0] } }
  public func method(named name: String) -> MethodInfo? { methodIndex[name].map { methods[$0] } }

  /// All member names, for completion.
  public var memberNames: [String] { properties.map(\.name) + methods.map(\.name) }
}

/// A registered property.
public struct PropertyInfo {
  public let name: String
  public let doc: String
  public let get: (Any) throws -> Value
}

/// A registered method; `body` receives the receiver and bound arguments.
public struct MethodInfo {
  public let name: String
  public let params: [Param]
  public let doc: String
  public let body: (Any, inout Args) throws -> Value

  /// The method bound to a receiver, as a callable value.
  public func bound(to receiver: Any, typeName: String) -> NativeFunction {
    let body = self.body
    return NativeFunction(
      name: "\(typeName).\(name)", params: params, doc: doc
    ) { args in try body(receiver, &args) }
  }
}
