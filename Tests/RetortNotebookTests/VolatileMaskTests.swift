import Testing
@testable import RetortNotebook

@Suite struct VolatileMaskTests {
  @Test(arguments: [
    ("took 12.5 ms", "took <n> ms"),
    ("3s elapsed", "<n>s elapsed"),
    ("epoch 2: 850 tok/s, 12.3 it/s, 1.5 GB/s", "epoch 2: <n> tok/s, <n> it/s, <n> GB/s"),
    ("matmul 1.2e3 GFLOPS", "matmul <n> GFLOPS"),
    ("3.2 s/it", "<n> s/it"),
    ("in 2 min 30 seconds", "in <n> min <n> seconds"),
    ("latency 40µs / 41 μs / 5 us / 7ns", "latency <n>µs / <n> μs / <n> us / <n>ns"),
    ("started 2026-11-21T12:47:13+01:00 done", "started <date> done"),
    ("on 2026-11-21 12:47", "on <date>"),
    ("at 12:47:13.25", "at <time>"),
    ("Sessions/20261121-124713.retort", "Sessions/<date>.retort"),
    ("ETA 00:12, elapsed=3m", "ETA <*>, elapsed=<*>"),
    ("train ▕████▌     ▏ 45%", "<progress>"),
    ("[#####     ] 50%", "<progress>"),
    ("[=====>    ]", "<progress>"),
  ])
  func masksVolatileParts(line: String, masked: String) {
    #expect(VolatileMask.apply(line) == masked)
  }

  @Test(arguments: [
    "12 items", "3 sets of 4", "x = 1.5", "loss 0.2345", "xs[1:3]", "[1, 2, 3]", "[]", "{\"lr\": 3e-4}",
    "accuracy 95%", "sizes 3x3", "│ a │ b │", "10 samples", "h = 5", "v1.2s3", "[a]> x", "ratio 1:2:3",
  ])
  func leavesOrdinaryOutputAlone(line: String) {
    #expect(VolatileMask.apply(line) == line)
  }

  @Test func sameComparesMaskedLines() {
    #expect(VolatileMask.same("took 12 ms", "took 980 ms"))
    #expect(!VolatileMask.same("took 12 ms", "took 12 s"))
    #expect(!VolatileMask.same("loss 0.25", "loss 0.26"))
  }
}
