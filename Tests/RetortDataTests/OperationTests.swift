import Testing
@testable import RetortData

@Suite struct OperationTests {
  /// 30 records over three untidy categories.
  var ds: Dataset {
    let labels = ["closed\u{00A0}qa", "Closed QA", "math", "open qa ", "Math"]
    return Dataset.from((0..<30).map { i in
      ["instruction": .string("task \(i)"), "input": "", "output": .string(String(repeating: "x", count: i)),
       "category": .string(labels[i % labels.count]), "n": .int(i % 7)]
    })
  }

  @Test func whereNormalisesCategories() throws {
    let d = ds
    #expect(try d.where("category", equals: "closed qa").count == 12)
    #expect(try d.where("category", equals: "MATH").count == 12)
    #expect(try d.where("n", equals: 3).count == 4)
    #expect(d.filter { $0.output.count > 25 }.count == 4)
    #expect(d.count == 30)  // untouched
    #expect(throws: DataError.self) { try d.where("nope", equals: 1) }
    struct Boom: Error {}
    #expect(throws: Boom.self) { try d.filter { _ in throw Boom() } }
  }

  @Test func takeSkipConcatMap() throws {
    let d = ds
    #expect(d.take(3).records.map(\.instruction) == ["task 0", "task 1", "task 2"])
    #expect(d.skip(28).records.map(\.instruction) == ["task 28", "task 29"])
    #expect(d.take(-1).count == 0 && d.skip(100).count == 0)
    #expect(d.take(2).concat(d.skip(29)).records.map(\.instruction) == ["task 0", "task 1", "task 29"])
    let m = d.map { r in var o = r.fields; o["upper"] = .string(r.instruction.uppercased()); return o }
    #expect(m.records[1]["upper"] == "TASK 1")
  }

  @Test func seededSamplingIsDeterministic() throws {
    let d = ds
    let a = try d.sample(5, seed: 42), b = try d.sample(5, seed: 42), c = try d.sample(5, seed: 43)
    #expect(a.records == b.records && a.records != c.records)
    #expect(Set(a.records.map(\.instruction)).count == 5)
    #expect(throws: DataError.self) { try d.sample(31, seed: 1) }
    let s = d.shuffle(seed: 7)
    #expect(s.records == d.shuffle(seed: 7).records && s.records != d.records)
    #expect(Set(s.records.map(\.instruction)) == Set(d.records.map(\.instruction)))
    // Pinned: the generator and Fisher-Yates are ours, so this never changes.
    var g1 = SeededGenerator(seed: 1), g2 = SeededGenerator(seed: 1)
    let p1 = g1.permutation(6), p2 = g2.permutation(6)
    #expect(p1 == p2 && p1.sorted() == [0, 1, 2, 3, 4, 5])
    var g = SeededGenerator(seed: 0)
    #expect(g.next() == 0x99EC_5F36_CB75_F2B4)
  }

  @Test func tidyCategoriesRewritesLabelsInTheirComparedForm() throws {
    let d = Dataset.from([["question": "q1", "class": "Open\u{00A0}QA", "std_answer": "a"],
                          ["question": "q2", "class": " open qa", "std_answer": "b"],
                          ["question": "q3", "std_answer": "c"]])
    let t = d.tidyCategories()
    #expect(t.records.map { $0.fields["class"] } == [.string("open qa"), .string("open qa"), nil])
    #expect(t.records.map(\.category) == ["open qa", "open qa", nil])
    #expect(t.records[0].fields.keys == ["question", "class", "std_answer"])
  }

  @Test func splitStratifiedAndBalance() throws {
    let d = ds
    let (train, test) = try d.split(0.8, seed: 1, stratify: "category")
    // round(30 * 0.8) = 24 in all; shares 9.6, 9.6 and 4.8 give 9, 9, 4 and the
    // two records owed go to the largest leftovers: open qa (0.8), then one of the 0.6s.
    #expect(train.count == 24 && test.count == 6)
    let counts = Dictionary(uniqueKeysWithValues: try test.group(by: "category").map { ($0.key, $0.dataset.count) })
    #expect(counts["open qa"] == 1 && Set([counts["closed qa"], counts["math"]]) == [2, 3])
    // Many small strata keep the overall fraction (each rounded alone gave 30 and 0).
    #expect(Dataset.apportion(Array(repeating: 3, count: 10), 0.9, seed: 1).reduce(0, +) == 27)
    #expect(Dataset.apportion(Array(repeating: 3, count: 10), 0.9, seed: 1).allSatisfy { $0 == 2 || $0 == 3 })
    #expect(Dataset.apportion(Array(repeating: 1, count: 1000), 0.5, seed: 4).reduce(0, +) == 500)
    #expect(Dataset.apportion([5, 1], 1, seed: 1) == [5, 1] && Dataset.apportion([5, 1], 0, seed: 1) == [0, 0])
    #expect(try d.split(0.8, seed: 1, stratify: "category").0.records == train.records)
    let (a, b) = try d.split(0.5, seed: 9)
    #expect(a.count == 15 && b.count == 15)
    #expect(Set(a.records.map(\.instruction)).isDisjoint(with: b.records.map(\.instruction)))
    #expect(throws: DataError.self) { try d.split(1.5, seed: 1) }
    let bal = try d.balance(perCategory: 3, seed: 5)
    #expect(bal.count == 9)
    #expect(bal.categories.map(\.count) == [3, 3, 3])
    #expect(try d.balance(perCategory: 3, seed: 5).records == bal.records)
  }

