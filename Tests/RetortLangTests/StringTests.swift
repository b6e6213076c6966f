import Testing
import RetortLang

/// Strings are sequences of code points, as in Python: every operation
/// sees the same characters. Expected outputs were checked against python3.
@Suite struct StringTests {
  static let codePointCases: [(String, String)] = [
    // A CRLF text: split, count, in and replace all see the "\n".
    ("t = \"id,name\\r\\n1,a\\r\\n2,b\\r\\n\"; t.split(\"\\n\"); t.count(\"\\n\"); \"\\n\" in t; len(t)",
     "[\"id,name\\r\", \"1,a\\r\", \"2,b\\r\", \"\"]\n3\ntrue\n19\n"),
    ("\"a\\r\\nb\".replace(\"\\n\", \"|\"); list(\"a\\r\\nb\"); \"a\\r\\nb\"[1]; \"a\\r\\nb\".find(\"\\n\")",
     "\"a\\r|b\"\n[\"a\", \"\\r\", \"\\n\", \"b\"]\n\"\\r\"\n2\n"),
    // A decomposed accent is two code points.
    ("s = \"cafe\\u{301}\"; len(s); s.find(\"e\"); s.count(\"e\"); s.replace(\"e\", \"E\") == \"cafE\\u{301}\"; s[3]",
     "5\n3\n1\ntrue\n\"e\"\n"),
    ("\"e\\u{301}x\".startswith(\"e\"); \"xe\\u{301}\".endswith(\"\\u{301}\"); \"e\" in \"e\\u{301}\"; \"e\\u{301}\".split(\"e\")",
     "true\ntrue\ntrue\n[\"\", \"\\u{301}\"]\n".replacingOccurrences(of: "\\u{301}", with: "\u{301}")),
    ("s = \"héllo 世界 👍🏽 e\\u{301}\"; len(s); s[6:8]; s[-2]; s[1]; len(s[::-1]); len([c for c in s])",
     "14\n\"世界\"\n\"e\"\n\"é\"\n14\n14\n"),
    ("\"abcdef\"[1:5:2]; \"abcdef\"[::-2]; \"αβγδ\"[-3:]; \"αβγδ\"[5:]; \"αβγδ\"[-1]",
     "\"bd\"\n\"fdb\"\n\"βγδ\"\n\"\"\n\"δ\"\n"),
    // Equality, ordering and map keys compare code points, without normalising.
    ("\"é\" == \"e\\u{301}\"; \"é\" != \"e\\u{301}\"; \"e\\u{301}\" < \"f\"; sorted([\"é\", \"e\\u{301}\", \"f\"]) == [\"e\\u{301}\", \"f\", \"é\"]",
     "false\ntrue\ntrue\ntrue\n"),
    ("len({\"é\": 1, \"e\\u{301}\": 2}); {\"é\": 1}.get(\"e\\u{301}\", 0); {\"é\": 1}[\"é\"]", "2\n0\n1\n"),
    // Whitespace is Python's: split() and strip() know U+3000 and U+00A0.
    ("\"  a b\\u{3000}c  \".split(); \" a  b  c  \".split(nil, 1); \"a,b,c\".split(\",\", 1); \"a,b\".split(\",\", 0)",
     "[\"a\", \"b\", \"c\"]\n[\"a\", \"b  c  \"]\n[\"a\", \"b,c\"]\n[\"a,b\"]\n"),
    ("\"\\u{a0}x\\u{3000}\".strip(); \"xxaxx\".strip(\"x\"); \"\\r\\nab\\r\\n\".rstrip(\"\\n\"); \"e\\u{301}\".rstrip(\"\\u{301}\")",
     "\"x\"\n\"a\"\n\"\\r\\nab\\r\"\n\"e\"\n"),
    ("\"١٢\".isdigit(); \"五\".isdigit(); \"½\".isdigit(); \"²\".isdigit(); \"\\u{3000}\\u{1c}\".isspace(); \"\\u{200b}\".isspace()",
     "true\nfalse\nfalse\ntrue\ntrue\nfalse\n"),
    ("\"aaa\".count(\"aa\"); \"abc\".count(\"\"); \"αβ\".count(\"\"); \"aXbXc\".replace(\"X\", \"--\", 1); \"αβγ\".find(\"γ\")",
     "1\n4\n3\n\"a--bXc\"\n2\n"),
  ]

  @Test(arguments: codePointCases)
  func codePoints(_ c: (String, String)) {
    #expect(eval(c.0) == c.1, "\(c.0)")
  }

