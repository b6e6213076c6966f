// RetortLab module.
