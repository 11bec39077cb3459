package season

// RunsOfTestPolling returns how often ats_ext_test_polling ran in this process.
func RunsOfTestPolling() int64 { return testPollingRuns.Load() }

// LowerMaxPrintTickets sets the most tickets a ticket_print prints until the test ends.
func LowerMaxPrintTickets(t interface{ Cleanup(func()) }, n int) {
	old := maxPrintTickets
	maxPrintTickets = n
	t.Cleanup(func() { maxPrintTickets = old })
}
