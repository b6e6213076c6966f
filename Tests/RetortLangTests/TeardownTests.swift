// Deeply nested values are freed with a loop, not one nested deinit per
// level (which overflowed the stack once the interpreter let go of them).

import Foundation
import Testing
@testable import RetortLang

@Test func deeplyNestedListsAndMapsAreFreedWithoutRecursion() throws {
  // Built and freed here, on a thread with a small (512 KB) stack: recursion
  // through 100,000 levels would need tens of megabytes.
  let done = DispatchSemaphore(value: 0)
  nonisolated(unsafe) var lengths: [Int] = []
  let thread = Thread {
    do {
      var x = Value.list(ListBox())
      for _ in 0..<100_000 { x = .list(ListBox([x])) }
      var m = Value.map(MapBox())
      for _ in 0..<100_000 {
        let box = MapBox()
        box[.string("a")] = m
        box[.string("b")] = .list(ListBox([.int(1)]))
        m = .map(box)
      }
      if case .list(let l) = x { lengths.append(l.items.count) }
      if case .map(let b) = m { lengths.append(b.count) }
    }
    done.signal()
  }
  thread.stackSize = 512 << 10
  thread.start()
  done.wait()
  #expect(lengths == [1, 2])
}
