// Text as a Retort literal (messages, displays) and as a JSON literal (files).

import Testing
import RetortFiles

@Suite struct QuotedLiteralTests {
  @Test func retortLiteralsShowWhatLooksLikeNothing() {
    #expect("it's \"x\"\n".quotedLiteral == #""it's \"x\"\n""#)
    #expect("closed\u{a0}qa\u{200b}".quotedLiteral == #""closed\u{a0}qa\u{200b}""#)
    #expect("北京".quotedLiteral == "\"北京\"")
  }

  @Test func jsonLiteralsEscapeControls() {
    #expect("a\u{1}\u{7f}\t\\".jsonQuoted == #""a\u0001\u007f\t\\""#)
    #expect("closed\u{a0}qa".jsonQuoted == "\"closed\u{a0}qa\"")
  }
}
