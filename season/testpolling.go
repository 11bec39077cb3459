package season

import (
	"context"
	"sync/atomic"
	"time"
)

// testPollingRuns counts the runs of ats_ext_test_polling in this process (tests check
// that a job runs once).
var testPollingRuns atomic.Int64

// testPolling is ats_ext_test_polling: it lets a caller try asynchronous polling. It
// takes Polling.TestPollingDelay (10 s) and answers result 0; a call always sees a 202
// first, unless the deadline was set longer than the delay.
func testPolling(ctx context.Context, h *Handler, c *call) (map[string]any, error) {
	testPollingRuns.Add(1)
	wait := time.NewTimer(h.svc.Polling.TestPollingDelay)
	defer wait.Stop()
	select {
	case <-wait.C:
		return map[string]any{}, nil
	case <-ctx.Done():
		return nil, failf(ResultUnavailable, "The command was stopped before its delay was over.")
	}
}
