// Cells run on a thread with a large stack, so deep (but bounded)
// recursion in user code ends in a clear error, not a crash.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

private final class StackJob {
  let body: () -> Void
  init(_ body: @escaping () -> Void) { self.body = body }
}

/// Runs `body` on a fresh thread with `megabytes` of stack and waits for it.
/// Falls back to the current thread if a thread cannot be created.
public func runWithLargeStack(megabytes: Int = 512, _ body: @escaping () -> Void) {
  var attr = pthread_attr_t()
  pthread_attr_init(&attr)
  defer { pthread_attr_destroy(&attr) }
  pthread_attr_setstacksize(&attr, megabytes << 20)
  let job = Unmanaged.passRetained(StackJob(body))
  #if canImport(Glibc)
  var thread = pthread_t()
  #else
  var thread: pthread_t? = nil
  #endif
  let rc = pthread_create(&thread, &attr, { arg in
    guard let arg = arg else { return nil }
    let job = Unmanaged<StackJob>.fromOpaque(arg).takeRetainedValue()
    job.body()
    return nil
  }, job.toOpaque())
  if rc != 0 {
    job.takeRetainedValue().body()
    return
  }
  #if canImport(Glibc)
  pthread_join(thread, nil)
  #else
  if let t = thread { pthread_join(t, nil) }
  #endif
}
