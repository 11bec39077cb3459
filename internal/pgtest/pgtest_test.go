package pgtest_test

import (
	"context"
	"database/sql"
	"os"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/internal/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// TestDatabases checks two databases of the cluster are real and separate.
func TestDatabases(t *testing.T) {
	a, b := pgtest.Database(t), pgtest.Database(t)
	if a == b {
		t.Fatalf("two databases share the URL %s", a)
	}
	dbA := open(t, a)
	dbB := open(t, b)
	if _, err := dbA.Exec(`CREATE TABLE only_in_a (n INTEGER)`); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := dbB.QueryRow(`SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'only_in_a'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("table of database a seen in b: %d, %v", n, err)
	}
	var version string
	if err := dbA.QueryRow(`SHOW server_version`).Scan(&version); err != nil || version == "" {
		t.Errorf("server_version = %q, %v", version, err)
	}
}

// TestStop checks a second cluster starts beside the shared one and Stop removes it.
func TestStop(t *testing.T) {
	pgtest.Require(t)
	c, err := pgtest.Start(pgtest.Settings)
	if err != nil {
		t.Fatal(err)
	}
	url, err := c.CreateDatabase(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	db := open(t, url)
	if err := db.Ping(); err != nil {
		t.Fatal(err)
	}
	db.Close()
	dir := c.Dir()
	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("cluster directory %s still there after Stop: %v", dir, err)
	}
}

func open(t *testing.T, url string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
