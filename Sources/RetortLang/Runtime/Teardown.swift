// Freeing deeply nested lists and maps with a loop. Swift frees a box's
// items inside its deinit, so `x = []; for i in range(100000) { x = [x] }`
// freed one nested deinit per level and overflowed the stack. A dying box
// that holds containers hands its items to `Teardown.release`: the first
// call on a thread releases them one by one in a loop, and boxes that die
// meanwhile add their items to that loop's list instead of nesting deeper.

import Foundation

enum Teardown {
  /// The items waiting to be released by the loop running on this thread.
  private final class Pending: NSObject {
    var values: [Value] = []
  }
  private static let key = "retort.teardown"

  /// Whether any of `values` is a list or a map (only those can nest).
  static func nests(_ values: some Sequence<Value>) -> Bool {
    values.contains { v in
      switch v {
      case .list, .map: return true
      default: return false
      }
    }
  }

  /// Releases `values` (left empty) without recursing through the containers
  /// they hold. Taken inout so that no other copy keeps them alive meanwhile.
  static func release(_ values: inout [Value]) {
    let slots = Thread.current.threadDictionary
    if let running = slots[key] as? Pending {
      running.values.append(contentsOf: values)
      values = []
      return
    }
    let pending = Pending()
    swap(&pending.values, &values)
    slots[key] = pending
    defer { slots.removeObject(forKey: key) }
    while let v = pending.values.popLast() { _ = v }
  }
}

extension ListBox {
  /// Releases the items through `Teardown.release` when they hold containers.
  func releaseItems() {
    guard Teardown.nests(items) else { return }
    var taken: [Value] = []
    swap(&taken, &items)
    Teardown.release(&taken)
  }
}
