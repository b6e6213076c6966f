import Testing
import RetortLang

@Suite struct ErrorTests {
  @Test func undefinedNameShowsCaret() {
    let out = eval("x = 1\ny = x + zz")
    #expect(out == """
      error: name 'zz' is not defined
       --> [1]:2:9
        |
      2 | y = x + zz
        |         ^^

      """)
  }

  @Test func messages() {
    let cases: [(String, String)] = [
      ("1 / 0", "division by zero"),
      ("[1][5]", "list index 5 is out of range (length 1)"),
      ("{\"a\": 1}[\"b\"]", "key \"b\" is not in the map; did you mean \"a\"?"),
      ("1 + \"a\"", "unsupported operand types for +: int and str"),
      ("fn f(a) { a }\nf(1, 2)", "f() takes 1 argument but 2 were given"),
      ("fn f(a, b=1) { a }\nf(1, c=2)", "f() got an unexpected keyword argument 'c'; valid keywords: a, b"),
      ("len(1, y=2)", "len() got an unexpected keyword argument 'y'; valid keywords: x"),
      ("print(sep=1)", "print(): argument 'sep' expects a string, got int"),
      ("9223372036854775807 + 1", "integer overflow in 9223372036854775807 + 1"),
      ("2 ** 64", "integer overflow in 2 ** 64"),
      ("99999999999999999999", "integer literal is too large (the limit is 9223372036854775807); write it as a float, e.g. 99999999999999999999.0"),
      ("\"abc", "unterminated string: expected a closing \""),
      ("x = ", "expected an expression, found end of input"),
      ("if x { ", "expected '}' to close the block opened at line 1, column 6, found end of input"),
      ("x = [1, 2,\n  3\ny = 2", "expected ']' to close the list opened at line 1, column 5, found 'y'"),
      ("[[i, j] for i in range(2) for j in range(2)]", "expected ']' to close the list comprehension opened at line 1, column 1, found 'for'"),
      ("sqrt(nil)", "sqrt(): argument 'x' is nil; it needs a value"),
      ("sqrt()", "sqrt() missing required argument 'x'"),
      ("[x for 1 in y]", "expected a loop variable name after 'for', found number"),
      ("f(1, (2", "expected ')' to close the parenthesis opened at line 1, column 6, found end of input"),
      ("1 = 2", "cannot assign to this expression"),
      ("return 1", "'return' outside a function"),
      ("a, b = [1, 2, 3]", "cannot unpack 3 values into 2 names"),
      ("x = $", "unexpected character '$'"),
      ("\"ab\".nope", "str has no attribute 'nope'"),
      ("\"ab\".uper()", "str has no attribute 'uper'; did you mean 'upper'?"),
      ("fn r(n) { r(n + 1) }\nr(0)", "maximum call depth exceeded (1000 nested calls): is the recursion missing a base case?"),
      ("3()", "'int' is not callable"),
      ("for x in 5 { }", "for loop: int is not iterable"),
      ("f\"{1:q}\"", "unknown format type 'q' in 'q'"),
      ("sorted([1, \"a\"])", "cannot compare str with int"),
    ]
    for (code, message) in cases {
      #expect(errorMessage(code) == message, "\(code)")
    }
  }

  @Test func traceThroughFunctions() {
    let out = eval("fn inner(x) { x / 0 }\nfn outer(y) { inner(y) }\nouter(1)")
    #expect(out.contains("error: division by zero"))
    // The last line is where the error is, in the function whose code raised it.
    #expect(out.hasSuffix("call trace (most recent call last):\n  [1]:3:1 in <cell>\n  [1]:2:15 in outer\n  [1]:1:15 in inner\n"), "\(out)")
  }

  @Test func deepNestingIsAnError() {
    let code = String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000)
    #expect(errorMessage(code)?.hasPrefix("code is nested too deeply") == true)
    let list = String(repeating: "[", count: 5000)
    #expect(errorMessage(list) != nil)
  }

  @Test func scriptNamesFile() {
    let interp = Interpreter()
    interp.output = { _ in }
    var r: CellResult? = nil
    runWithLargeStack { r = interp.run("x = 1\n\ny = nope", name: "exp.retort") }
    #expect(r?.error?.rendered().contains("--> exp.retort:3:5") == true)
  }
}

@Test func aLongLineIsShownAsAWindowAroundTheError() {
  // A megabyte on one line made a two-megabyte error.
  let out = eval("x = \"" + String(repeating: "a", count: 100_000) + "\" + zz + \"" + String(repeating: "b", count: 100_000) + "\"")
  #expect(out.count < 600, "\(out.count)")
  #expect(out.contains("name 'zz' is not defined") && out.contains("…aaa") && out.contains("bbb…"), "\(out)")
  let lines = out.split(separator: "\n", omittingEmptySubsequences: false)
  guard let code = lines.first(where: { $0.hasPrefix("1 | ") }), let caret = lines.first(where: { $0.contains("^") }) else {
    Issue.record("\(out)"); return
  }
  let col = caret.distance(from: caret.startIndex, to: caret.firstIndex(of: "^") ?? caret.startIndex)
  #expect(code.dropFirst(col).hasPrefix("zz"), "\(out)")
  let long = eval("int(\"" + String(repeating: "c", count: 50_000) + "\")")
  #expect(long.count < 1_500, "\(long.count)")
}
