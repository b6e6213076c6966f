// The global builtin functions, each registered once with its parameters
// and one-line help (the table `help` and completion read).

import Foundation

public enum Builtins {
  static func install(in interp: Interpreter) {
    let fns: [NativeFunction] = [
      NativeFunction(name: "print", params: [.variadic("values"), .optional("sep", "\" \""), .optional("end", "\"\\n\"")],
                     doc: "Print values separated by spaces, then a newline.") { a in
        let sep = try a.string("sep", default: " "), end = try a.string("end", default: "\n")
        a.interpreter.output(a.rest.map(Display.str).joined(separator: sep) + end)
        return .none
      },
      NativeFunction(name: "len", params: [.required("x")], doc: "Number of items in a string, list, map or object. A string counts its Unicode code points, as Python's len, its indexing and ds.length() and stats() do: \\r\\n is two, and so is e plus a combining accent.") { a in
        let x = a.value("x") ?? .none
        switch x {
        case .string(let s): return .int(s.codePointCount)
        case .list(let l): return .int(l.items.count)
        case .map(let m): return .int(m.count)
        case .range(let r): return .int(r.count)
        case .object(let o): if let n = o.length { return .int(n) }
        default: break
        }
        throw ScriptError("len(): \(x.typeName) has no length")
      },
      NativeFunction(name: "range", params: [.required("start"), .optional("stop"), .optional("step", "1")],
                     doc: "Integers from start (default 0) up to, not including, stop.") { a in
        var start = try a.int("start"), stop = 0
        if a.has("stop") { stop = try a.int("stop") } else { (start, stop) = (0, start) }
        let step = try a.int("step", default: 1)
        if step == 0 { throw ScriptError("range(): step cannot be zero") }
        return .range(try RangeBox.checked(start, stop, step))
      },
      NativeFunction(name: "type", params: [.required("x")], doc: "The name of a value's type.") { a in
        .string((a.value("x") ?? .none).typeName)
      },
      NativeFunction(name: "str", params: [.optional("x", "\"\"")], doc: "A value as text.") { a in
        .string(a.passed("x") ? Display.str(a.value("x") ?? .none) : "")
      },
      NativeFunction(name: "repr", params: [.required("x")], doc: "A value as it would be written in code.") { a in
        .string(Display.repr(a.value("x") ?? .none, whole: true))
      },
      NativeFunction(name: "int", params: [.required("x")], doc: "Convert a number or numeric string to an int (truncating).") { a in
        let x = a.value("x") ?? .none
        switch x {
        case .int: return x
        case .bool(let b): return .int(b ? 1 : 0)
        case .float(let d):
          guard d.isFinite, abs(d) < 9.2e18 else { throw ScriptError("int(): cannot convert \(Display.formatFloat(d)) to int") }
          return .int(Int(d))
        case .string(let s):
          let t = s.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "")
          guard let i = Int(t) else { throw ScriptError("int(): invalid literal \(Display.quote(s))") }
          return .int(i)
        case .object(let o):
          guard let d = o.scalar, d.isFinite, abs(d) < 9.2e18 else {
            throw ScriptError("int(): cannot convert \(x.typeNameWithArticle) (only one with a single finite value)")
          }
          return .int(Int(d))
        default: throw ScriptError("int(): cannot convert \(x.typeName)")
        }
      },
      NativeFunction(name: "float", params: [.required("x")], doc: "Convert a number or numeric string to a float.") { a in
        let x = a.value("x") ?? .none
        switch x {
        case .float: return x
        case .int(let i): return .float(Double(i))
        case .bool(let b): return .float(b ? 1 : 0)
        case .string(let s):
          let t = s.trimmingCharacters(in: .whitespaces).lowercased()
          if let d = Double(t) { return .float(d) }
          if t == "nan" { return .float(.nan) }
          if t == "inf" || t == "infinity" { return .float(.infinity) }
          if t == "-inf" { return .float(-.infinity) }
          throw ScriptError("float(): invalid literal \(Display.quote(s))")
        case .object(let o):
          guard let d = o.scalar else { throw ScriptError("float(): cannot convert \(x.typeNameWithArticle) (only one with a single value)") }
          return .float(d)
        default: throw ScriptError("float(): cannot convert \(x.typeName)")
        }
      },
      NativeFunction(name: "bool", params: [.required("x")], doc: "Truthiness of a value.") { a in
        .bool(try (a.value("x") ?? .none).isTruthy)
      },
      NativeFunction(name: "round", params: [.required("x"), .optional("digits")],
                     doc: "Round half to even, as Python: to an int, or to `digits` decimals (negative: tens, hundreds). Correctly rounded on the float's exact value (round(2.675, 2) is 2.67: the float is 2.67499...); an int stays an int.") { a in
        try Rounding.round(a.value("x") ?? .none, digits: try a.optionalInt("digits"))
      },
      NativeFunction(name: "abs", params: [.required("x")], doc: "Absolute value.") { a in
        let x = a.value("x") ?? .none
        switch x {
        case .int(let i):
          if i == Int.min { throw ScriptError("abs(): integer overflow") }
          return .int(abs(i))
        case .float(let d): return .float(abs(d))
        case .bool(let b): return .int(b ? 1 : 0)
        default:
          // A one-value object (a one-element tensor) is its number.
          guard case .object(let o) = x, let d = o.scalar else { throw ScriptError("abs(): expects a number, got \(x.typeName)") }
          return .float(abs(d))
        }
      },
      NativeFunction(name: "min", params: [.variadic("values"), .optional("key")],
                     doc: "Smallest of the arguments, or of one list.") { a in try extreme(&a, sign: -1) },
      NativeFunction(name: "max", params: [.variadic("values"), .optional("key")],
                     doc: "Largest of the arguments, or of one list.") { a in try extreme(&a, sign: 1) },
      NativeFunction(name: "sum", params: [.required("values"), .optional("start", "0")], doc: "Sum of a list of numbers.") { a in
        var total = a.value("start") ?? .int(0)
        let interp = a.interpreter, nowhere = Span(Source(name: "sum", text: ""), 0, 0)
        // An addition's error is reported at the call of sum, not at `nowhere`.
        func add(_ v: Value) throws {
          do { total = try interp.binary(.add, total, v, nowhere) } catch let e as RetortError where e.kind != .interrupted {
            throw ScriptError("sum(): \(e.message)")
          }
        }
        // A range is added up without being expanded (sum(range(10**8)) needs no list).
        if case .range(let r)? = a.value("values") {
          for k in 0..<r.count {
            // Ctrl-C is seen every 65536 numbers (sum(range(10**10)) runs for minutes).
            if k & 0xFFFF == 0, interp.interruptRequested() { throw RetortError(.interrupted, "interrupted", at: nil) }
            try add(.int(r.element(k)))
          }
          return total
        }
        for v in try a.list("values") { try add(v) }
        return total
      },
      NativeFunction(name: "sorted", params: [.required("values"), .optional("key"), .optional("reverse", "false")],
                     doc: "A new sorted list (stable); key is a function of each value.") { a in
        .list(ListBox(try sortValues(try a.list("values"), key: a.value("key"), reverse: try a.bool("reverse", default: false), a.interpreter)))
      },
      NativeFunction(name: "list", params: [.optional("values")], doc: "A new list from any iterable.") { a in
        a.has("values") ? .list(ListBox(try a.list("values"))) : .list(ListBox())
      },
      NativeFunction(name: "enumerate", params: [.required("values"), .optional("start", "0")],
                     doc: "[index, value] pairs.") { a in
        let start = try a.int("start", default: 0)
        return .list(ListBox(try a.list("values").enumerated().map { e in
          let (i, o) = start.addingReportingOverflow(e.offset)
          if o { throw ScriptError("enumerate(): the index overflows past \(Int.max)") }
          return .list(ListBox([.int(i), e.element]))
        }))
      },
      NativeFunction(name: "zip", params: [.variadic("lists")], doc: "Lists of corresponding items.") { a in
        let lists = try a.rest.map { try a.interpreter.iterate($0, what: "zip()") }
        let n = lists.map(\.count).min() ?? 0
        return .list(ListBox((0..<n).map { i in .list(ListBox(lists.map { $0[i] })) }))
      },
      NativeFunction(name: "map", params: [.required("function"), .required("values")],
                     doc: "A new list of fn(x) for each x: map(fn(x) { x * 2 }, xs).") { a in
        guard let f = a.value("function") else { throw ScriptError("map(): argument 'function' is nil; it needs a function") }
        return .list(ListBox(try a.list("values").map { try a.interpreter.call(f, [$0]) }))
      },
      NativeFunction(name: "filter", params: [.required("function"), .required("values")],
                     doc: "A new list of the x for which fn(x) is true: filter(fn(x) { x > 0 }, xs).") { a in
        guard let f = a.value("function") else { throw ScriptError("filter(): argument 'function' is nil; it needs a function") }
        return .list(ListBox(try a.list("values").filter { try a.interpreter.call(f, [$0]).isTruthy }))
      },
      NativeFunction(name: "sqrt", params: [.required("x")], doc: "Square root (a float).") { a in
        let x = try a.double("x")
        guard x >= 0 else { throw ScriptError("sqrt(): expects x >= 0, got \(x)") }
        return .float(x.squareRoot())
      },
      NativeFunction(name: "exp", params: [.required("x")], doc: "e to the power x.") { a in
        .float(Foundation.exp(try a.double("x")))
      },
      NativeFunction(name: "log", params: [.required("x"), .optional("base", "e")],
                     doc: "Natural logarithm, or to `base`: log(8, 2) is 3.0.") { a in
        let x = try a.double("x")
        guard x > 0 else { throw ScriptError("log(): expects x > 0, got \(x)") }
        guard a.has("base") else { return .float(Foundation.log(x)) }
        let base = try a.double("base")
        guard base > 0, base != 1 else { throw ScriptError("log(): argument 'base' must be > 0 and not 1, got \(base)") }
        return .float(Foundation.log(x) / Foundation.log(base))
      },
      NativeFunction(name: "reversed", params: [.required("values")], doc: "A new list in reverse order.") { a in
        .list(ListBox(try a.list("values").reversed()))
      },
      NativeFunction(name: "any", params: [.required("values")], doc: "Whether any value is true.") { a in
        .bool(try a.list("values").contains { try $0.isTruthy })
      },
      NativeFunction(name: "all", params: [.required("values")], doc: "Whether every value is true.") { a in
        .bool(try a.list("values").allSatisfy { try $0.isTruthy })
      },
    ]
    for f in fns + fileFunctions() { interp.define(f) }
    interp.define(Help.function())
  }

  static func extreme(_ a: inout Args, sign: Int) throws -> Value {
    let values = a.rest.count == 1 ? try a.interpreter.iterate(a.rest[0], what: "\(a.function)()") : a.rest
    guard var best = values.first else { throw ScriptError("\(a.function)(): no values") }
    let key = a.value("key")
    let interp = a.interpreter
    var bestKey = try key.map { try interp.call($0, [best]) } ?? best
    for v in values.dropFirst() {
      let k = try key.map { try interp.call($0, [v]) } ?? v
      if try interp.order(k, bestKey) * sign > 0 { (best, bestKey) = (v, k) }
    }
    return best
  }

  static func sortValues(_ values: [Value], key: Value?, reverse: Bool, _ interp: Interpreter) throws -> [Value] {
    let keys = try values.map { v in try key.map { try interp.call($0, [v]) } ?? v }
    var idx = Array(values.indices)
    var failure: Error? = nil
    // Merge sort keeps equal keys in order (stable) and lets comparison throw.
    func less(_ i: Int, _ j: Int) -> Bool {
      do {
        let c = try interp.order(keys[i], keys[j])
        return reverse ? c > 0 : c < 0
      } catch {
        failure = failure ?? error
        return false
      }
    }
    idx = mergeSort(idx, less)
    if let f = failure { throw f }
    return idx.map { values[$0] }
  }

  static func mergeSort(_ xs: [Int], _ less: (Int, Int) -> Bool) -> [Int] {
    if xs.count < 2 { return xs }
    var a = xs
    var b = xs
    var width = 1
    while width < a.count {
      var i = 0
      while i < a.count {
        let mid = min(i + width, a.count), hi = min(i + 2 * width, a.count)
        var l = i, r = mid, k = i
        while l < mid && r < hi {
          if less(a[r], a[l]) { b[k] = a[r]; r += 1 } else { b[k] = a[l]; l += 1 }
          k += 1
        }
        while l < mid { b[k] = a[l]; l += 1; k += 1 }
        while r < hi { b[k] = a[r]; r += 1; k += 1 }
        i += 2 * width
      }
      swap(&a, &b)
      width *= 2
    }
    return a
  }
}
