package season

import (
	"context"
	"math"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ping confirms connectivity and says how the server is: active_requests (the calls of
// the command API this server is answering now, this one and the jobs running in the
// background included), system_available
// ("Y" when the database answers, else "N"), cpu_load (the machine's load average of the
// last minute per processor, in percent; -1 where the system does not say), db_name (the
// DSN) and db_connections (the database connections the server's pools hold open).
func ping(ctx context.Context, h *Handler, c *call) (map[string]any, error) {
	db := h.svc.Records.DatabaseStatus(ctx)
	available := "Y"
	if !db.Available {
		available = "N"
	}
	return map[string]any{
		"active_requests":  h.active.Load(),
		"system_available": available,
		"cpu_load":         h.load.percent(),
		"db_name":          h.svc.DSN,
		"db_connections":   db.Connections,
	}, nil
}

// cpuLoad reads the machine's load average at most once a second.
type cpuLoad struct {
	mu   sync.Mutex
	read time.Time
	last int
}

// percent is the load average of the last minute per processor, in percent: 100 means
// as many runnable tasks as processors. -1 when /proc/loadavg cannot be read.
func (l *cpuLoad) percent() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now := time.Now(); now.Sub(l.read) >= time.Second {
		l.read, l.last = now, readLoad()
	}
	return l.last
}

// readLoad reads /proc/loadavg's first figure as a percentage of the processors.
func readLoad() int {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return -1
	}
	first, _, _ := strings.Cut(string(data), " ")
	avg, err := strconv.ParseFloat(first, 64)
	if err != nil || avg < 0 {
		return -1
	}
	return int(math.Round(avg * 100 / float64(runtime.NumCPU())))
}
