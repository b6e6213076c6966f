// The compiler turns the syntax tree into Swift closures, resolving every
// name to a global slot, a local slot, or a slot in an enclosing function's
// frame. Scoping follows Python: a name assigned anywhere in a function is
// local to it; everything else is looked up outward, then in globals.

/// Names local to one function being compiled.
final class Scope {
  let parent: Scope?
  var locals: [String: Int] = [:]
  let functionName: String
  /// The variables of enclosing functions that code in this scope (or in a
  /// scope nested in it) reads or writes, by depth from this scope's frame
  /// (1 = the frame the closure is made in). A closure keeps the enclosing
  /// frame only when there are any, and a frame whose call has returned keeps
  /// only the variables its living closures use (see `Frame.releaseCycles`).
  var captures = Set<SlotRef>()

  init(parent: Scope?, functionName: String) {
    self.parent = parent
    self.functionName = functionName
  }

  func declare(_ name: String) {
    if locals[name] == nil { locals[name] = locals.count }
  }
}

/// A variable of an enclosing function's frame: `depth` frames out, slot `slot`.
struct SlotRef: Hashable {
  let depth: Int
  let slot: Int
}

/// Where a name lives.
enum Resolved {
  case global(Int)
  case local(Int)
  case captured(Int, Int)
}

/// Compiles statements of one source for an interpreter.
struct Compiler {
  let interp: Interpreter
  var scope: Scope?

  var functionName: String { scope?.functionName ?? interp.topLevelName }

  func resolve(_ name: String) -> Resolved {
    var s = scope
    var depth = 0
    while let sc = s {
      if let i = sc.locals[name] {
        if depth == 0 { return .local(i) }
        var inner = scope
        for j in 0..<depth {
          inner?.captures.insert(SlotRef(depth: depth - j, slot: i))
          inner = inner?.parent
        }
        return .captured(depth, i)
      }
      s = sc.parent
      depth += 1
    }
    return .global(interp.globals.slot(name))
  }

  // MARK: Statements

  func block(_ stmts: [Stmt]) throws -> Exec {
    let compiled = try stmts.map { try statement($0) }
    switch compiled.count {
    case 0: return { _ in .normal }
    case 1: return compiled[0]
    case 2:
      let a = compiled[0], b = compiled[1]
      return { f in
        let r = try a(f)
        if case .normal = r { return try b(f) }
        return r
      }
    default:
      return { f in
        for s in compiled {
          let r = try s(f)
          if case .normal = r { continue }
          return r
        }
        return .normal
      }
    }
  }

  func statement(_ stmt: Stmt) throws -> Exec {
    switch stmt {
    case .expr(let e):
      let ev = try expr(e)
      return { f in _ = try ev(f); return .normal }
    case .assign(let target, let value, _):
      let store = try assignment(target)
      let ev = try expr(value)
      return { f in try store(f, try ev(f)); return .normal }
    case .augAssign(let target, let op, let value, let span):
      return try augmented(target, op, value, span)
    case .ifElse(let branches, let elseBody, _):
      let conds = try branches.map { (try expr($0.0), $0.0.span, try block($0.1)) }
      let other = try elseBody.map { try block($0) }
      let interp = self.interp
      if conds.count == 1 {
        let (c, span, body) = conds[0]
        return { f in
          if try interp.truth(try c(f), span) { return try body(f) }
          return try other?(f) ?? .normal
        }
      }
      return { f in
        for (c, span, body) in conds where try interp.truth(try c(f), span) { return try body(f) }
        return try other?(f) ?? .normal
      }
    case .whileLoop(let cond, let body, let span):
      let c = try expr(cond)
      let b = try block(body)
      let interp = self.interp
      let condSpan = cond.span
      return { f in
        while try interp.truth(try c(f), condSpan) {
          try interp.checkInterrupt(span)
          switch try b(f) {
          case .breakLoop: return .normal
          case .returned: return .returned
          default: continue
          }
        }
        return .normal
      }
    case .forIn(let target, let iterable, let body, let span):
      return try forLoop(target, iterable, body, span)
    case .tryCatch(let body, let name, let handler, _):
      return try tryCatch(body, name, handler)
    case .breakLoop: return { _ in .breakLoop }
    case .continueLoop: return { _ in .continueLoop }
    case .returnValue(let e, let span):
      guard scope != nil else {
        throw RetortError(.syntax, "'return' outside a function", at: span)
      }
      if let e = e {
        let ev = try expr(e)
        return { f in f.returnValue = try ev(f); return .returned }
      }
      return { f in f.returnValue = .none; return .returned }
    case .function(let decl):
      let make = try function(decl)
      let store = try assignment(.name(decl.name ?? "<fn>", decl.span))
      return { f in try store(f, try make(f)); return .normal }
    }
  }

  /// Runs `body`; an error in it runs `handler` with `name` bound to the error's
  /// message. Ctrl-C is never caught: it still stops the cell.
  func tryCatch(_ body: [Stmt], _ name: (name: String, span: Span)?, _ handler: [Stmt]) throws -> Exec {
    let b = try block(body)
    let h = try block(handler)
    let store = try name.map { try assignment(.name($0.name, $0.span)) }
    let interp = self.interp
    return { f in
      do {
        return try b(f)
      } catch let e as RetortError where e.kind == .interrupted {
        throw e
      } catch {
        if interp.interruptRequested() { throw RetortError(.interrupted, "interrupted", at: nil) }
        try store?(f, .string((error as? RetortError)?.message ?? "\(error)"))
        return try h(f)
      }
    }
  }

  func forLoop(_ target: Target, _ iterable: Expr, _ body: [Stmt], _ span: Span) throws -> Exec {
    let seq = try expr(iterable)
    let store = try assignment(target)
    let b = try block(body)
    let interp = self.interp
    let iterSpan = iterable.span
    return { f in
      let v = try seq(f)
      if case .range(let r) = v {
        var i = r.start
        for _ in 0..<r.count {
          try interp.checkInterrupt(span)
          try store(f, .int(i))
          switch try b(f) {
          case .breakLoop: return .normal
          case .returned: return .returned
          default: i &+= r.step
          }
        }
        return .normal
      }
      let items: [Value]
      do { items = try interp.iterate(v, what: "for loop") } catch { throw interp.located(error, iterSpan) }
      for x in items {
        try interp.checkInterrupt(span)
        try store(f, x)
        switch try b(f) {
        case .breakLoop: return .normal
        case .returned: return .returned
        default: continue
        }
      }
      return .normal
    }
  }
}
