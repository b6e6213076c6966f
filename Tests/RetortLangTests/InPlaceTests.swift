import Testing
import RetortLang

/// `+=` and `*=` on a list change the list itself, as Python's
/// list.__iadd__ and __imul__ do: every name for it sees the change.
@Suite struct InPlaceTests {
  static let cases: [(String, String)] = [
    ("a = [1]; b = a; a += [2]; b", "[1, 2]\n"),
    ("fn addto(xs) { xs += [9] }\nc = [1]; addto(c); c", "[1, 9]\n"),
    // Any iterable extends it, as in Python.
    ("a = [1]; b = a; a += \"xy\"; a += range(2); b", "[1, \"x\", \"y\", 0, 1]\n"),
    ("a = [1]; a += a; a", "[1, 1]\n"),
    ("d = [1, 2]; e = d; d *= 2; e; d *= 0; e", "[1, 2, 1, 2]\n[]\n"),
    // Through an index or a map key too.
    ("m = {\"k\": [1]}; n = m[\"k\"]; m[\"k\"] += [2]; n; xs = [[1]]; y = xs[0]; xs[0] += [3]; y", "[1, 2]\n[1, 3]\n"),
    // Other values are rebound: strings and numbers are immutable.
    ("s = \"a\"; s2 = s; s += \"b\"; s2; s; x = 1; y = x; x += 1; y", "\"a\"\n\"ab\"\n1\n"),
  ]

  @Test(arguments: cases)
  func augmentedAssignmentOnAListIsInPlace(_ c: (String, String)) {
    #expect(eval(c.0) == c.1, "\(c.0)")
  }

  @Test func extendingByANonIterableNamesIt() {
    #expect(errorMessage("a = [1]; a += 5") == "+= on a list: int is not iterable")
  }
}
