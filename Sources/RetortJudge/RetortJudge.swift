// RetortJudge module.
