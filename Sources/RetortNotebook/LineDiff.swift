/// A line diff (Myers' O(ND) algorithm) and its unified-diff rendering.
public enum LineDiff {
  /// One step of an edit script turning `old` into `new`.
  public enum Edit: Equatable, Sendable {
    /// `old[oldIndex]` and `new[newIndex]` are equal.
    case keep(oldIndex: Int, newIndex: Int)
    /// `old[oldIndex]` is removed.
    case delete(oldIndex: Int)
    /// `new[newIndex]` is inserted.
    case insert(newIndex: Int)
  }

  /// Above this many differences `edits` stops searching for a shortest
  /// script and returns "delete all, insert all" (still correct, not minimal),
  /// which bounds time and memory on huge, completely different outputs.
  public static let maxDifferences = 2000

  /// A shortest edit script from `old` to `new` (Myers), comparing lines with `==`.
  ///
  /// Complexity: O((N + M) * D) time and O(D^2) memory, D = number of
  /// differences (capped by `maxDifferences`).
  public static func edits<T: Equatable>(_ old: [T], _ new: [T]) -> [Edit] {
    let n = old.count, m = new.count
    let limit = min(n + m, maxDifferences)
    let offset = n + m + 1
    var v = [Int](repeating: 0, count: 2 * (n + m) + 3)
    // trace[d] holds v[k] for k in -d-1...d+1 as it was before round d.
    var trace: [[Int]] = []
    var found = false
    for d in 0...limit {
      trace.append(Array(v[(offset - d - 1)...(offset + d + 1)]))
      for k in stride(from: -d, through: d, by: 2) {
        var x: Int
        if k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) {
          x = v[offset + k + 1]  // step down: insertion
        } else {
          x = v[offset + k - 1] + 1  // step right: deletion
        }
        var y = x - k
        while x < n && y < m && old[x] == new[y] { x += 1; y += 1 }
        v[offset + k] = x
        if x >= n && y >= m { found = true; break }
      }
      if found { break }
    }
    guard found else {
      return (0..<n).map { .delete(oldIndex: $0) } + (0..<m).map { .insert(newIndex: $0) }
    }
    // Walk the trace backwards from (n, m).
    var script: [Edit] = []
    var x = n, y = m
    for d in stride(from: trace.count - 1, through: 0, by: -1) {
      let vd = trace[d]
      func at(_ k: Int) -> Int { vd[k + d + 1] }
      let k = x - y
      let prevK: Int
      if d == 0 {
        prevK = 0
      } else if k == -d || (k != d && at(k - 1) < at(k + 1)) {
        prevK = k + 1
      } else {
        prevK = k - 1
      }
      let prevX = d == 0 ? 0 : at(prevK)
      let prevY = prevX - prevK
      while x > prevX && y > prevY {
        x -= 1; y -= 1
        script.append(.keep(oldIndex: x, newIndex: y))
      }
      if d > 0 {
        if x == prevX { script.append(.insert(newIndex: y - 1)) } else { script.append(.delete(oldIndex: x - 1)) }
        x = prevX; y = prevY
      }
    }
    return script.reversed()
  }

  /// A unified diff of `old` against `new` (no `---`/`+++` header), or "" if they
  /// are equal. Lines are compared by `key` (computed once per line, e.g.
  /// `VolatileMask.apply`) and shown as given; `context` equal lines surround changes.
  /// A removed or added line that looks like one on the other side of its hunk
  /// (they differ only in invisible characters, such as a trailing `\r`) is
  /// shown with those characters escaped, and a `\` note line says so.
  public static func unified(_ old: [String], _ new: [String], context: Int = 3,
                             key: (String) -> String = { $0 }) -> String {
    let script = edits(old.map(key), new.map(key))
    let changed = script.indices.filter { if case .keep = script[$0] { return false } else { return true } }
    guard !changed.isEmpty else { return "" }
    // Group changes whose context windows touch into hunks.
    var hunks: [ClosedRange<Int>] = []
    for i in changed {
      let lo = max(0, i - context), hi = min(script.count - 1, i + context)
      if let last = hunks.last, lo <= last.upperBound + 1 {
        hunks[hunks.count - 1] = last.lowerBound...hi
      } else {
        hunks.append(lo...hi)
      }
    }
    var out = ""
    for hunk in hunks {
      let (shownOld, shownNew, escapedAny) = shown(script[hunk], old, new)
      var oldStart = -1, newStart = -1, oldCount = 0, newCount = 0
      var body = ""
      // Position counters just before the hunk, for empty ranges.
      var oldBefore = 0, newBefore = 0
      for e in script[..<hunk.lowerBound] {
        switch e {
        case .keep: oldBefore += 1; newBefore += 1
        case .delete: oldBefore += 1
        case .insert: newBefore += 1
        }
      }
      for e in script[hunk] {
        switch e {
        case let .keep(o, n):
          if oldStart < 0 { oldStart = o }
          if newStart < 0 { newStart = n }
          oldCount += 1; newCount += 1
          body += " " + old[o] + "\n"
        case let .delete(o):
          if oldStart < 0 { oldStart = o }
          oldCount += 1
          body += "-" + (shownOld[o] ?? old[o]) + "\n"
        case let .insert(n):
          if newStart < 0 { newStart = n }
          newCount += 1
          body += "+" + (shownNew[n] ?? new[n]) + "\n"
        }
      }
      let oldLabel = oldCount == 0 ? "\(oldBefore),0" : range(oldStart < 0 ? oldBefore : oldStart, oldCount)
      let newLabel = newCount == 0 ? "\(newBefore),0" : range(newStart < 0 ? newBefore : newStart, newCount)
      out += "@@ -\(oldLabel) +\(newLabel) @@\n" + body + (escapedAny ? InvisibleText.note + "\n" : "")
    }
    return out
  }

  /// The changed lines of one hunk that only invisible characters tell apart
  /// from a changed line on the other side, escaped (by index), and whether there are any.
  private static func shown(_ hunk: ArraySlice<Edit>, _ old: [String], _ new: [String])
    -> (old: [Int: String], new: [Int: String], any: Bool) {
    var removed: [String: [Int]] = [:], added: [String: [Int]] = [:]
    for e in hunk {
      switch e {
      case let .delete(o): removed[InvisibleText.looks(old[o]), default: []].append(o)
      case let .insert(n): added[InvisibleText.looks(new[n]), default: []].append(n)
      case .keep: break
      }
    }
    var shownOld: [Int: String] = [:], shownNew: [Int: String] = [:]
    for (looks, olds) in removed {
      guard let news = added[looks] else { continue }
      for o in olds { shownOld[o] = InvisibleText.escaped(old[o]) }
      for n in news { shownNew[n] = InvisibleText.escaped(new[n]) }
    }
    return (shownOld, shownNew, !shownOld.isEmpty)
  }

  private static func range(_ start0: Int, _ count: Int) -> String {
    count == 1 ? "\(start0 + 1)" : "\(start0 + 1),\(count)"
  }
}
