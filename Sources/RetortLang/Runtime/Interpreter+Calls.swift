// Calling functions: user closures, native functions and callable objects.

extension Interpreter {
  /// Calls any callable value with positional and keyword arguments.
  public func call(_ callee: Value, _ args: [Value], _ keywords: [(String, Value)] = []) throws -> Value {
    switch callee {
    case .function(let c):
      return try callClosure(c, args, keywords)
    case .native(let n):
      var a = try Args(function: n.name, params: n.params, positional: args, named: keywords, interpreter: self)
      do { return try n.body(&a) } catch { throw a.named(error) }
    case .object(let o):
      if let params = o.callParameters {
        var a = try Args(function: o.typeInfo.name, params: params, positional: args, named: keywords, interpreter: self)
        do { if let r = try o.call(&a) { return r } } catch { throw a.named(error) }
      }
      throw ScriptError("'\(o.typeInfo.name)' object is not callable")
    default:
      throw ScriptError("'\(callee.typeName)' is not callable")
    }
  }

  func callClosure(_ c: Closure, _ args: [Value], _ keywords: [(String, Value)]) throws -> Value {
    let decl = c.decl
    let params = decl.params
    guard args.count <= params.count else {
      throw ScriptError("\(c.name)() takes \(params.count) argument\(params.count == 1 ? "" : "s") but \(args.count) were given")
    }
    if interruptRequested() { throw RetortError(.interrupted, "interrupted", at: nil) }
    if callDepth >= maxCallDepth {
      throw ScriptError("maximum call depth exceeded (\(maxCallDepth) nested calls): is the recursion missing a base case?")
    }
    let frame = Frame(size: c.compiled.slotCount, parent: c.parent)
    for (i, v) in args.enumerated() { frame.slots[i] = v }
    for (name, v) in keywords {
      guard let i = params.firstIndex(where: { $0.name == name }) else {
        throw ScriptError(
          "\(c.name)() got an unexpected keyword argument '\(name)'; valid keywords: \(params.map(\.name).joined(separator: ", "))")
      }
      if frame.slots[i] != nil { throw ScriptError("\(c.name)() got multiple values for argument '\(name)'") }
      frame.slots[i] = v
    }
    for i in params.indices where frame.slots[i] == nil {
      guard let d = c.defaults[i] else { throw ScriptError("\(c.name)() missing required argument '\(params[i].name)'") }
      frame.slots[i] = d
    }
    callDepth += 1
    defer {
      callDepth -= 1
      frame.releaseCycles()
    }
    switch try c.compiled.body(frame) {
    case .returned:
      // Taken out of the frame: a returned closure keeps the frame, which must not keep it back.
      let v = frame.returnValue
      frame.returnValue = .none
      return v
    default: return .none
    }
  }
}
