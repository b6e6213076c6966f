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
    ("train ▕████▌     ▏ 45%", "train <bar> 45%"),
    ("answering  412/1000 [████████░░░░░░░░] 41%", "answering  412/1000 [<bar>] 41%"),
    ("[#####     ] 50%", "<bar> 50%"),
    ("step 3/10 [=====>    ]", "step 3/10 <bar>"),
    ("[#####     ] 3/6", "<bar> 3/6"),
    ("12.5% [==        ] eta 3s", "12.5% <bar> eta <*>"),
  ])
  func masksVolatileParts(line: String, masked: String) {
    #expect(VolatileMask.apply(line) == masked)
  }

  @Test(arguments: [
    "12 items", "3 sets of 4", "x = 1.5", "loss 0.2345", "xs[1:3]", "[1, 2, 3]", "[]", "{\"lr\": 3e-4}",
    "accuracy 95%", "sizes 3x3", "[.....] 1/2x", "│ a │ b │", "10 samples", "h = 5", "v1.2s3", "[a]> x", "ratio 1:2:3",
    // Brackets in ordinary text are no progress bar, even beside a number.
    "He said [...] and left; total 42", "score 0.91 for the blank [____]", "[  ] 3/4 done", "[     ]",
    "fill in [_____] and [.....]", "[=====>    ]",
  ])
  func leavesOrdinaryOutputAlone(line: String) {
    #expect(VolatileMask.apply(line) == line)
  }

  @Test func sameComparesMaskedLines() {
    #expect(VolatileMask.same("took 12 ms", "took 980 ms"))
    #expect(!VolatileMask.same("took 12 ms", "took 12 s"))
    #expect(!VolatileMask.same("loss 0.25", "loss 0.26"))
  }

  @Test func aJudgeReportRowIsComparedBesideItsBar() {
    // Audit G finding 1: a row with a score bar was masked whole, so changed scores passed.
    let recorded = "open qa              2     0  1.000  0.000  [1.000, 1.000]   ████████████████████"
    let changed = "open qa              9     9  0.123  0.456  [0.000, 0.999]   ███"
    #expect(VolatileMask.apply(recorded) == "open qa              2     0  1.000  0.000  [1.000, 1.000]   <bar>")
    #expect(!VolatileMask.same(recorded, changed))
    #expect(VolatileMask.same(recorded, "open qa              2     0  1.000  0.000  [1.000, 1.000]   ███▌"))
    // Bracketed text that looked like an ASCII bar masked the whole line.
    #expect(!VolatileMask.same("He said [...] and left; total 42", "He said [...] and left; total 7"))
    #expect(!VolatileMask.same("score 0.91 for the blank [____]", "score 0.15 for the blank [____]"))
  }
}
