// `retort bench` refuses what it cannot run before any work starts: unknown
// suites and options, and sizes out of range (a negative size ran the default).

import Foundation
import Testing

@Suite struct BenchArgumentTests {
  @Test func badSuitesOptionsAndSizesAreErrors() throws {
    let negative = try retort(["bench", "gemm", "--m", "-1"])
    #expect(negative.status == 1 && negative.stderr.contains("gemm: --m must be in 1...16384, got -1"), "\(negative)")
    let unknown = try retort(["bench", "gemm", "--zz", "1"])
    #expect(unknown.status != 0 && unknown.stderr.contains("unknown option '--zz'"), "\(unknown)")
    // A number option given as a bare flag says the value is missing.
    let bare = try retort(["bench", "gemm", "--m"])
    #expect(bare.status != 0 && bare.stderr.contains("option --m needs a value (an integer) after it"), "\(bare)")
    let suite = try retort(["bench", "nope"])
    #expect(suite.status != 0 && suite.stderr.contains("unknown bench 'nope'"), "\(suite)")
  }
}
