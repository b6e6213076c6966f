// RetortData module.
