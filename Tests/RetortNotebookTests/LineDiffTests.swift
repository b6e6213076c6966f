import Testing
@testable import RetortNotebook

@Suite struct LineDiffTests {
  /// Applies an edit script, to check it really turns `old` into `new`.
  func apply(_ script: [LineDiff.Edit], _ old: [String], _ new: [String]) -> [String] {
    script.compactMap { e -> String? in
      switch e {
      case let .keep(o, _): return old[o]
      case .delete: return nil
      case let .insert(n): return new[n]
      }
    }
  }

  @Test func editScriptsAreMinimalAndCorrect() {
    let cases: [([String], [String], Int)] = [
      ([], [], 0), (["a"], [], 1), ([], ["a", "b"], 2), (["a", "b", "c"], ["a", "b", "c"], 0),
      ("abcabba".map(String.init), "cbabac".map(String.init), 5),  // Myers' paper example: D = 5
      (["x", "y"], ["y", "x"], 2),
    ]
    for (old, new, d) in cases {
      let script = LineDiff.edits(old, new)
      #expect(apply(script, old, new) == new)
      let changes = script.filter { if case .keep = $0 { return false } else { return true } }.count
      #expect(changes == d, "\(old) -> \(new)")
    }
  }

  @Test func randomScriptsReproduceTheTarget() {
    var state: UInt64 = 42
    func next(_ n: Int) -> Int {
      state = state &* 6364136223846793005 &+ 1442695040888963407
      return Int((state >> 33) % UInt64(n))
    }
    for _ in 0..<200 {
      let old = (0..<next(12)).map { _ in String(next(4)) }
      let new = (0..<next(12)).map { _ in String(next(4)) }
      #expect(apply(LineDiff.edits(old, new), old, new) == new)
    }
  }

  @Test func hugeDifferencesFallBackToReplaceAll() {
    let old = (0..<1500).map { "a\($0)" }, new = (0..<1500).map { "b\($0)" }
    let script = LineDiff.edits(old, new)
    #expect(script.count == 3000)
    #expect(apply(script, old, new) == new)
    let sameish = LineDiff.edits(old, old + ["x"])
    #expect(sameish.count == 1501)
  }

  @Test func unifiedHunksSplitAndHandleEmptySides() {
    let old = (1...20).map { "l\($0)" }
    var new = old
    new[1] = "X"
    new[17] = "Y"
    #expect(LineDiff.unified(old, new) == """
      @@ -1,5 +1,5 @@
       l1
      -l2
      +X
       l3
       l4
       l5
      @@ -15,6 +15,6 @@
       l15
       l16
       l17
      -l18
      +Y
       l19
       l20

      """)
    #expect(LineDiff.unified([], ["a"]) == "@@ -0,0 +1 @@\n+a\n")
    #expect(LineDiff.unified(["a", "b"], []) == "@@ -1,2 +0,0 @@\n-a\n-b\n")
    #expect(LineDiff.unified(["a"], ["a"]) == "")
  }

  @Test func linesThatDifferOnlyInInvisibleCharactersShowThem() {
    // Audit G finding 12: "-2" / "+2" with no visible difference (the new line ended with a CR).
    let note = InvisibleText.note
    #expect(LineDiff.unified(["2"], ["2\r"]) == "@@ -1 +1 @@\n-2\n+2\\r\n\(note)\n")
    #expect(LineDiff.unified(["a b", "x"], ["a\u{a0}b", "x"]) == "@@ -1,2 +1,2 @@\n-a b\n+a\\u{a0}b\n x\n\(note)\n")
    #expect(LineDiff.unified(["tab\there \\"], ["tab    here \\ "])
            == "@@ -1 +1 @@\n-tab\\there \\\\\n+tab    here \\\\\\u{20}\n\(note)\n")
    #expect(LineDiff.unified(["a\u{200b}b"], ["ab"]) == "@@ -1 +1 @@\n-a\\u{200b}b\n+ab\n\(note)\n")
    // Lines that look different are shown as they are.
    #expect(LineDiff.unified(["1\r"], ["2\r"]) == "@@ -1 +1 @@\n-1\r\n+2\r\n")
  }
}
