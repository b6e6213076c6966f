// RetortModels module.
