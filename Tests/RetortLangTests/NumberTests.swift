import Testing
import RetortLang

/// Numbers as Python computes them; every expected value is what python3 prints.
@Suite struct NumberTests {
  static let roundCases: [(String, String)] = [
    // Correctly rounded on the exact binary value, half to even.
    ("round(2.675, 2); round(0.125, 2); round(0.375, 2); round(0.5, 0); round(1.5, 0)", "2.67\n0.12\n0.38\n0.0\n2.0\n"),
    ("round(2.5); round(3.5); round(-0.5); round(-2.5); round(2**62 + 1)", "2\n4\n0\n-2\n4611686018427387905\n"),
    // No overflow on the way; CPython's limits on the digits.
    ("round(1e308, 2); round(1.7976931348623157e308, -300); round(5e-324, 400); round(1e300, -400)",
     "1e+308\n1.79769313e+308\n5e-324\n0.0\n"),
    // Negative digits: tens, hundreds; an int stays an int.
    ("round(7, -1); round(25, -1); round(35, -1); round(-25, -1); round(7, 2); round(true)", "10\n20\n40\n-20\n7\n1\n"),
    ("round(25.0, -1); round(25.5, -1); round(15.0, -1); round(123456.789, -3); round(99.5, -2); round(49.99999, -2)",
     "20.0\n30.0\n20.0\n123000.0\n100.0\n0.0\n"),
    ("round(-0.4, 0); round(-4.0, -1); round(-1e-320, 2)", "-0.0\n-0.0\n-0.0\n"),
  ]

  @Test(arguments: roundCases)
  func roundAsPython(_ c: (String, String)) {
    #expect(eval(c.0) == c.1, "\(c.0)")
  }

  static let floatDivisionCases: [(String, String)] = [
    // The floor quotient comes from fmod, as the remainder does.
    ("7.0 // 0.1; 7.0 % 0.1; 1 // 0.1; 1 % 0.1", "69.0\n0.09999999999999962\n9.0\n0.09999999999999995\n"),
    ("-7.5 // 2; -7.5 % 2; 7.5 // -2; 7.5 % -2", "-4.0\n0.5\n-4.0\n-0.5\n"),
    // A zero remainder takes the divisor's sign; infinities as Python.
    ("4.0 % -2.0; -4.0 % 2.0; 0.0 // -1.0; -0.0 // 1.0", "-0.0\n0.0\n-0.0\n-0.0\n"),
    ("-1.0 // float(\"inf\"); -1.0 % float(\"inf\"); 1.0 // float(\"inf\"); float(\"inf\") // 1.0", "-1.0\ninf\n0.0\nnan\n"),
  ]

  @Test(arguments: floatDivisionCases)
  func floatFloorDivisionAgreesWithModulo(_ c: (String, String)) {
    #expect(eval(c.0) == c.1, "\(c.0)")
  }

  @Test func floorQuotientAndRemainderRebuildTheDividend() {
    // a == (a // b) * b + a % b, checked over awkward pairs as Python holds it.
    let out = eval("""
      bad = []
      for a in [7.0, 1.0, -7.0, 0.3, 1e10, -2.5, 5e-324] {
        for b in [0.1, -0.1, 3.0, -0.7, 1e-3, 7.0] {
          if abs((a // b) * b + a % b - a) > 1e-9 * max(1, abs(a)) { bad.append([a, b]) }
        }
      }
      bad
      """)
    #expect(out == "[]\n")
  }

  static let exactComparisonCases: [(String, String)] = [
    // An int and a float compare by exact value, never through Double(int).
    ("a = 9007199254740993; b = 9007199254740992.0; a == b; a != b; a > b; a >= b; b < a; a - 1 == b; a - 1 <= b",
     "false\ntrue\ntrue\ntrue\ntrue\ntrue\ntrue\n"),
    ("9223372036854775807 < 9223372036854775808.0; 9223372036854775807 == 9223372036854775808.0; -9223372036854775807 - 1 == -9223372036854775808.0",
     "true\nfalse\ntrue\n"),
    ("a = 9007199254740993; b = 9007199254740992.0; a in [b]; sorted([a, b, a - 1]); max(a, b); {a: 1}.get(b, 0)",
     "false\n[9007199254740992.0, 9007199254740992, 9007199254740993]\n9007199254740993\n0\n"),
    ("1 == 1.0; 2 < float(\"inf\"); 2 > -float(\"inf\"); 3 <= 3.0", "true\ntrue\ntrue\ntrue\n"),
  ]

  @Test(arguments: exactComparisonCases)
  func intsAndFloatsCompareExactly(_ c: (String, String)) {
    #expect(eval(c.0) == c.1, "\(c.0)")
  }

  @Test func theSmallestIntModuloMinusOneIsZero() {
    #expect(eval("m = -9223372036854775807 - 1; m % -1; m % 1; 7 % -1") == "0\n0\n0\n")
    // Its quotient, 2**63, is past Int: still an error.
    #expect(errorMessage("m = -9223372036854775807 - 1; m // -1") == "integer overflow in -9223372036854775808 // -1")
  }

  @Test func roundRefusesWhatHasNoResult() {
    #expect(errorMessage("round(float(\"nan\"))") == "round(): cannot round nan to an int")
    #expect(errorMessage("round(1e300)") == "round(): cannot round 1e+300 to an int")
    #expect(errorMessage("round(-1.7976931348623157e308, -308)") == "round(): -1.7976931348623157e+308 rounded to -308 digits is too large for a float")
    #expect(errorMessage("round(9223372036854775807, -1)") == "round(): integer overflow rounding 9223372036854775807 to -1 digits")
    #expect(errorMessage("round(\"a\")") == "round(): argument 'x' expects a number, got str")
  }
}
