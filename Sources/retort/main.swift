// retort: the command line. Subcommands live in Commands/; the REPL loop in REPL.swift.

import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

// Scripts run for minutes: a log (stdout redirected) shows each line as it is written.
if isatty(1) == 0 { setvbuf(stdout, nil, _IOLBF, 0) }
Retort.main()
