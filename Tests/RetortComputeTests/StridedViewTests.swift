// Operations on transposed, permuted and sliced views read a dense copy of
// the view; that copy must outlive the kernel reading it (in release builds a
// copy whose last use was taking its pointer was freed before the loop ran);
// and long recorded graphs are freed with a loop.

import Foundation
import Testing
@testable import RetortCompute

@Test func reductionsGatherAndElementwiseOpsOnViewsMatchDenseCopies() throws {
  let a = try Tensor((0..<15).map { Float($0) * 0.25 - 1 }, shape: [3, 5])
  let t = try a.transposed(0, 1)
  #expect(!t.isContiguous)
  let dense = try t.contiguousCopy()
  for _ in 0..<50 {
    #expect(try t.sum().item() == dense.sum().item())
    #expect(try t.sum(axis: 0).toArray() == dense.sum(axis: 0).toArray())
    #expect(try t.max(axis: 1).toArray() == dense.max(axis: 1).toArray())
    #expect(try t.argmax(axis: 0).toArray() == dense.argmax(axis: 0).toArray())
    #expect(try t.softmax(axis: 0).toArray() == dense.softmax(axis: 0).toArray())
    #expect(try t.exp().toArray() == dense.exp().toArray())
    #expect(try t.take([4, 0, 2], axis: 0).toArray() == dense.take([4, 0, 2], axis: 0).toArray())
    #expect(try t.rmsNorm(weight: nil, eps: 1e-5).toArray() == dense.rmsNorm(weight: nil, eps: 1e-5).toArray())
    #expect(try Tensor.concat([t, t], axis: 0).toArray() == Tensor.concat([dense, dense], axis: 0).toArray())
  }
}

@Test func aLongRecordedChainIsFreedWithoutRecursion() throws {
  // 100,000 recorded operations freed on a thread with a 512 KB stack: one
  // nested deinit per operation would need far more.
  let done = DispatchSemaphore(value: 0)
  nonisolated(unsafe) var value: Float = 0
  let thread = Thread {
    do {
      let x = Tensor(scalar: 1)
      x.requiresGrad = true
      var y = x
      for _ in 0..<100_000 { y = try y + x }
      value = try y.item()
    } catch {}
    done.signal()
  }
  thread.stackSize = 512 << 10
  thread.start()
  done.wait()
  #expect(value == 100_001)
}
