// Storage for variables. Globals live in one table that persists across
// REPL cells; each function call gets a frame whose slots the compiler
// assigned, linked to the frame its closure was created in.

/// A function call's local variables.
final class Frame {
  var slots: [Value?]
  let parent: Frame?
  var returnValue: Value = .none

  init(size: Int, parent: Frame?) {
    slots = Array(repeating: nil, count: size)
    self.parent = parent
  }

  /// The frame `depth` levels out.
  @inline(__always) func ancestor(_ depth: Int) -> Frame {
    var f = self
    for _ in 0..<depth { if let p = f.parent { f = p } }
    return f
  }
}

/// Global variables by slot, with their names.
public final class Globals {
  var index: [String: Int] = [:]
  var names: [String] = []
  var values: [Value?] = []

  /// The slot for `name`, created (unset) if new.
  func slot(_ name: String) -> Int {
    if let i = index[name] { return i }
    let i = values.count
    index[name] = i
    names.append(name)
    values.append(nil)
    return i
  }

  public subscript(name: String) -> Value? {
    get { index[name].flatMap { values[$0] } }
    set { values[slot(name)] = newValue }
  }

  /// Names that currently hold a value, in definition order.
  public var definedNames: [String] { names.indices.filter { values[$0] != nil }.map { names[$0] } }
}

/// How a statement finished.
enum Flow {
  case normal, breakLoop, continueLoop, returned
}

typealias Eval = (Frame) throws -> Value
typealias Exec = (Frame) throws -> Flow

/// A compiled function body.
final class CompiledFunction {
  let slotCount: Int
  let body: Exec
  init(slotCount: Int, body: @escaping Exec) {
    self.slotCount = slotCount
    self.body = body
  }
}
