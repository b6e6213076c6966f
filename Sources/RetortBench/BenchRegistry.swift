// Every `retort bench` suite, registered once. Each suite lives in its own
// file (Bench+Startup.swift, Bench+Gemm.swift, ...).

public enum BenchRegistry {
  /// All suites, in the order `retort bench --list` shows them.
  public static let all: [BenchSuite] = [
    startup,
    interp,
    dataset,
    gemm, ops, qmatvec,
    judgeMetrics,
    generate,
    train,
    lora,
    sft,
  ]

  public static func suite(named name: String) -> BenchSuite? {
    all.first { $0.name == name }
  }
}
