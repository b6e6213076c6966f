// The interpreter: holds the globals that persist across cells and runs one
// cell at a time, in the order the pipeline reads:
//
//   run(cell:) = lex -> parse -> compile -> execute, displaying the value of
//   every top-level expression statement.

/// The result of running one cell.
public struct CellResult {
  /// The last displayed value, if any.
  public let value: Value?
  /// The error that stopped the cell, if any.
  public let error: RetortError?
}

/// Runs Retort code. Not thread-safe: one cell at a time.
public final class Interpreter {
  public let globals = Globals()
  /// Where `print` and displayed values go.
  public var output: (String) -> Void = { Swift.print($0, terminator: "") }
  /// Polled in loops and calls; return true to interrupt the running cell.
  public var interruptRequested: () -> Bool = { false }
  /// Draws progress for long primitives (terminal only, never recorded).
  public var progressFactory: (String, Int?) -> ProgressSink = { _, _ in SilentProgress() }
  /// Width used to render values.
  public var displayWidth = 100
  /// Text a call has just streamed to the output (generation): a statement
  /// whose value is that text does not display it a second time (`_` still
  /// holds it). Cleared before every top-level statement.
  public var streamedText: String?
  /// The deepest chain of user function calls allowed.
  public var maxCallDepth = 1000
  /// What call traces call code outside any function: `<cell>` in the REPL, `<script>` for `retort run`.
  public var topLevelName = "<cell>"
  var callDepth = 0
  /// Registered namespaces and builtins, for help and completion.
  public private(set) var registry = Registry()

  public init() {
    Builtins.install(in: self)
  }

  /// Registers a global function with its help.
  public func define(_ fn: NativeFunction, category: String = "builtins") {
    globals[fn.name] = .native(fn)
    registry.functions.append((category, fn))
  }

  /// Registers a namespace object (`tensor`, `dataset`, ...).
  public func define(namespace: Namespace) {
    globals[namespace.name] = .object(namespace)
    registry.namespaces.append(namespace)
  }

  /// Runs one cell. `name` appears in diagnostics (`[3]` or a file path).
  /// The value of every top-level expression statement is displayed.
  @discardableResult
  public func run(_ code: String, name: String, cellNumber: Int? = nil, display: Bool = true) -> CellResult {
    let source = Source(name: name, text: code)
    var last: Value? = nil
    do {
      var parser = try Parser(source)
      let program = try parser.parseProgram()
      let compiler = Compiler(interp: self, scope: nil)
      let frame = Frame(size: 0, parent: nil)
      for stmt in program {
        // Ctrl-C stops the cell between statements too: after `r = m.train(...)`
        // keeps its run, the statements after it do not start.
        try checkInterrupt(stmt.span)
        if let v = try runTopLevel(stmt, compiler, frame, display: display) { last = v }
      }
      if let n = cellNumber, let v = last { globals["_\(n)"] = v }
      return CellResult(value: last, error: nil)
    } catch let e as RetortError {
      callDepth = 0
      if let n = cellNumber, let v = last { globals["_\(n)"] = v }
      return CellResult(value: last, error: e)
    } catch {
      callDepth = 0
      return CellResult(value: last, error: RetortError(.runtime, "\(error)", at: nil))
    }
  }

  /// Runs one statement of a cell; returns the value it displayed, if any. An
  /// error that found no place of its own is shown at its statement.
  private func runTopLevel(_ stmt: Stmt, _ compiler: Compiler, _ frame: Frame, display: Bool) throws -> Value? {
    streamedText = nil
    do {
      guard case .expr(let e) = stmt else {
        // (The parser refuses `break` and `continue` outside a loop, so none escapes here.)
        _ = try compiler.statement(stmt)(frame)
        return nil
      }
      let v = try compiler.expr(e)(frame)
      if !display { return nil }
      if case .none = v { return nil }
      // Text a call has just streamed is not shown a second time.
      if case .string(let s) = v, s == streamedText {} else { show(v) }
      globals["_"] = v
      return v
    } catch let e as RetortError where e.span != nil || e.kind == .interrupted {
      throw e
    } catch {
      throw located(error, stmt.span)
    }
  }

  /// Writes a value as the REPL displays it.
  public func show(_ v: Value) {
    output(Display.render(v, RenderContext(width: displayWidth)) + "\n")
  }

  // MARK: Errors

  @inline(__always) func checkInterrupt(_ span: Span) throws {
    if interruptRequested() { throw RetortError(.interrupted, "interrupted", at: span) }
  }

  /// Whether `v` counts as true, with an object's refusal (a tensor of several
  /// elements) reported at `span`.
  @inline(__always) func truth(_ v: Value, _ span: Span) throws -> Bool {
    do { return try v.isTruthy } catch { throw located(error, span) }
  }

  /// Attaches a span to an error from a native function.
  func located(_ error: Error, _ span: Span) -> RetortError {
    if let e = error as? RetortError {
      if e.span != nil { return e }
      var r = RetortError(e.kind, e.message, at: span)
      r.trace = e.trace
      return r
    }
    return RetortError(.runtime, "\(error)", at: span)
  }

  func undefinedName(_ name: String, _ span: Span) -> RetortError {
    var message = "name '\(name)' is not defined"
    if name.count > 1, name.hasPrefix("_"), let n = Int(name.dropFirst()), n > 0 {
      message += " (\(name) is the value cell \(n) displayed; it displayed none, or has not run)"
    } else if let s = closestName(to: name, in: globals.definedNames) {
      message += "; did you mean '\(s)'?"
    }
    return RetortError(.runtime, message, at: span)
  }
}

/// The closest candidate by edit distance, if close enough to suggest.
public func closestName(to name: String, in candidates: [String]) -> String? {
  let a = Array(name.lowercased())
  var best: (String, Int)? = nil
  for c in candidates where !c.hasPrefix("_") {
    let b = Array(c.lowercased())
    if abs(a.count - b.count) > 2 { continue }
    var prev = Array(0...b.count)
    for i in 1...max(1, a.count) where !a.isEmpty {
      var cur = [i] + Array(repeating: 0, count: b.count)
      for j in stride(from: 1, through: b.count, by: 1) {
        cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
      }
      prev = cur
    }
    let d = prev[b.count]
    if d <= max(1, a.count / 3), d < (best?.1 ?? Int.max) { best = (c, d) }
  }
  return best?.0
}
