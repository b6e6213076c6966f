// Attributes, subscripts, slices and iteration for every kind of value.

extension Interpreter {
  /// `value.name`: a registered property or method, or a dynamic attribute.
  public func attribute(_ v: Value, _ name: String, _ span: Span) throws -> Value {
    let info: TypeInfo
    let receiver: Any
    switch v {
    case .string: (info, receiver) = (BuiltinTypes.str, v)
    case .list(let l): (info, receiver) = (BuiltinTypes.list, l)
    case .map(let m):
      if let method = BuiltinTypes.map.method(named: name) {
        return .native(method.bound(to: m, typeName: "map"))
      }
      throw RetortError(
        .runtime, "map has no attribute '\(name)'; use m[\"\(name)\"] to read a key\(suggestion(name, BuiltinTypes.map.memberNames))",
        at: span)
    case .object(let o):
      info = o.typeInfo
      receiver = o
      if let p = info.property(named: name) {
        do { return try p.get(o) } catch { throw located(error, span) }
      }
      if let m = info.method(named: name) { return .native(m.bound(to: o, typeName: info.name)) }
      do {
        if let d = try o.dynamicAttribute(name) { return d }
      } catch { throw located(error, span) }
      let names = info.memberNames + o.dynamicAttributeNames
      throw RetortError(.runtime, "\(info.name) has no attribute '\(name)'\(suggestion(name, names))", at: span)
    default:
      throw RetortError(.runtime, "\(v.typeName) has no attribute '\(name)'", at: span)
    }
    if let p = info.property(named: name) {
      do { return try p.get(receiver) } catch { throw located(error, span) }
    }
    if let m = info.method(named: name) { return .native(m.bound(to: receiver, typeName: info.name)) }
    throw RetortError(.runtime, "\(info.name) has no attribute '\(name)'\(suggestion(name, info.memberNames))", at: span)
  }

  func suggestion(_ name: String, _ names: [String]) -> String {
    closestName(to: name, in: names).map { "; did you mean '\($0)'?" } ?? ""
  }

  /// Member names of a value, for completion and help.
  public func memberNames(of v: Value) -> [String] {
    switch v {
    case .string: return BuiltinTypes.str.memberNames
    case .list: return BuiltinTypes.list.memberNames
    case .map: return BuiltinTypes.map.memberNames
    case .object(let o): return o.typeInfo.memberNames + o.dynamicAttributeNames
    default: return []
    }
  }

  /// `container[index]`.
  public func getIndex(_ container: Value, _ index: [IndexValue]) throws -> Value {
    switch container {
    case .list(let l):
      guard index.count == 1 else { throw ScriptError("a list takes one index, got \(index.count)") }
      switch index[0] {
      case .value(let v):
        return l.items[try position(v, count: l.items.count, what: "list")]
      case .slice(let a, let b, let c):
        return .list(ListBox(sliceIndices(a, b, c, count: l.items.count).map { l.items[$0] }))
      }
    case .string(let s):
      guard index.count == 1 else { throw ScriptError("a string takes one index, got \(index.count)") }
      switch index[0] {
      case .value(let v):
        // Found from the nearer end without counting the whole string (s[-1] is O(1)).
        let i = try integerIndex(v, what: "string")
        guard let c = s.codePoint(at: i) else { throw outOfRange(i, count: s.codePointCount, what: "string") }
        return .string(c)
      case .slice(let a, let b, let c): return .string(s.codePoints(a, b, c))
      }
    case .map(let m):
      guard index.count == 1, case .value(let k) = index[0] else { throw ScriptError("a map takes one key") }
      guard let key = MapKey(k), let v = m[key] else {
        let keys = m.keys.compactMap { if case .string(let s) = $0 { return s } else { return nil } }
        var message = "key \(Display.repr(k)) is not in the map"
        if case .string(let s) = k, let near = closestName(to: s, in: keys) { message += "; did you mean \(Display.repr(.string(near)))?" }
        throw ScriptError(message)
      }
      return v
    case .range(let r):
      guard index.count == 1 else { throw ScriptError("a range takes one index") }
      switch index[0] {
      case .value(let v): return .int(r.element(try position(v, count: r.count, what: "range")))
      case .slice(let a, let b, let c):
        return .list(ListBox(sliceIndices(a, b, c, count: r.count).map { .int(r.element($0)) }))
      }
    case .object(let o):
      if let v = try o.getIndex(index) { return v }
      throw ScriptError("\(o.typeInfo.name) does not support indexing")
    default:
      throw ScriptError("\(container.typeName) is not subscriptable")
    }
  }

