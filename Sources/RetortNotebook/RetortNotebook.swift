// RetortNotebook module.
