// Functions: user closures and native functions with declared parameters.

/// A parameter of a native function.
public struct Param: Sendable {
  public enum Kind: Sendable {
    case required
    case optional
    /// Collects extra positional arguments (`print(*values)`).
    case variadic
    /// Collects unknown keyword arguments (`rename(old=new)`).
    case keywords
  }
  public let name: String
  public let kind: Kind
  /// Default shown in help, e.g. `nil`, `0.7`, `"instruction"`.
  public let defaultText: String

  public static func required(_ name: String) -> Param { Param(name: name, kind: .required, defaultText: "") }
  public static func optional(_ name: String, _ defaultText: String = "nil") -> Param {
    Param(name: name, kind: .optional, defaultText: defaultText)
  }
  public static func variadic(_ name: String) -> Param { Param(name: name, kind: .variadic, defaultText: "") }
  public static func keywords(_ name: String) -> Param { Param(name: name, kind: .keywords, defaultText: "") }

  var signatureText: String {
    switch kind {
    case .required: return name
    case .optional: return "\(name)=\(defaultText)"
    case .variadic: return "*\(name)"
    case .keywords: return "**\(name)"
    }
  }
}

/// A function implemented in Swift: a builtin, a namespace function or a
/// bound method.
public final class NativeFunction {
  public let name: String
  public let params: [Param]
  public let doc: String
  public let body: (inout Args) throws -> Value
  /// Shown instead of `<function ...>` when the function itself is a cell's value.
  public var displayHint: String?

  public init(name: String, params: [Param], doc: String, body: @escaping (inout Args) throws -> Value) {
    self.name = name
    self.params = params
    self.doc = doc
    self.body = body
  }

  /// `name(a, b=1, *rest)`.
  public var signature: String { "\(name)(\(params.map(\.signatureText).joined(separator: ", ")))" }
}

/// A function written in Retort, with the frame it closes over.
public final class Closure {
  let decl: FunctionDecl
  let compiled: CompiledFunction
  let parent: Frame?
  let defaults: [Value?]

  init(decl: FunctionDecl, compiled: CompiledFunction, parent: Frame?, defaults: [Value?]) {
    self.decl = decl
    self.compiled = compiled
    self.parent = parent
    self.defaults = defaults
  }

  public var name: String { decl.name ?? "<fn>" }
  public var paramNames: [String] { decl.params.map(\.name) }
  public var doc: String? { decl.doc }

  public var signature: String {
    var parts: [String] = []
    for p in decl.params {
      if let d = p.defaultValue {
        let text = String(decoding: d.span.source.bytes[d.span.start..<d.span.end], as: UTF8.self)
        parts.append("\(p.name)=\(text)")
      } else {
        parts.append(p.name)
      }
    }
    return "\(decl.name ?? "fn")(\(parts.joined(separator: ", ")))"
  }
}
