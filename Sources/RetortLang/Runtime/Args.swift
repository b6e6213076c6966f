// Binding call arguments to declared parameters, and typed accessors whose
// errors name the function and the argument.

import RetortFiles

/// Arguments bound to a native function's parameters.
public struct Args {
  /// The function's name (`Model.train` for a method).
  public let function: String
  /// The name errors use, as the bindings' own errors write it: `train` for the
  /// method `Model.train`, `model.load` for a namespace function.
  var label: String {
    guard function.first?.isUppercase == true, let dot = function.firstIndex(of: ".") else { return function }
    return String(function[function.index(after: dot)...])
  }
  public let params: [Param]

  /// An error from the domain libraries, which name their operation as
  /// "load_lora: ...", named as the bindings' own errors are:
  /// "load_lora(): ...", or "tensor.arange(): ..." for a namespace function.
  /// Other errors pass through as they are.
  func named(_ error: Error) -> Error {
    if error is RetortError { return error }
    let text = "\(error)"
    let short = label.split(separator: ".").last.map(String.init) ?? label
    guard text.hasPrefix(short + ": ") else { return error }
    return ScriptError("\(label)(): " + text.dropFirst(short.count + 2))
  }
  /// Bound value per parameter (nil: not given; use the default).
  var slots: [Value?]
  /// Extra positional arguments, for a `.variadic` parameter.
  public var rest: [Value] = []
  /// Extra keyword arguments, for a `.keywords` parameter, in call order.
  public var keywords: [(String, Value)] = []
  /// The interpreter, to call back into user functions.
  public let interpreter: Interpreter

  /// Binds positional and keyword arguments; unknown keywords are errors
  /// that list the valid ones.
  public init(
    function: String, params: [Param], positional: [Value], named: [(String, Value)],
    interpreter: Interpreter
  ) throws {
    self.function = function
    self.params = params
    self.interpreter = interpreter
    slots = Array(repeating: nil, count: params.count)
    let variadic = params.firstIndex { $0.kind == .variadic }
    let takesKeywords = params.contains { $0.kind == .keywords }
    let positionalSlots = params.indices.filter { params[$0].kind == .required || params[$0].kind == .optional }
    var p = 0
    for v in positional {
      if p < positionalSlots.count, variadic == nil || positionalSlots[p] < variadic! {
        slots[positionalSlots[p]] = v
        p += 1
      } else if variadic != nil {
        rest.append(v)
      } else {
        throw ScriptError(
          "\(label)() takes \(positionalSlots.count) positional argument\(positionalSlots.count == 1 ? "" : "s") but \(positional.count) were given")
      }
    }
    for (name, v) in named {
      if let i = params.firstIndex(where: { $0.name == name && ($0.kind == .required || $0.kind == .optional) }) {
        if slots[i] != nil { throw ScriptError("\(label)() got multiple values for argument '\(name)'") }
        slots[i] = v
      } else if takesKeywords {
        keywords.append((name, v))
      } else {
        let valid = params.filter { $0.kind == .required || $0.kind == .optional }.map(\.name)
        throw ScriptError(
          "\(label)() got an unexpected keyword argument '\(name)'; valid keywords: \(valid.isEmpty ? "none" : valid.joined(separator: ", "))")
      }
    }
    for (i, param) in params.enumerated() where param.kind == .required && slots[i] == nil {
      throw ScriptError("\(label)() missing required argument '\(param.name)'")
    }
  }

  func slot(_ name: String) -> Value? {
    guard let i = params.firstIndex(where: { $0.name == name }) else { return nil }
    if case .none? = slots[i] { return nil }
    return slots[i]
  }

  /// The error for a required argument that is absent, or given as nil.
  func missing(_ name: String) -> ScriptError {
    if let i = params.firstIndex(where: { $0.name == name }), case .none? = slots[i] {
      return ScriptError("\(label)(): argument '\(name)' is nil; it needs a value")
    }
    return ScriptError("\(label)() missing required argument '\(name)'")
  }

  /// Whether the argument was given (and is not nil).
  public func has(_ name: String) -> Bool { slot(name) != nil }

