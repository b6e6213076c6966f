import Testing
import RetortLang

/// Transcript tests: each case is code and the exact output it displays.
@Suite struct EvaluatorTests {
  static let cases: [(String, String)] = [
    ("1 + 2 * 3", "7\n"),
    ("(1 + 2) * 3", "9\n"),
    ("2 ** 3 ** 2", "512\n"),
    ("-2 ** 2", "-4\n"),
    ("7 / 2", "3.5\n"),
    ("7 // 2; -7 // 2", "3\n-4\n"),
    ("-7 % 3; 7 % -3", "2\n-2\n"),
    ("7.5 % 2", "1.5\n"),
    ("1e3; 3e-4; 1.0", "1000.0\n0.0003\n1.0\n"),
    ("0x1F; 1_000", "31\n1000\n"),
    ("x = 2\nx * 21", "42\n"),
    ("map(fn(x) { x * 2 }, [1, 2, 3]); filter(fn(x) { x % 2 == 1 }, range(6))", "[2, 4, 6]\n[1, 3, 5]\n"),
    ("sqrt(16); exp(0); log(8, 2); round(log(exp(2)), 6)", "4.0\n1.0\n3.0\n2.0\n"),
    ("a, b = 1, 2; a, b = b, a; [a, b]", "[2, 1]\n"),
    ("[x * x for x in range(5) if x % 2 == 0]; [1, 2]; []; [3,]", "[0, 4, 16]\n[1, 2]\n[]\n[3]\n"),
    ("[f\"{k}={v}\" for k, v in [[\"a\", 1], [\"b\", 2]]]", "[\"a=1\", \"b=2\"]\n"),
    ("x = 7; n = 10; ys = [x + n for x in range(3)]; [x, ys]", "[7, [10, 11, 12]]\n"),
    ("[i for i in range(10, 0, -3)]; [i for i in range(0)]", "[10, 7, 4, 1]\n[]\n"),
    ("sum(range(5)); sum(range(10, 0, -3), 0.5); sum([])", "10\n22.5\n0\n"),
    ("fn(x, y=2) { x }; fn f(a) { a }; f; [fn(x) { x }]", "<fn(x, y=2)>\n<fn f(a)>\n[<fn>]\n"),
    ("fn f(n) { [i * n for i in range(3)] }; f(2)", "[0, 2, 4]\n"),
    ("x = 5; x += 3; x -= 1; x *= 2; x", "14\n"),
    ("s = 0; for i in range(10) { s += i }; s", "45\n"),
    ("s = 0; i = 0; while i < 5 { i += 1; if i == 3 { continue }; s += i }; s", "12\n"),
    ("for i in range(10) { if i == 2 { break }; print(i) }", "0\n1\n"),
    ("for i in range(10, 0, -3) { print(i) }", "10\n7\n4\n1\n"),
    ("if 1 > 2 { 1 } else if 2 > 1 { print(\"b\") } else { print(\"c\") }", "b\n"),
    ("if false {\n print(1)\n}\nelse {\n print(2)\n}", "2\n"),
    ("fn f(a, b=10) { a + b }\nf(1); f(1, b=2); f(b=3, a=4)", "11\n3\n7\n"),
    ("fn fact(n) { if n <= 1 { return 1 }; return n * fact(n - 1) }\nfact(20)", "2432902008176640000\n"),
    ("add = fn(a, b) { a + b }; add(2, 3)", "5\n"),
    ("fn make(k) { fn(x) { x * k } }\ntriple = make(3); triple(5)", "15\n"),
    ("fn counter() { n = 0; fn() { n + 1 } }\ncounter()()", "1\n"),
    ("xs = [1, 2, 3]; xs.append(4); xs", "[1, 2, 3, 4]\n"),
    ("xs = [1, 2, 3, 4, 5]; xs[0]; xs[-1]; xs[1:3]; xs[::2]; xs[::-1]", "1\n5\n[2, 3]\n[1, 3, 5]\n[5, 4, 3, 2, 1]\n"),
    ("xs = [1, 2]; xs[0] = 9; xs[1] += 1; xs", "[9, 3]\n"),
    ("m = {\"lr\": 3e-4, \"n\": 2}; m[\"n\"]; m.get(\"x\", 7); m.keys()", "2\n7\n[\"lr\", \"n\"]\n"),
    ("m = {}; m[\"a\"] = 1; m[\"b\"] = 2; m.pop(\"a\"); m", "1\n{\"b\": 2}\n"),
    ("m = {1: \"a\"}; m[1.0]", "\"a\"\n"),
    ("\"a,b,c\".split(\",\")", "[\"a\", \"b\", \"c\"]\n"),
    ("\"  hi  \".strip(); \"Hi\".lower(); \"hi\".upper()", "\"hi\"\n\"hi\"\n\"HI\"\n"),
    ("\"hello\".startswith(\"he\"); \"hello\".replace(\"l\", \"L\")", "true\n\"heLLo\"\n"),
    ("\"-\".join([\"a\", \"b\"]); \"a b  c\".split()", "\"a-b\"\n[\"a\", \"b\", \"c\"]\n"),
    ("\"ab\" + \"cd\"; [1] + [2]; \"ab\" * 3", "\"abcd\"\n[1, 2]\n\"ababab\"\n"),
    ("2 in [1, 2]; 3 not in [1, 2]; \"b\" in \"abc\"; \"k\" in {\"k\": 1}", "true\ntrue\ntrue\ntrue\n"),
    ("1 < 2 < 3; 1 < 3 < 2", "true\nfalse\n"),
    ("true and 3; nil or \"x\"; not 0", "3\n\"x\"\ntrue\n"),
    ("f\"loss {2.0 / 3:.3f}\"", "\"loss 0.667\"\n"),
    ("n = 42; f\"{n:>5}|{n:<5}|{n:05d}|{1234567:,}\"", "\"   42|42   |00042|1,234,567\"\n"),
    ("f\"{0.256:.1%} {{x}} {'q'}\"", "\"25.6% {x} q\"\n"),
    ("'it\\'s'; \"tab\\tnew\\nline\"; \"\\u{4e2d}\"", "\"it's\"\n\"tab\\tnew\\nline\"\n\"中\"\n"),
    ("len(\"中文\"); len([1, 2]); len({\"a\": 1}); len(range(5))", "2\n2\n1\n5\n"),
    ("type(1); type(1.0); type(\"\"); type([]); type({}); type(nil); type(print)", "\"int\"\n\"float\"\n\"str\"\n\"list\"\n\"map\"\n\"nil\"\n\"function\"\n"),
    ("str(1.5); int(\"42\"); float(\"2.5\"); int(3.9); round(2.5); round(3.14159, 2)", "\"1.5\"\n42\n2.5\n3\n2\n3.14\n"),
    ("str(nil); str(); \"x=\" + str(nil)", "\"nil\"\n\"\"\n\"x=nil\"\n"),
    ("min(3, 1, 2); max([4, 9, 2]); sum([1, 2, 3]); sum([0.5, 0.25])", "1\n9\n6\n0.75\n"),
    ("sorted([3, 1, 2]); sorted([\"b\", \"a\"], reverse=true); sorted([[2, \"x\"], [1, \"y\"]], key=fn(p) { p[0] })", "[1, 2, 3]\n[\"b\", \"a\"]\n[[1, \"y\"], [2, \"x\"]]\n"),
    ("a, b = [1, 2]; a; b", "1\n2\n"),
    ("for i, x in enumerate([\"a\", \"b\"]) { print(i, x) }", "0 a\n1 b\n"),
    ("for k, v in {\"a\": 1}.items() { print(k, v) }", "a 1\n"),
    ("print(1, \"a\", [2], nil, true)", "1 a [2] nil true\n"),
    ("print(\"a\", \"b\", sep=\"-\", end=\"!\\n\")", "a-b!\n"),
    ("nil", ""),
    ("x = [1]; 7; _", "7\n7\n"),
    ("\"%d items, %.2f\" % [3, 1.5]", "\"3 items, 1.50\"\n"),
    ("list(range(3)); range(2, 5)", "[0, 1, 2]\nrange(2, 5)\n"),
    ("# only a comment", ""),
    ("x = (1 +\n 2)\nx", "3\n"),
    ("fn doc() { \"Says hi.\"; 1 }\nhelp(doc)", "doc()\n  Says hi.\n"),
    ("zip([1, 2], [\"a\", \"b\"]); any([0, 1]); all([1, 0])", "[[1, \"a\"], [2, \"b\"]]\nfalse\n".replacingOccurrences(of: "false\n", with: "true\nfalse\n")),
  ]

