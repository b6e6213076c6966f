// How values look in the REPL. Strings display quoted at the top level and
// inside containers; long lists and maps are truncated with an ellipsis in
// the REPL's display (never in `str`, `repr`, `print` or f-strings, whose text
// may be written to files); a host object's renderer that throws falls back
// to `<TypeName>`.

import RetortFiles

/// Renders values for display.
public enum Display {
  /// Items shown from the start and end of a long list.
  static let edgeItems = 10
  static let maxDepth = 50
  /// The depth `str()` (and print, write_text) writes out in full; past it, "...".
  static let maxWholeDepth = 500

  /// The REPL's display of a value.
  public static func render(_ v: Value, _ ctx: RenderContext = RenderContext()) -> String {
    switch v {
    case .object(let o):
      do { return try o.render(ctx) } catch { return "<\(o.typeInfo.name)> (display failed: \(error))" }
    case .native(let n): return n.displayHint ?? "<function \(n.signature)>"
    case .function(let c): return c.decl.name == nil ? "<\(c.signature)>" : "<fn \(c.signature)>"
    default:
      let flat = repr(v)
      if flat.count <= ctx.width || !isContainer(v) { return flat }
      return multiline(v, indent: 0, ctx, open: [])
    }
  }

  /// One-line representation, as inside a container; `whole` keeps every
  /// item of long lists and maps. A list or map inside itself shows as `[...]`
  /// or `{...}`, as in Python.
  public static func repr(_ v: Value, depth: Int = 0, whole: Bool = false) -> String {
    var open: [ObjectIdentifier] = []
    return repr(v, depth: depth, whole: whole, open: &open)
  }

  /// `repr`, with the containers being written (`open`) to find cycles.
  static func repr(_ v: Value, depth: Int, whole: Bool, open: inout [ObjectIdentifier]) -> String {
    if depth > (whole ? maxWholeDepth : maxDepth) { return "..." }
    switch v {
    case .none: return "nil"
    case .bool(let b): return b ? "true" : "false"
    case .int(let i): return String(i)
    case .float(let d): return formatFloat(d)
    case .string(let s): return quote(s)
    case .list(let l):
      let id = ObjectIdentifier(l)
      if open.contains(id) { return "[...]" }
      open.append(id)
      defer { open.removeLast() }
      let items = truncated(l.items, whole) { repr($0, depth: depth + 1, whole: whole, open: &open) }
      return "[" + items.joined(separator: ", ") + "]"
    case .map(let m):
      let id = ObjectIdentifier(m)
      if open.contains(id) { return "{...}" }
      open.append(id)
      defer { open.removeLast() }
      let pairs = truncated(m.pairs, whole) {
        "\(repr($0.0.value, depth: depth + 1, whole: whole, open: &open)): \(repr($0.1, depth: depth + 1, whole: whole, open: &open))"
      }
      return "{" + pairs.joined(separator: ", ") + "}"
    case .range(let r):
      return r.step == 1 ? "range(\(r.start), \(r.stop))" : "range(\(r.start), \(r.stop), \(r.step))"
    case .function(let c): return c.decl.name == nil ? "<fn>" : "<fn \(c.name)>"
    case .native(let n): return "<function \(n.name)>"
    case .object(let o):
      if depth > 0 { return o.brief }
      return (try? o.render(RenderContext(depth: depth))) ?? "<\(o.typeInfo.name)>"
    }
  }

  /// `str(v)`: strings as they are, objects as displayed, everything else
  /// as `repr` with every item.
  public static func str(_ v: Value) -> String {
    if case .string(let s) = v { return s }
    if case .object = v { return render(v) }
    return repr(v, whole: true)
  }

  static func isContainer(_ v: Value) -> Bool {
    switch v {
    case .list, .map: return true
    default: return false
    }
  }

  static func truncated<T>(_ xs: [T], _ whole: Bool = false, _ f: (T) -> String) -> [String] {
    if whole || xs.count <= edgeItems * 2 + 5 { return xs.map(f) }
    return xs.prefix(edgeItems).map(f) + ["... \(xs.count - 2 * edgeItems) more ..."] + xs.suffix(edgeItems).map(f)
  }

  /// One element per line for containers too wide for one line; `open` holds
  /// the containers already being written (their items show `[...]` for them).
  static func multiline(_ v: Value, indent: Int, _ ctx: RenderContext, open: [ObjectIdentifier]) -> String {
    let pad = String(repeating: " ", count: indent + 2)
    let end = String(repeating: " ", count: indent)
    var inner = open
    switch v {
    case .list(let l): inner.append(ObjectIdentifier(l))
    case .map(let m): inner.append(ObjectIdentifier(m))
    default: break
    }
    func item(_ x: Value) -> String {
      if case .object(let o) = x { return o.brief }
      var seen = inner
      let flat = repr(x, depth: 0, whole: false, open: &seen)
      if flat.count + indent + 2 <= ctx.width || !isContainer(x) || indent > 20 || flat == "[...]" || flat == "{...}" { return flat }
      return multiline(x, indent: indent + 2, ctx, open: inner)
    }
    switch v {
    case .list(let l):
      let lines = truncated(l.items) { item($0) }
      return "[\n" + lines.map { pad + $0 }.joined(separator: ",\n") + "\n\(end)]"
    case .map(let m):
      let lines = truncated(m.pairs) { "\(repr($0.0.value)): \(item($0.1))" }
      return "{\n" + lines.map { pad + $0 }.joined(separator: ",\n") + "\n\(end)}"
    default:
      return repr(v)
    }
  }

  /// A double-quoted string literal that reads back as the same string.
  public static func quote(_ s: String) -> String { s.quotedLiteral }

  /// Shortest round-tripping text, always with a decimal point or exponent.
  public static func formatFloat(_ d: Double) -> String {
    if d.isNaN { return "nan" }
    if d.isInfinite { return d < 0 ? "-inf" : "inf" }
    // Swift writes whole numbers from 2^53 up with an exponent; Python's repr keeps digits below 1e16.
    if abs(d) >= 9007199254740992, abs(d) < 1e16, let i = Int(exactly: d) { return "\(i).0" }
    var s = "\(d)"
    if !s.contains(".") && !s.contains("e") { s += ".0" }
    return s
  }
}
