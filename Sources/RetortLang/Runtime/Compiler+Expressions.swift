// Expressions compile to `(Frame) throws -> Value` closures.

extension Compiler {
  func expr(_ e: Expr) throws -> Eval {
    let interp = self.interp
    switch e {
    case .literal(let v, _):
      return { _ in v }
    case .name(let name, let span):
      switch resolve(name) {
      case .global(let i):
        return { _ in
          if let v = interp.globals.values[i] { return v }
          throw interp.undefinedName(name, span)
        }
      case .local(let i):
        return { f in
          if let v = f.slots[i] { return v }
          throw RetortError(.runtime, "local variable '\(name)' is used before it is assigned", at: span)
        }
      case .captured(let d, let i):
        return { f in
          if let v = f.ancestor(d).slots[i] { return v }
          throw RetortError(.runtime, "variable '\(name)' is used before it is assigned", at: span)
        }
      }
    case .fstring(let parts, _):
      let compiled: [(String?, Eval?, Character?, Eval?, Span)] = try parts.map { p in
        switch p {
        case .text(let t): return (t, nil, nil, nil, e.span)
        case .expr(let x, let conversion, let spec): return (nil, try expr(x), conversion, try spec.map { try expr($0) }, x.span)
        }
      }
      return { f in
        var out = ""
        for (text, ev, conversion, spec, span) in compiled {
          if let t = text { out += t; continue }
          guard let ev = ev else { continue }
          let v = Format.converted(try ev(f), conversion)
          var specText = ""
          if let spec, case .string(let s) = try spec(f) { specText = s }
          do { out += try Format.apply(specText, to: v, interp) } catch { throw interp.located(error, span) }
        }
        return .string(out)
      }
    case .list(let items, _):
      let evs = try items.map { try expr($0) }
      return { f in .list(ListBox(try evs.map { try $0(f) })) }
    case .map(let pairs, _):
      let evs = try pairs.map { (try expr($0.0), try expr($0.1), $0.0.span) }
      return { f in
        let m = MapBox()
        for (k, v, span) in evs {
          let key = try k(f)
          guard let mk = MapKey(key) else {
            throw RetortError(.runtime, MapKey.refusal(key), at: span)
          }
          m[mk] = try v(f)
        }
        return .map(m)
      }
    case .unary(let op, let operand, let span):
      let ev = try expr(operand)
      if op == .not { return { f in .bool(!(try ev(f).isTruthy)) } }
      return { f in try interp.unary(op, try ev(f), span) }
    case .binary(let op, let l, let r, let span):
      let a = try expr(l), b = try expr(r)
      switch op {
      case .add:
        return { f in
          let x = try a(f), y = try b(f)
          if case .int(let i) = x, case .int(let j) = y {
            let (s, o) = i.addingReportingOverflow(j)
            if !o { return .int(s) }
          }
          return try interp.binary(op, x, y, span)
        }
      case .sub:
        return { f in
          let x = try a(f), y = try b(f)
          if case .int(let i) = x, case .int(let j) = y {
            let (s, o) = i.subtractingReportingOverflow(j)
            if !o { return .int(s) }
          }
          return try interp.binary(op, x, y, span)
        }
      default:
        return { f in try interp.binary(op, try a(f), try b(f), span) }
      }
    case .compare(let ops, let operands, let span):
      let evs = try operands.map { try expr($0) }
      if ops.count == 1 {
        let op = ops[0], a = evs[0], b = evs[1]
        if op == .lt {
          return { f in
            let x = try a(f), y = try b(f)
            if case .int(let i) = x, case .int(let j) = y { return .bool(i < j) }
            return try interp.compare(op, x, y, span)
          }
        }
        return { f in try interp.compare(op, try a(f), try b(f), span) }
      }
      return { f in
        var left = try evs[0](f)
        for (i, op) in ops.enumerated() {
          let right = try evs[i + 1](f)
          if !(try interp.compare(op, left, right, span).isTruthy) { return .bool(false) }
          left = right
        }
        return .bool(true)
      }
    case .and(let l, let r, _):
      let a = try expr(l), b = try expr(r)
      return { f in
        let x = try a(f)
        return try x.isTruthy ? try b(f) : x
      }
    case .or(let l, let r, _):
      let a = try expr(l), b = try expr(r)
      return { f in
        let x = try a(f)
        return try x.isTruthy ? x : try b(f)
      }
    case .call(let callee, let args, let span):
      return try call(callee, args, span)
    case .attribute(let base, let name, let span):
      let b = try expr(base)
      return { f in try interp.attribute(try b(f), name, span) }
    case .index(let base, let items, let span):
      let b = try expr(base)
      let idx = try indexItems(items)
      return { f in
        let container = try b(f)
        let index = try idx(f)
        do { return try interp.getIndex(container, index) } catch { throw interp.located(error, span) }
      }
    case .function(let decl):
      return try function(decl)
    case .comprehension(let element, let condition, let iterable, let span):
      let makeElement = try function(element)
      let makeCondition = try condition.map { try function($0) }
      let seq = try expr(iterable)
      let interp = self.interp
      let iterSpan = iterable.span
      let caller = functionName
      return { f in
        let element = try makeElement(f), condition = try makeCondition?(f)
        var out: [Value] = []
        func visit(_ x: Value) throws {
          try interp.checkInterrupt(span)
          do {
            if let condition, !(try interp.call(condition, [x]).isTruthy) { return }
            if out.count == ListBox.maxBuilt {
              throw RetortError(.runtime, "list comprehension: the result would have more than \(ListBox.maxBuilt) elements",
                                at: span)
            }
            out.append(try interp.call(element, [x]))
          } catch var e as RetortError where e.kind != .interrupted {
            // The trace names the function the comprehension is in, as a call's would.
            e.trace.insert(TraceFrame(span: span, function: caller), at: 0)
            throw e
          }
        }
        let v = try seq(f)
        // A range is walked without being expanded, as a for loop walks it.
        if case .range(let r) = v {
          for k in 0..<r.count { try visit(.int(r.element(k))) }
          return .list(ListBox(out))
        }
        let items: [Value]
        do { items = try interp.iterate(v, what: "list comprehension") } catch { throw interp.located(error, iterSpan) }
        out.reserveCapacity(items.count)
        for x in items { try visit(x) }
        return .list(ListBox(out))
      }
    }
  }

