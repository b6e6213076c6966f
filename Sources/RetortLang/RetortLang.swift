// RetortLang module.
