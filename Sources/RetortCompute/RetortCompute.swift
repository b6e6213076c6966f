// RetortCompute module.
