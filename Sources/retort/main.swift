// retort: the command line. Subcommands live in Commands/; the REPL loop in REPL.swift.

import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

// Readline edits whole characters (a Chinese character is one Backspace) only under a UTF-8
// character type; a fresh machine or container often sets no locale at all. Only LC_CTYPE is
// set: numbers are formatted the same under every locale.
#if canImport(Glibc)
if setlocale(LC_CTYPE, "") == nil || String(cString: nl_langinfo(nl_item(CODESET))) != "UTF-8" {
  _ = setlocale(LC_CTYPE, "C.UTF-8")
}
#endif

// Scripts run for minutes: a log (stdout redirected) shows each line as it is written.
if isatty(1) == 0 { setvbuf(stdout, nil, _IOLBF, 0) }
Retort.main()