  /// `container[index] = value`.
  public func setIndex(_ container: Value, _ index: [IndexValue], _ value: Value) throws {
    switch container {
    case .list(let l):
      guard index.count == 1, case .value(let v) = index[0] else {
        throw ScriptError("list assignment takes one integer index")
      }
      l.items[try position(v, count: l.items.count, what: "list")] = value
    case .map(let m):
      guard index.count == 1, case .value(let k) = index[0] else { throw ScriptError("a map takes one key") }
      guard let key = MapKey(k) else { throw ScriptError(MapKey.refusal(k)) }
      m[key] = value
    case .object(let o):
      if try o.setIndex(index, value) { return }
      throw ScriptError("\(o.typeInfo.name) does not support item assignment")
    default:
      throw ScriptError("\(container.typeName) does not support item assignment")
    }
  }

  /// A checked position from a possibly negative index.
  func position(_ v: Value, count: Int, what: String) throws -> Int {
    let i = try integerIndex(v, what: what)
    let p = i < 0 ? i + count : i
    guard p >= 0 && p < count else { throw outOfRange(i, count: count, what: what) }
    return p
  }

  /// An index as an int (possibly negative, not yet checked against a length).
  func integerIndex(_ v: Value, what: String) throws -> Int {
    switch v {
    case .int(let x): return x
    case .bool(let b): return b ? 1 : 0
    default:
      // A one-element tensor holding a whole number is that index (`labels[t.argmax()]`).
      guard let x = v.objectInteger else { throw ScriptError("\(what) indices must be integers, not \(v.typeName)") }
      return x
    }
  }

  func outOfRange(_ i: Int, count: Int, what: String) -> ScriptError {
    ScriptError("\(what) index \(i) is out of range (length \(count))")
  }

  /// The elements of a value, for `for`, unpacking and functions taking lists.
  public func iterate(_ v: Value, what: String) throws -> [Value] {
    switch v {
    case .list(let l): return l.items
    case .range(let r):
      if r.count > ListBox.maxBuilt { throw ScriptError("\(what): range of \(r.count) elements is too large to expand") }
      return (0..<r.count).map { .int(r.element($0)) }
    case .string(let s): return s.codePointStrings.map { .string($0) }
    case .map(let m): return m.keys.map(\.value)
    case .object(let o):
      if let e = try o.elements() { return e }
      throw ScriptError("\(what): \(o.typeInfo.name) is not iterable")
    default:
      throw ScriptError("\(what): \(v.typeName) is not iterable")
    }
  }
}

/// Indices selected by a Python slice over `count` elements.
public func sliceIndices(_ start: Int?, _ stop: Int?, _ step: Int?, count: Int) -> [Int] {
  let step = step ?? 1
  func clamp(_ i: Int?, _ dflt: Int, lo: Int, hi: Int) -> Int {
    guard var i = i else { return dflt }
    if i < 0 { i += count }
    return min(max(i, lo), hi)
  }
  var out: [Int] = []
  let (a, b) = step > 0 ? (clamp(start, 0, lo: 0, hi: count), clamp(stop, count, lo: 0, hi: count))
                        : (clamp(start, count - 1, lo: -1, hi: count - 1), clamp(stop, -1, lo: -1, hi: count - 1))
  var i = a
  while step > 0 ? i < b : i > b {
    out.append(i)
    // A step near Int.max would overflow past the end: that ends the slice.
    let (next, o) = i.addingReportingOverflow(step)
    if o { break }
    i = next
  }
  return out
}
