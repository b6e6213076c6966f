import RetortCompute
extension BenchRegistry {
  static let ops = BenchSuite(name: "ops", summary: "todo") { _, _ in }
}
