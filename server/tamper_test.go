package server_test

import (
	"database/sql"
	"os"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/internal/pgtest"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
)

// TestMain stops the PostgreSQL cluster the tests started under TICKETBOOTH_TEST_DB=postgres.
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// openRaw opens the ledger database db (as pgtest.LedgerDB returned it) directly, behind
// the server's back, with the driver of its engine: pgx for a postgres:// URL, SQLite for
// a file. The statements run on it must be portable (no placeholders, or see arg).
func openRaw(t testing.TB, db string) *sql.DB {
	t.Helper()
	driver, dsn := "sqlite", "file:"+db+"?_pragma=busy_timeout(10000)"
	if sqlstore.IsPostgres(db) {
		driver, dsn = "pgx", db
	}
	conn, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// arg is the placeholder of the first argument of a statement on the test's engine.
func arg() string {
	if pgtest.OnPostgres() {
		return "$1"
	}
	return "?"
}

// tamper runs a statement on the ledger database directly, behind the server's back, and
// fails unless it changed a row.
func tamper(t *testing.T, db, stmt string) {
	t.Helper()
	conn := openRaw(t, db)
	res, err := conn.Exec(stmt)
	if err != nil {
		t.Fatalf("%s: %v", stmt, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		t.Fatalf("%s changed no row", stmt)
	}
	conn.Close()
}