  @Test(arguments: cases)
  func transcript(_ c: (String, String)) {
    #expect(eval(c.0) == c.1, "\(c.0)")
  }

  @Test func longListsTruncate() {
    let out = eval("list(range(1000))")
    #expect(out.contains("... 980 more ..."))
    #expect(out.count < 400)
  }

  @Test func textOfALongListKeepsEveryItem() {
    // str, repr, print and f-strings make text that may go to a file: nothing elided.
    let whole = "[" + (0..<1000).map(String.init).joined(separator: ", ") + "]"
    #expect(eval("str(list(range(1000)))") == Display.quote(whole) + "\n")
    #expect(eval("repr({\"k\": list(range(1000))})") == Display.quote("{\"k\": \(whole)}") + "\n")
    #expect(eval("print(list(range(1000)))") == whole + "\n")
    #expect(eval("f\"{list(range(1000))}\"") == Display.quote(whole) + "\n")
  }

  @Test func cellValuesAreNumbered() {
    let interp = Interpreter()
    interp.output = { _ in }
    interp.run("6 * 7", name: "[3]", cellNumber: 3)
    #expect(eval("_3 + _", interp) == "84\n")
  }

  @Test func stateSurvivesErrors() {
    let interp = Interpreter()
    _ = eval("x = 41", interp)
    _ = eval("y = x + undefined_name", interp)
    #expect(eval("x + 1", interp) == "42\n")
  }

