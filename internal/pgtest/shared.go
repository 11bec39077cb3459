package pgtest

import (
	"context"
	"os"
	"sync"
	"testing"
)

// shared is the test binary's cluster, started by the first test that needs one.
var shared struct {
	once sync.Once
	c    *Cluster
	err  error
}

// Shared returns the test binary's cluster, starting it with Settings on first use.
func Shared() (*Cluster, error) {
	shared.once.Do(func() { shared.c, shared.err = Start(Settings) })
	return shared.c, shared.err
}

// Database returns the URL of a new empty database in the shared cluster and drops it
// when the test ends. Without PostgreSQL installed it skips the test, naming the package
// to install; when the CI environment variable is set it fails instead.
func Database(tb testing.TB) string {
	tb.Helper()
	c := Require(tb)
	url, err := c.CreateDatabase(context.Background())
	if err != nil {
		tb.Fatalf("creating a test database: %v", err)
	}
	tb.Cleanup(func() { c.DropDatabase(context.Background(), url) })
	return url
}

// Require returns the shared cluster, skipping (or under CI failing) the test when
// PostgreSQL is not installed.
func Require(tb testing.TB) *Cluster {
	tb.Helper()
	c, err := Shared()
	switch {
	case err == nil:
		return c
	case os.Getenv("CI") != "":
		tb.Fatalf("CI must run the PostgreSQL tests: %v", err)
	case err == ErrNotInstalled:
		tb.Skipf("skipping: %v", err)
	default:
		tb.Fatalf("starting PostgreSQL: %v", err)
	}
	return nil
}

// Main runs the tests, then stops the shared cluster if a test started one. Use it as
// func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }. (Without it the cluster still
// goes when the test binary exits, a moment later.)
func Main(m *testing.M) int {
	code := m.Run()
	if shared.c != nil {
		shared.c.Stop()
	}
	return code
}
