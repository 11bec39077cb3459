package pgtest

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// BackendEnv names the environment variable that chooses the database of the ledger's
// test suites: "postgres" runs them on PostgreSQL; unset or "sqlite", on SQLite files.
// `make test` runs them both ways.
const BackendEnv = "TICKETBOOTH_TEST_DB"

// OnPostgres reports whether the ledger tests run on PostgreSQL.
func OnPostgres() bool { return strings.EqualFold(os.Getenv(BackendEnv), "postgres") }

// LedgerDB returns a new empty ledger database for a test, as --db takes it: a SQLite file
// in tb.TempDir(), or under TICKETBOOTH_TEST_DB=postgres the URL of a new database in the
// shared cluster.
func LedgerDB(tb testing.TB) string {
	tb.Helper()
	if OnPostgres() {
		return Database(tb)
	}
	return filepath.Join(tb.TempDir(), "ledger.db")
}

// Dump returns the data of a database of the cluster as pg_dump writes it: what an
// attacker reading the database would see.
func (c *Cluster) Dump(ctx context.Context, url string) ([]byte, error) {
	bin, err := binDir()
	if err != nil {
		return nil, err
	}
	var out, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, filepath.Join(bin, "pg_dump"), "--data-only", "--no-owner", url)
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		return nil, &dumpError{err: err, stderr: strings.TrimSpace(stderr.String())}
	}
	return out.Bytes(), nil
}

type dumpError struct {
	err    error
	stderr string
}

func (e *dumpError) Error() string { return "pg_dump: " + e.err.Error() + ": " + e.stderr }
