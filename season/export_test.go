package season

// RunsOfTestPolling returns how often ats_ext_test_polling ran in this process.
func RunsOfTestPolling() int64 { return testPollingRuns.Load() }