  static let methodCases: [(String, String)] = [
    // find and count take a window as a slice does; a start past the end finds nothing.
    (#""abcabc".find("b", 2); "abcabc".find("b", -2); "abcabc".find("c", 1, 3); "abc".find("", 5); "abc".find("", 2)"#,
     "4\n4\n2\n-1\n2\n"),
    (#""abcabc".count("b", 2, 5); "abc".count("", 5); "abc".count(""); "中文中".count("中", 1)"#, "1\n0\n4\n1\n"),
    // The empty string is found before every code point and at the end.
    (#""abc".replace("", "-"); "abc".replace("", "-", 2); "".replace("", "x")"#, #""-a-b-c-"\#n"-a-bc"\#n"x"\#n"#),
    // title as Python's: a letter after a cased letter is lower-cased.
    (#""ΣΑΣ ΟΔΟΣ".lower(); "Σ".lower(); "ΑΣΑ".lower()"#, #""σας οδος"\#n"σ"\#n"ασα"\#n"#),
    (#""hello world's".title(); "ǆ".title(); "mIXED cASE".title()"#, #""Hello World'S"\#n"ǅ"\#n"Mixed Case"\#n"#),
  ]

  @Test(arguments: methodCases)
  func methodsAsPython(_ c: (String, String)) {
    #expect(eval(c.0) == c.1, "\(c.0)")
  }

  static let splitlinesCases: [(String, String)] = [
    ("\"a\\nb\\n\".splitlines(); \"\".splitlines(); \"\\n\".splitlines(); \"a\".splitlines()", "[\"a\", \"b\"]\n[]\n[\"\"]\n[\"a\"]\n"),
    ("\"a\\r\\nb\\rc\\n\\nd\".splitlines(); \"a\\r\\n\\r\\n\".splitlines()", "[\"a\", \"b\", \"c\", \"\", \"d\"]\n[\"a\", \"\"]\n"),
    ("\"a\\u{2028}b\\u{85}c\\u{c}d\\u{1e}e\\u{1f}f\".splitlines()", "[\"a\", \"b\", \"c\", \"d\", \"e\\u{1f}f\"]\n"),
    ("\"a\\r\\nb\\n\".splitlines(keepends=true); \"x\\r\".splitlines(true)", "[\"a\\r\\n\", \"b\\n\"]\n[\"x\\r\"]\n"),
  ]

  @Test(arguments: splitlinesCases)
  func splitlines(_ c: (String, String)) {
    #expect(eval(c.0) == c.1, "\(c.0)")
  }

  @Test func longTextsIndexThroughTheirTable() {
    // Past CodePointTable.minimumBytes: every index, negative ones, slices and the length
    // agree with the code points (a table of every 64th, kept for the string indexed last).
    let text = String(repeating: "中a👍🏽é", count: 300)
    let scalars = text.unicodeScalars.map { String($0) }
    let i = Interpreter()
    i.output = { _ in }
    i.run("s = \"\(text)\"\nt = \"\(text.uppercased())\"", name: "[1]")
    let n = scalars.count
    #expect(eval("len(s)", i) == "\(n)\n")
    for k in [0, 1, 63, 64, 65, 777, n - 1] {
      #expect(eval("s[\(k)]; s[\(k - n)]; t[\(k)] == s[\(k)].upper()", i) == "\"\(scalars[k])\"\n\"\(scalars[k])\"\ntrue\n", "\(k)")
    }
    #expect(eval("s[100:104]", i) == "\"" + scalars[100..<104].joined() + "\"\n")
    #expect(errorMessage("s = \"\(text)\"; s[\(n)]") == "string index \(n) is out of range (length \(n))")
  }

  @Test func indexErrorsCountCodePoints() {
    #expect(errorMessage("\"a\\r\\n\"[3]") == "string index 3 is out of range (length 3)")
    #expect(errorMessage("\"αβ\"[-3]") == "string index -3 is out of range (length 2)")
    #expect(errorMessage("\"αβ\"[\"x\"]") == "string indices must be integers, not str")
  }

  @Test func indexingALongStringFromEitherEnd() {
    // Each index walks from the nearer end (ASCII text is indexed directly),
    // so the last character of a long string is found at once.
    let out = eval("s = \"é\" + \"x\" * 1000000 + \"ω\"; s[-1]; s[1]; len(s); s[999999:]")
    #expect(out == "\"ω\"\n\"x\"\n1000002\n\"xxω\"\n")
  }
}
