// RetortTerminal module.