  /// The argument's value, or nil when not given.
  public func value(_ name: String) -> Value? { slot(name) }

  /// Whether the call passed `name` at all, nil included (`str(nil)` is "nil", `str()` is "").
  public func passed(_ name: String) -> Bool {
    guard let i = params.firstIndex(where: { $0.name == name }) else { return false }
    return slots[i] != nil
  }

  func typeError(_ name: String, _ expected: String, _ got: Value) -> ScriptError {
    ScriptError("\(label)(): argument '\(name)' expects \(expected), got \(got.typeName)")
  }

  public func int(_ name: String, default d: Int? = nil) throws -> Int {
    guard let v = slot(name) else {
      if let d = d { return d }
      throw missing(name)
    }
    switch v {
    case .int(let i): return i
    // (A bool is not a count: steps=true is a slip, not one step.)
    case .float(let f) where f.rounded() == f && abs(f) < 9e18: return Int(f)
    default:
      guard let i = v.objectInteger else { throw typeError(name, "an int", v) }
      return i
    }
  }

  public func optionalInt(_ name: String) throws -> Int? { slot(name) == nil ? nil : try int(name) }

  public func double(_ name: String, default d: Double? = nil) throws -> Double {
    guard let v = slot(name) else {
      if let d = d { return d }
      throw missing(name)
    }
    guard let d = v.number else { throw typeError(name, "a number", v) }
    return d
  }

  public func optionalDouble(_ name: String) throws -> Double? { slot(name) == nil ? nil : try double(name) }

  /// A number kept as a 32-bit float: one beyond its range is an error, not infinity.
  public func float(_ name: String, default d: Double? = nil) throws -> Float {
    let x = try double(name, default: d)
    guard x.isNaN || x.isInfinite || abs(x) <= Double(Float.greatestFiniteMagnitude) else {
      throw ScriptError("\(label)(): argument '\(name)' must fit a 32-bit float (at most 3.4e38 in size), got \(x)")
    }
    return Float(x)
  }

  public func string(_ name: String, default d: String? = nil) throws -> String {
    guard let v = slot(name) else {
      if let d = d { return d }
      throw missing(name)
    }
    guard case .string(let s) = v else { throw typeError(name, "a string", v) }
    return s
  }

  public func optionalString(_ name: String) throws -> String? { slot(name) == nil ? nil : try string(name) }

  /// A file path argument, with a leading `~` meaning the home directory; an
  /// empty one is refused here, as every caller would fail on it less clearly.
  public func path(_ name: String) throws -> String {
    let s = try string(name)
    if s.isEmpty { throw ScriptError("argument '\(name)': the path is empty; expected a file path") }
    return expandHome(s)
  }

  public func optionalPath(_ name: String) throws -> String? { slot(name) == nil ? nil : try path(name) }

  public func bool(_ name: String, default d: Bool) throws -> Bool {
    guard let v = slot(name) else { return d }
    guard case .bool(let b) = v else { throw typeError(name, "true or false", v) }
    return b
  }

  public func list(_ name: String) throws -> [Value] {
    guard let v = slot(name) else { throw missing(name) }
    return try interpreter.iterate(v, what: "\(label)(): argument '\(name)'")
  }

  public func strings(_ name: String) throws -> [String] {
    if case .string(let s)? = slot(name) { return [s] }
    return try list(name).map { v in
      guard case .string(let s) = v else { throw typeError(name, "a list of strings", v) }
      return s
    }
  }

  /// A host object of type `T`, or a clear type error.
  public func object<T>(_ name: String, as type: T.Type, expected: String) throws -> T {
    guard let v = slot(name) else { throw missing(name) }
    guard case .object(let o) = v, let t = o as? T else { throw typeError(name, expected, v) }
    return t
  }

  /// A callable argument as a Swift closure that calls back into the language.
  public func callable(_ name: String) throws -> ([Value]) throws -> Value {
    guard let v = slot(name) else { throw missing(name) }
    switch v {
    case .function, .native: break
    case .object(let o) where o.callParameters != nil: break
    default: throw typeError(name, "a function", v)
    }
    let interp = interpreter
    return { args in try interp.call(v, args) }
  }
}
