// Assignment targets and function definitions.

extension Compiler {
  /// A closure that stores a value into `target`.
  func assignment(_ target: Target) throws -> (Frame, Value) throws -> Void {
    let interp = self.interp
    switch target {
    case .name(let name, _):
      switch resolve(name) {
      case .global(let i): return { _, v in interp.globals.values[i] = v }
      case .local(let i): return { f, v in f.slots[i] = v }
      case .captured(let d, let i): return { f, v in f.ancestor(d).slots[i] = v }
      }
    case .index(let base, let items, let span):
      let b = try expr(base)
      let idx = try indexItems(items)
      return { f, v in
        let container = try b(f)
        let index = try idx(f)
        do { try interp.setIndex(container, index, v) } catch { throw interp.located(error, span) }
      }
    case .attribute(let base, let name, let span):
      let b = try expr(base)
      return { f, v in
        let obj = try b(f)
        if case .map(let m) = obj {
          m[.string(name)] = v
          return
        }
        throw RetortError(.runtime, "cannot set attribute '\(name)' on \(obj.typeName)", at: span)
      }
    case .tuple(let targets, let span):
      let stores = try targets.map { try assignment($0) }
      return { f, v in
        let items: [Value]
        do { items = try interp.iterate(v, what: "unpacking") } catch { throw interp.located(error, span) }
        guard items.count == stores.count else {
          throw RetortError(
            .runtime, "cannot unpack \(items.count) value\(items.count == 1 ? "" : "s") into \(stores.count) names",
            at: span)
        }
        for (s, x) in zip(stores, items) { try s(f, x) }
      }
    }
  }

  func augmented(_ target: Target, _ op: BinaryOp, _ value: Expr, _ span: Span) throws -> Exec {
    let interp = self.interp
    let rhs = try expr(value)
    switch target {
    case .name(let name, let nameSpan):
      let load = try expr(.name(name, nameSpan))
      let store = try assignment(target)
      if case .global(let slot) = resolve(name), op == .add {
        // Fast path for the commonest loop statement, `s += i`.
        return { f in
          let r = try rhs(f)
          if case .int(let a)? = interp.globals.values[slot], case .int(let b) = r {
            let (s, o) = a.addingReportingOverflow(b)
            if !o { interp.globals.values[slot] = .int(s); return .normal }
          }
          let l = try load(f)
          try store(f, try interp.augmented(op, l, r, span))
          return .normal
        }
      }
      return { f in
        let l = try load(f)
        let r = try rhs(f)
        try store(f, try interp.augmented(op, l, r, span))
        return .normal
      }
    case .index(let base, let items, let ispan):
      let b = try expr(base)
      let idx = try indexItems(items)
      return { f in
        let container = try b(f)
        let index = try idx(f)
        do {
          let old = try interp.getIndex(container, index)
          let new = try interp.augmented(op, old, try rhs(f), span)
          try interp.setIndex(container, index, new)
        } catch { throw interp.located(error, ispan) }
        return .normal
      }
    case .attribute(let base, let name, let aspan):
      let b = try expr(base)
      let store = try assignment(target)
      return { f in
        let obj = try b(f)
        let old = try interp.attribute(obj, name, aspan)
        try store(f, try interp.augmented(op, old, try rhs(f), span))
        return .normal
      }
    case .tuple:
      throw RetortError(.syntax, "cannot use an augmented assignment on several targets", at: span)
    }
  }

  /// Compiles a function declaration; the returned closure creates the
  /// function value (evaluating defaults) each time the definition runs.
  func function(_ decl: FunctionDecl) throws -> Eval {
    let inner = Scope(parent: scope, functionName: decl.name ?? "<fn>")
    for p in decl.params { inner.declare(p.name) }
    collectLocals(decl.body, into: inner)
    var sub = Compiler(interp: interp, scope: inner)
    sub.scope = inner
    var body = decl.body
    // The value of a final expression statement is the function's result.
    if case .expr(let e)? = body.last { body[body.count - 1] = .returnValue(e, e.span) }
    let exec = try sub.block(body)
    let compiled = CompiledFunction(slotCount: inner.locals.count, body: exec)
    let defaults = try decl.params.map { p in try p.defaultValue.map { try expr($0) } }
    // Keeping the maker's frame only when the body uses it: a frame that holds
    // a closure holding that frame is a cycle ARC never frees.
    let captures = Array(inner.captures)
    let keepsFrame = scope != nil && !captures.isEmpty
    return { f in
      let values = try defaults.map { try $0?(f) }
      guard keepsFrame else { return .function(Closure(decl: decl, compiled: compiled, parent: nil, defaults: values)) }
      let c = Closure(decl: decl, compiled: compiled, parent: f, defaults: values)
      f.noteCapture(c, uses: captures)
      return .function(c)
    }
  }

  /// Declares every name a body assigns (not looking inside nested functions).
  func collectLocals(_ stmts: [Stmt], into scope: Scope) {
    func target(_ t: Target) {
      switch t {
      case .name(let n, _): scope.declare(n)
      case .tuple(let ts, _): ts.forEach(target)
      default: break
      }
    }
    for s in stmts {
      switch s {
      case .assign(let t, _, _), .augAssign(let t, _, _, _): target(t)
      case .forIn(let t, _, let body, _):
        target(t)
        collectLocals(body, into: scope)
      case .whileLoop(_, let body, _): collectLocals(body, into: scope)
      case .tryCatch(let body, let name, let handler, _):
        collectLocals(body, into: scope)
        if let name { scope.declare(name.name) }
        collectLocals(handler, into: scope)
      case .ifElse(let branches, let other, _):
        for (_, b) in branches { collectLocals(b, into: scope) }
        if let o = other { collectLocals(o, into: scope) }
      case .function(let d): if let n = d.name { scope.declare(n) }
      default: break
      }
    }
  }
}