  @Test func sortUniqueGroupRenameSelect() throws {
    let d = ds
    let sorted = try d.sort(by: "n", descending: true)
    #expect(sorted.records.prefix(4).map { $0["n"] } == [6, 6, 6, 6])
    #expect(sorted.records[0].instruction == "task 6")  // stable
    let byLen = d.sort { .int(-$0.output.count) }
    #expect(byLen.records[0].instruction == "task 29")
    #expect(try d.unique(by: ["n"]).count == 7)
    #expect(throws: DataError.self) { _ = try d.unique(by: ["nope"]) }
    #expect(try d.unique().count == 30)
    // Exact dedup agrees with the language's ==: key order and 1 vs 1.0 do not make records differ.
    let reordered = Dataset.from([["instruction": "a", "output": "b", "n": 1], ["output": "b", "n": 1.0, "instruction": "a"],
                                  ["instruction": "a", "output": "b", "n": 1.5]])
    #expect(try reordered.unique().count == 2)
    #expect(try reordered.unique(by: ["n"]).count == 2)
    // Missing values sort last in both directions; booleans order as 0 and 1 among numbers.
    let mixed = Dataset.from([["s": 2], ["x": 0], ["s": true], ["s": 0.5]])
    #expect(try mixed.sort(by: "s").records.map { $0["s"] } == [0.5, true, 2, nil])
    #expect(try mixed.sort(by: "s", descending: true).records.map { $0["s"] } == [2, true, 0.5, nil])
    let groups = try d.group(by: "category")
    #expect(groups.map(\.label) == ["closed\u{00A0}qa", "math", "open qa "])
    #expect(groups.map(\.dataset.count) == [12, 12, 6])
    let renamed = try d.rename(["output": "response", "n": "number"])
    #expect(renamed.records[3].fields.keys == ["instruction", "input", "response", "category", "number"])
    #expect(throws: DataError.self) { try d.rename(["ghost": "x"]) }
    let selected = try d.select(["category", "instruction"])
    #expect(selected.records[0].fields.keys == ["category", "instruction"])
  }

  @Test func selectMaterialisesCanonicalNames() throws {
    let belle = Dataset.from([["question": "q", "class": "math", "std_answer": "a"]])
    let alpaca = try belle.select(["instruction", "input", "output"])
    #expect(alpaca.records[0].fields == ["instruction": "q", "input": "", "output": "a"])
    #expect(throws: DataError.self) { try belle.select(["question", "nope"]) }
    let renamed = try belle.rename(["std_answer": "answer"])
    #expect(renamed.records[0].output == "a")
  }

  @Test func descriptionAndFingerprint() {
    let d = ds.take(3)
    #expect(d.fingerprint.count == 12)
    #expect(d.fingerprint == ds.take(3).fingerprint)
    #expect(d.fingerprint != ds.take(4).fingerprint)
    #expect(d.description == "Dataset(3 records; fields: instruction, input, output, category, n; categories: closed\u{00A0}qa 2, math 1; fingerprint \(d.fingerprint))")
  }

  @Test func recordIndexing() throws {
    let d = ds
    #expect(try d.record(at: -1).instruction == "task 29")
    do { _ = try d.record(at: 30) } catch { #expect("\(error)" == "dataset[30]: index out of range for a dataset of 30 records") }
  }
}

@Suite struct RenameAuditTests {
  @Test func renameSwapsAndNeverOverwrites() throws {
    let ds = Dataset([Record(["a": "1", "b": "2", "instruction": "i"])])
    let swapped = try ds.rename(["a": "b", "b": "a"])
    #expect(swapped.records[0].fields["a"] == .string("2") && swapped.records[0].fields["b"] == .string("1"))
    #expect(swapped.records[0].fields.keys == ["b", "a", "instruction"])
    #expect(throws: DataError.self) { try ds.rename(["a": "instruction"]) }
    #expect(throws: DataError.self) { try ds.rename(["a": "c", "b": "c"]) }
    // Onto a field that is renamed away at the same time is fine.
    #expect(try ds.rename(["a": "instruction", "instruction": "prompt"]).records[0].fields.keys == ["instruction", "b", "prompt"])
  }
}