  func call(_ callee: Expr, _ args: [CallArgument], _ span: Span) throws -> Eval {
    let interp = self.interp
    let fn = try expr(callee)
    let positional = try args.filter { $0.name == nil }.map { try expr($0.value) }
    let named = try args.compactMap { a in try a.name.map { ($0, try expr(a.value)) } }
    let caller = functionName
    return { f in
      let target = try fn(f)
      let pos = try positional.map { try $0(f) }
      let kw = try named.map { ($0.0, try $0.1(f)) }
      do {
        return try interp.call(target, pos, kw)
      } catch var e as RetortError {
        if e.kind == .interrupted && e.span == nil { throw RetortError(.interrupted, e.message, at: span) }
        if case .function(let c) = target {
          // The innermost call: the error happened in its function's own code.
          if e.trace.isEmpty && e.site == nil { e.site = c.name }
          e.trace.insert(TraceFrame(span: span, function: caller), at: 0)
        }
        else if e.span == nil { throw RetortError(e.kind, e.message, at: span) }
        // A native that called back into user code (map, sorted(key=), ds.filter(fn)):
        // the error is in that code, and this call is a frame of its trace.
        else if e.kind != .interrupted { e.trace.insert(TraceFrame(span: span, function: caller), at: 0) }
        throw e
      } catch {
        throw interp.located(error, span)
      }
    }
  }

  func indexItems(_ items: [IndexItem]) throws -> (Frame) throws -> [IndexValue] {
    let interp = self.interp
    let parts: [(Eval?, Eval?, Eval?, Bool, Span)] = try items.map { item in
      switch item {
      case .value(let e): return (try expr(e), nil, nil, false, e.span)
      case .slice(let a, let b, let c):
        let span = (a ?? b ?? c)?.span ?? Span(Source(name: "", text: ""), 0, 0)
        return (try a.map { try expr($0) }, try b.map { try expr($0) }, try c.map { try expr($0) }, true, span)
      }
    }
    return { f in
      try parts.map { (a, b, c, isSlice, span) in
        if !isSlice, let a = a { return .value(try a(f)) }
        func bound(_ e: Eval?) throws -> Int? {
          guard let e = e else { return nil }
          switch try e(f) {
          case .none: return nil
          case .int(let i): return i
          case let v:
            // A one-element tensor holding a whole number is that bound (`xs[t.argmax():]`).
            if let i = v.objectInteger { return i }
            throw RetortError(.runtime, "slice bounds must be ints, not \(v.typeName)", at: span)
          }
        }
        let step = try bound(c)
        if step == 0 { throw RetortError(.runtime, "slice step cannot be zero", at: span) }
        _ = interp
        return .slice(try bound(a), try bound(b), step)
      }
    }
  }
}
