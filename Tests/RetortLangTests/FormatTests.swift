import Testing
import RetortLang

/// Format specs of f-strings, `%` and str.format against Python's
/// mini-language; every expected value here is what python3 prints.
@Suite struct FormatTests {
  static let specCases: [(String, String)] = [
    (#"f"{3.14159:.3}""#, #""3.14""#),
    (#"str(9007199254740994.0)"#, #""9007199254740994.0""#),
    (#"w = 6; f"{3:>{w}}|{2.5:{w}.{1}f}|{'a'!s:>3}|{1 != 2}""#, #""     3|   2.5|  a|true""#),
    (#"f"{'a'!r}""#, #""\"a\"""#),
    (#"f"{9007199254740994.0:,}""#, #""9,007,199,254,740,994.0""#),
    (#"str(1e16)"#, #""1e+16""#),
    (#""%d|%5d|%i" % [3.9, -2.7, true]"#, #""3|   -2|1""#),
    (#"f"{1234.5678:.2}""#, #""1.2e+03""#),
    (#"f"{0.5:.3}""#, #""0.5""#),
    (#"f"{100.0:.3}""#, #""1e+02""#),
    (#"f"{12.0:.3}""#, #""12.0""#),
    (#"f"{3.0:.0}""#, #""3e+00""#),
    (#"f"{-0.0:.3}""#, #""-0.0""#),
    (#"f"{1234567:_}""#, #""1_234_567""#),
    // The # form (0x, 0o, 0b with the sign, before zero padding) and the self-documenting field.
    (#"[f"{255:#x}", f"{255:#010x}", f"{-5:#b}", f"{255:#X}", "{:#o}".format(8), "%#x|%#o" % [255, 8]]"#,
     #"["0xff", "0x000000ff", "-0b101", "0XFF", "0o10", "0xff|0o10"]"#),
    (#"x = 1.5; [f"{x=}", f"{x = }", f"{x=:.2f}", f"{x=!s}", f"{x==1.5}", f"{x>=1}"]"#,
     #"["x=1.5", "x = 1.5", "x=1.50", "x=1.5", "true", "true"]"#),
    (#"f"{1234567.891:_.2f}""#, #""1_234_567.89""#),
    (#"f"{1234567.5:,}""#, #""1,234,567.5""#),
    (#"f"{-0.0:e}""#, #""-0.000000e+00""#),
    (#"f"{-0.0:g}""#, #""-0""#),
    (#"f"{-0.0:f}""#, #""-0.000000""#),
    (#"f"{12.5:010,.2f}""#, #""000,012.50""#),
    (#"f"{12.5:09,.2f}""#, #""00,012.50""#),
    (#"f"{12.5:08,.2f}""#, #""0,012.50""#),
    (#"f"{-12.5:010,.2f}""#, #""-00,012.50""#),
    (#"f"{1234567.0:,g}""#, #""1.23457e+06""#),
    (#"f"{123456.0:,g}""#, #""123,456""#),
    (#"f"{1e20:,}""#, #""1e+20""#),
    (#"f"{12.5:0=10,.2f}""#, #""000,012.50""#),
    (#"f"{12.5:x=10,.2f}""#, #""xxxxx12.50""#),
    (#"f"{12:010,}""#, #""00,000,012""#),
    (#"f"{123456789:_b}""#, #""111_0101_1011_1100_1101_0001_0101""#),
    (#"f"{-1234:010_}""#, #""-0_001_234""#),
    (#"f"{0.25:010,.1%}""#, #""000,025.0%""#),
    (#"f"{0.000012345:.3}""#, #""1.23e-05""#),
    (#"f"{123456.0:,}""#, #""123,456.0""#),
    (#"f"{1234.0:.10}""#, #""1234.0""#),
    (#"f"{float('inf'):010,.2f}""#, #""0000000inf""#),
    (#"f"{255:09_x}""#, #""0000_00ff""#),
    (#"f"{12:<05}""#, #""12000""#),
    (#"f"{'ab':05}""#, #""ab000""#),
    (#"f"{-5:=+8}""#, #""-      5""#),
    (#"f"{1234.5:_}""#, #""1_234.5""#),
    (#"f"{1e-7:G}""#, #""1E-07""#),
    (#"f"{float('nan'):F}""#, #""NAN""#),
    (#"f"{12345678.9:,.3g}""#, #""1.23e+07""#),
    (#"f"{-1e-5:012,}""#, #""-000,001e-05""#),
    (#"f"{12.5:_^12,.1f}""#, #""____12.5____""#),
    (#"f"{2.675:.2f}""#, #""2.67""#),
    (#"f"{'中文':>6}""#, #""    中文""#),
    (#"f"{'e\u{301}x':.1}""#, #""e""#),
    (#"f"{42:中>5}""#, #""中中中42""#),
  ]

  @Test(arguments: specCases)
  func specsFormatAsPython(_ c: (String, String)) {
    #expect(eval(c.0) == c.1 + "\n", "\(c.0)")
  }

  static let percentCases: [(String, String)] = [
    (#""%-6.2f|" % 3.14159"#, #""3.14  |""#),
    (#""%-4d|" % 7"#, #""7   |""#),
    (#""%5s|%-5s|" % ["ab", "cd"]"#, #""   ab|cd   |""#),
    (#""%05d %+.1e %x %X %o %i %u" % [42, 12345.678, 255, 255, 8, 3, 4]"#, #""00042 +1.2e+04 ff FF 10 3 4""#),
    (#""%08.3f|% d|%+d|%-05d|" % [-3.14159, 5, 5, 3]"#, #""-003.142| 5|+5|3    |""#),
    (#""%.2s|%6.1f%%" % ["abc", 99.5]"#, #""ab|  99.5%""#),
  ]

  @Test(arguments: percentCases)
  func percentFormatsAsPython(_ c: (String, String)) {
    #expect(eval(c.0) == c.1 + "\n", "\(c.0)")
  }

  static let fieldCases: [(String, String)] = [
    (#""{0:>5}|{1:>5}|".format(3, 4)"#, #""    3|    4|""#),
    (#""{:>5}|".format(3)"#, #""    3|""#),
    (#""{{}}".format()"#, #""{}""#),
    (#""{{{}}}".format(7)"#, #""{7}""#),
    (#""{0}{1}{0}".format("a", "b")"#, #""aba""#),
    (#""{name}={value:.2f}".format(name="pi", value=3.14159)"#, #""pi=3.14""#),
    (#""{} and {}".format(1, [2])"#, #""1 and [2]""#),
    (#""{!r:>6}|{!s}".format("x", "y")"#, #""   \"x\"|y""#),
    (#""{:{}}|{:{w}.{p}f}".format(3, 5, 3.14159, w=8, p=2)"#, #""    3|    3.14""#),
  ]

  @Test(arguments: fieldCases)
  func strFormatFillsFieldsAsPython(_ c: (String, String)) {
    #expect(eval(c.0) == c.1 + "\n", "\(c.0)")
  }

  @Test func strFormatNamesAFieldItCannotFill() {
    #expect(errorMessage(#""{}".format()"#) == "format(): field '{}' has no argument (0 given)")
    #expect(errorMessage(#""{2}".format(1)"#) == "format(): field '{2}' has no argument (1 given)")
    #expect(errorMessage(#""{0} {}".format(1, 2)"#) == "format(): field '{}' cannot follow numbered fields; number them all or none")
    #expect(errorMessage(#""{x}".format(1)"#) == "format(): field '{x}' names no argument; pass x=...")
    #expect(errorMessage(#""{0[1]}".format([1, 2])"#)?.hasPrefix("format(): cannot read field '{0[1]}'") == true)
    #expect(errorMessage(#""a{".format(1)"#) == "format(): the field '{' is not closed; write '{{' for a brace")
    #expect(errorMessage(#""}".format()"#) == "format(): a single '}' is not a field; write '}}' for a brace")
    #expect(errorMessage(#""{:d}".format("a")"#) == "format(): field '{:d}': format spec 'd' needs an int, got str")
  }

  @Test func specsPythonRefusesAreErrors() {
    #expect(errorMessage(#"f"{5:.2}""#) == "format spec '.2': an int takes no precision (say .2f for a float)")
    #expect(errorMessage(#"f"{'ab':,}""#) == "format spec ',': grouping needs a number, got str")
    #expect(errorMessage(#"f"{1234:,x}""#) == "format spec ',x': ',' grouping is for decimal numbers; use '_' with 'x'")
    #expect(errorMessage(#"f"{5.5:d}""#) == "format spec 'd' needs an int, got float")
    #expect(errorMessage(#""%z" % 1"#)?.hasPrefix("unsupported format character 'z' in '%z'") == true)
    #expect(errorMessage(#"f"{1.5:#f}""#) == "format spec '#f': '#' (the 0x, 0o or 0b prefix) goes with the types x, X, o and b")
    #expect(errorMessage(#""%#d" % [1]"#)?.hasPrefix("unsupported format character '#'") == true)
  }
}