  @Test func functionsSeeLaterGlobals() {
    let interp = Interpreter()
    _ = eval("fn f() { g() + 1 }", interp)
    _ = eval("fn g() { 41 }", interp)
    #expect(eval("f()", interp) == "42\n")
  }

  @Test func interruptStopsLoops() {
    let interp = Interpreter()
    var polls = 0
    interp.interruptRequested = { polls += 1; return polls > 1000 }
    let out = eval("i = 0; while true { i += 1 }", interp)
    #expect(out.contains("error: interrupted"))
    interp.interruptRequested = { false }
    #expect(eval("i > 0", interp) == "true\n")
  }

  @Test func tryCatchRunsTheHandlerWithTheMessageAndKeepsGoing() {
    #expect(eval("try { x = 1 / 0 } catch e { print(\"caught:\", e) }") == "caught: division by zero\n")
    #expect(eval("r = []\nfor v in [\"1\", \"x\", \"3\"] {\n  try { r.append(int(v)) }\n  catch { r.append(-1) }\n}\nr") == "[1, -1, 3]\n")
    #expect(eval("try { 1 } catch e { 2 }; e") .contains("name 'e' is not defined"))
    // Inside functions: return and the catch name are local; break passes through.
    #expect(eval("fn f(v) { try { return int(v) } catch e { return e } }\nf(\"7\"); f(\"q\")") == "7\n\"int(): invalid literal \\\"q\\\"\"\n")
    #expect(eval("n = 0; while true { try { n += 1; if n == 3 { break } } catch { } }; n") == "3\n")
    #expect(errorMessage("try { 1 }") == "expected 'catch' after the try block (try { ... } catch e { ... }), found end of input")
  }

  @Test func tryCatchNeverCatchesCtrlC() {
    let interp = Interpreter()
    var polls = 0
    interp.interruptRequested = { polls += 1; return polls > 100 }
    let out = eval("i = 0; try { while true { i += 1 } } catch e { print(\"caught\", e) }", interp)
    #expect(out.hasPrefix("error: interrupted\n"), "\(out)")
  }

  @Test func theREPLWaitsForMoreInputWhileBracketsAreOpenOrATryAwaitsItsCatch() {
    #expect(Lexer.needsMoreInput("for i in range(3) {"))
    #expect(Lexer.needsMoreInput("x = [1,"))
    #expect(Lexer.needsMoreInput("try {\n  1 / 0\n}"))
    #expect(Lexer.needsMoreInput("if true { try { 1 } }") == false)
    #expect(!Lexer.needsMoreInput("try { 1 } catch e { 2 }"))
    // A comment ending in a backslash ends its line.
    #expect(!Lexer.needsMoreInput("x = 1  # folder C:\\"))
    #expect(!Lexer.needsMoreInput("try { 1 }\ncatch { 2 }"))
    #expect(!Lexer.needsMoreInput("m = {}"))
  }

  @Test func anErrorInAComprehensionNamesItInTheTrace() {
    let out = eval("fn g(v) { [1 / x for x in v] }\ng([1, 0])")
    #expect(out.contains("division by zero") && out.contains("[1]:2:1 in <cell>\n  [1]:1:11 in g\n"), "\(out)")
  }

  @Test func anErrorInAFunctionPassedToABuiltinKeepsTheCallInTheTrace() {
    let out = eval("fn inv(x) { 1 / x }\nmap(inv, [1, 0])")
    #expect(out.contains("division by zero") && out.contains("call trace (most recent call last):\n  [1]:2:1 in <cell>\n"), "\(out)")
  }
}
