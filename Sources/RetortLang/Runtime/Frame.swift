// Storage for variables. Globals live in one table that persists across
// REPL cells; each function call gets a frame whose slots the compiler
// assigned, linked to the frame its closure was created in.

/// A function call's local variables.
final class Frame {
  var slots: [Value?]
  let parent: Frame?
  var returnValue: Value = .none
  /// Closures made while this call ran that keep this frame (directly or
  /// through a frame nested in it), weakly: see `releaseCycles`.
  private var made: [WeakClosure] = []
  private var pruneAt = 64

  init(size: Int, parent: Frame?) {
    slots = Array(repeating: nil, count: size)
    self.parent = parent
  }

  /// Notes that `c`, made in this frame, keeps it and the frames around it,
  /// and which of their variables its body `uses`.
  func noteCapture(_ c: Closure, uses: [SlotRef]) {
    var f: Frame? = self
    var depth = 1
    while let x = f {
      if x.made.count >= x.pruneAt {
        x.made.removeAll { $0.closure == nil }
        x.pruneAt = Swift.max(64, 2 * x.made.count)
      }
      x.made.append(WeakClosure(c, needs: uses.filter { $0.depth == depth }.map(\.slot)))
      f = x.parent
      depth += 1
    }
  }

  /// Called when the call that owns this frame returns. A closure kept in a
  /// local (`keep = fn(r) { r.score > t }`) holds the frame that holds it: a
  /// cycle reference counting never frees, so every such call would keep all
  /// its locals for the rest of the session. Once the call is over, only the
  /// closures still alive can read the frame, and only the variables their
  /// bodies name: the others are let go. When every such closure is alive
  /// only in this frame's own variables, nothing can run them again and all
  /// are let go (a recursive local helper names its own variable).
  func releaseCycles() {
    guard !made.isEmpty else { return }
    var alive = Set<ObjectIdentifier>(), needed = Set<Int>()
    for w in made {
      if let c = w.closure {
        alive.insert(ObjectIdentifier(c))
        needed.formUnion(w.needs)
      }
    }
    made = []
    guard !alive.isEmpty else { return }
    var held = Set<ObjectIdentifier>(), escaped = false
    for i in slots.indices {
      guard case .function(var c)? = slots[i], alive.contains(ObjectIdentifier(c)) else { continue }
      slots[i] = nil
      if !isKnownUniquelyReferenced(&c) { escaped = true }
      slots[i] = .function(c)
      held.insert(ObjectIdentifier(c))
    }
    let keep = escaped || held.count != alive.count ? needed : []
    for i in slots.indices where !keep.contains(i) { slots[i] = nil }
  }

  /// The frame `depth` levels out.
  @inline(__always) func ancestor(_ depth: Int) -> Frame {
    var f = self
    for _ in 0..<depth { if let p = f.parent { f = p } }
    return f
  }
}

/// A closure held without keeping it alive.
struct WeakClosure {
  weak var closure: Closure?
  /// Slots of the frame this entry is kept in that the closure's body uses.
  let needs: [Int]
  init(_ c: Closure, needs: [Int]) { closure = c; self.needs = needs }
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
