// retort: the command line. Subcommands live in Commands/; the REPL loop in REPL.swift.

import ArgumentParser

Retort.main()
