package sqlstore_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/internal/pgtest"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
)

// TestKeyNameRefusesInvisibleText: a key's name with NUL or a bidirectional override is
// refused as invalid input (PostgreSQL cannot store NUL).
func TestKeyNameRefusesInvisibleText(t *testing.T) {
	e := openEnv(t)
	for _, name := range []string{"north\x00gate", "\u202enorth", "gate\u200b"} {
		if _, _, err := e.store.Keys.CreateKey(context.Background(), ledger.RoleScanner, name); ledger.ErrorCode(err) != ledger.EINVALID {
			t.Errorf("CreateKey(%q): %v, want EINVALID", name, err)
		}
	}
}

// TestNewLedgerFilesArePrivate: a new SQLite ledger, its -wal and -shm files are created
// mode 0600, whatever the umask lets through; an existing file keeps its mode.
func TestNewLedgerFilesArePrivate(t *testing.T) {
	if pgtest.OnPostgres() {
		t.Skip("a file mode is a SQLite matter")
	}
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	dir := t.TempDir()
	path := filepath.Join(dir, "ledger.db")
	st := mustOpen(t, path, sqlstore.Options{})
	if _, _, err := st.Keys.CreateKey(context.Background(), ledger.RoleScanner, "north"); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(f)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if mode := fi.Mode().Perm(); mode != 0o600 {
			t.Errorf("%s has mode %v, want 0600", filepath.Base(f), mode)
		}
	}
	st.Close()
	os.Chmod(path, 0o640)
	mustOpen(t, path, sqlstore.Options{}).Close()
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o640 {
		t.Errorf("an existing ledger's mode changed to %v", fi.Mode().Perm())
	}
}

// stadium returns n seats in rows of 100.
func stadium(n int) []ledger.Seat {
	seats := make([]ledger.Seat, n)
	for i := range seats {
		seats[i] = ledger.Seat{Section: "S" + strconv.Itoa(i/10000), Number: i%10000/26 + 1, Letter: string(rune('A' + i%26))}
	}
	return seats
}

// TestTicketListPlanRightAfterBeginSale: on PostgreSQL, the ticket list of a 60,000-seat
// contract read right after BeginSale (before autovacuum has gathered statistics) is
// planned as range scans of both tables' primary keys: no join that compares every ticket
// with every seat (that plan did not answer within 120 s and held a core).
func TestTicketListPlanRightAfterBeginSale(t *testing.T) {
	if !pgtest.OnPostgres() {
		t.Skip("a PostgreSQL planner matter: run with TICKETBOOTH_TEST_DB=postgres")
	}
	e := openEnv(t)
	seats := stadium(60000)
	c, _, err := e.store.Contracts.CreateContract(e.admin, "Stadium", seats)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.Contracts.BeginSale(e.admin, c.Address, flatPrices(seats, 100), e.details(t, 100)); err != nil {
		t.Fatal(err)
	}
	for _, offset := range []int{0, 30000} {
		plan, err := sqlstore.ExplainTicketList(e.store, c.Address, 1, offset, 1000)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("plan:\n%s", plan)
		if strings.Contains(plan, "Nested Loop") || strings.Contains(plan, "Join") || strings.Contains(plan, "Seq Scan") {
			t.Errorf("the ticket list joins or scans whole tables:\n%s", plan)
		}
	}
	list, err := e.store.Contracts.Tickets(e.admin, c.Address)
	if err != nil || len(list) != len(seats) || list[12345].Seat != seats[12345] || list[12345].Price != 100 {
		t.Fatalf("Tickets: %d tickets, %v; want all %d", len(list), err, len(seats))
	}
	page, err := e.store.Contracts.TicketsPage(e.admin, c.Address, 59990, 1000)
	if err != nil || len(page.Tickets) != 10 || page.Tickets[9].Seat != seats[59999] || page.Sale != 1 {
		t.Fatalf("last page: %d tickets, sale %d, %v; want the last 10 of sale 1", len(page.Tickets), page.Sale, err)
	}
}
