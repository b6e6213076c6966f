// `help`: generated from the registration tables, never written by hand.

public enum Help {
  static func function() -> NativeFunction {
    let f = NativeFunction(name: "help", params: [.optional("x")],
                           doc: "List namespaces and builtins, or describe a value, function or namespace.") { a in
      a.interpreter.output(text(for: a.value("x"), a.interpreter) + "\n")
      return .none
    }
    // Typing `help` alone at the prompt is a request for help, not for the function.
    f.displayHint = "Type help() for the overview, or help(x) to describe x (help(dataset), help(model.load), help(m))."
    return f
  }

  /// The help text for a value (nil: the overview).
  public static func text(for value: Value?, _ interp: Interpreter) -> String {
    guard let v = value else { return overview(interp) }
    switch v {
    case .native(let f): return "\(f.signature)\n  \(f.doc)"
    case .function(let c): return "\(c.signature)\n  \(c.doc ?? "(no doc: put a string as the function's first line)")"
    case .object(let o):
      var out = describe(o.typeInfo, receiverName: nil)
      if let ns = o as? Namespace, let call = ns.callable {
        out = "\(ns.name)(\(call.params.map(\.signatureText).joined(separator: ", ")))\n  \(call.doc)\n\n" + out
      }
      return out
    case .string(let s):
      if let ns = interp.registry.namespaces.first(where: { $0.name == s }) { return text(for: .object(ns), interp) }
      if let f = interp.registry.functions.first(where: { $0.function.name == s }) { return text(for: .native(f.function), interp) }
      return describe(BuiltinTypes.str, receiverName: nil)
    case .list: return describe(BuiltinTypes.list, receiverName: nil)
    case .map: return describe(BuiltinTypes.map, receiverName: nil)
    default: return "\(v.typeName): \(Display.repr(v))"
    }
  }

  static func overview(_ interp: Interpreter) -> String {
    var out = "Retort: type an expression to see its value. help(x) describes x; help(dataset.load) a function.\n"
    if !interp.registry.namespaces.isEmpty {
      out += "\nNamespaces:\n"
      let width = interp.registry.namespaces.map(\.name.count).max() ?? 0
      for ns in interp.registry.namespaces {
        out += "  \(TextWidth.pad(ns.name, to: width))  \(ns.typeInfo.doc)\n"
      }
    }
    var categories: [String] = []
    for (c, _) in interp.registry.functions where !categories.contains(c) { categories.append(c) }
    for c in categories {
      out += "\n\(c.prefix(1).uppercased() + c.dropFirst()):\n"
      let fns = interp.registry.functions.filter { $0.category == c }.map(\.function)
      let width = min(28, fns.map(\.signature.count).max() ?? 0)
      for f in fns { out += entry(f.signature, f.doc, width: width) + "\n" }
    }
    out += "\nLanguage: if c { } else { }, for x in xs { }, while c { }, try { } catch e { }, fn f(a, b=1) { }, fn(r) { r.x > 1 },\n"
    out += "f\"{x:.3f}\", lists [1, 2], [x * 2 for x in xs if x > 0], maps {\"k\": v}, xs[-1], xs[1:3], a, b = b, a,\n"
    out += "x in xs, and/or/not, # comments."
    return out
  }

  /// A type's doc, properties and methods.
  public static func describe(_ t: TypeInfo, receiverName: String?) -> String {
    var out = "\(t.name): \(t.doc)"
    if !t.properties.isEmpty {
      out += "\n\nProperties:"
      let w = t.properties.map(\.name.count).max() ?? 0
      for p in t.properties { out += "\n  \(TextWidth.pad(p.name, to: w))  \(p.doc)" }
    }
    if !t.methods.isEmpty {
      out += "\n\nMethods:"
      let sigs = t.methods.map { "\($0.name)(\($0.params.map(\.signatureText).joined(separator: ", ")))" }
      let w = min(40, sigs.map(\.count).max() ?? 0)
      for (m, sig) in zip(t.methods, sigs) { out += "\n" + entry(sig, m.doc, width: w) }
    }
    return out
  }

  /// `  name(args)  doc`, with the doc on its own line when the name is long.
  static func entry(_ name: String, _ doc: String, width: Int) -> String {
    if name.count <= width { return "  \(TextWidth.pad(name, to: width))  \(doc)" }
    return "  \(name)\n  \(String(repeating: " ", count: width))  \(doc)"
  }
}
