package main

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
)

// A contract made in-process with --owner belongs to that organizer key, which then
// manages it through a server; ownership moves with contract transfer, and verify replays it.
func TestContractOwnerAndTransfer(t *testing.T) {
	db := newDB(t, time.Second)
	globe := lastLine(mustCLI(t, "keys", "create", "--db", db, "--role", "organizer", "--name", "Globe office"))
	rose := mustCLI(t, "keys", "create", "--db", db, "--role", "organizer", "--name", "Rose office", "--quiet")
	rose = strings.TrimSpace(rose)
	mustCLI(t, "keys", "create", "--db", db, "--role", "scanner", "--name", "north gate")
	address := strings.TrimSpace(mustCLI(t, "contract", "create", "--db", db, "--fixture", "theatre", "--owner", "Globe office", "--quiet"))
	if err := ledger.ValidateAddress(address); err != nil {
		t.Fatalf("contract create --quiet printed %q, not an address alone: %v", address, err)
	}
	if show := mustCLI(t, "contract", "show", "--db", db, "-c", address); !strings.Contains(show, "owner     key:1") {
		t.Errorf("contract show = %q, want owner key:1", show)
	}
	st, err := sqlstore.Open(context.Background(), db, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	srv := httptest.NewServer(apiServer(t, st))
	t.Cleanup(srv.Close)
	as := func(key string, args ...string) cliResult {
		return runCLI(t, "", append(args, "--server", srv.URL, "--key", key)...)
	}
	if r := as(globe, "rules", "set", "-c", address, "--fee", "100"); r.code != 0 {
		t.Errorf("the owner's key managing its contract: exit %d %q", r.code, r.stderr)
	}
	if r := as(rose, "contract", "transfer", "-c", address, "--owner", "2"); r.code != exitDenied {
		t.Errorf("another organizer taking the contract: exit %d %q, want %d", r.code, r.stderr, exitDenied)
	}
	if r := as(globe, "contract", "transfer", "-c", address, "--owner", "Rose office"); r.code != exitUsage || !strings.Contains(r.stderr, "key's id") {
		t.Errorf("a key's name through a server: exit %d %q, want %d and a hint to give the id", r.code, r.stderr, exitUsage)
	}
	if r := as(globe, "contract", "transfer", "-c", address, "--owner", "key:2"); r.code != 0 || !strings.Contains(r.stdout, "now owned by key:2") {
		t.Errorf("transfer by the owner: exit %d %q %q", r.code, r.stdout, r.stderr)
	}
	if r := as(globe, "rules", "set", "-c", address, "--fee", "200"); r.code != exitDenied {
		t.Errorf("the former owner: exit %d %q, want %d", r.code, r.stderr, exitDenied)
	}
	if r := runCLI(t, "", "contract", "transfer", "--db", db, "-c", address, "--owner", "north gate"); r.code != exitFailed || !strings.Contains(r.stderr, "No organizer key named") {
		t.Errorf("transfer to a scanner key's name: exit %d %q, want %d", r.code, r.stderr, exitFailed)
	}
	if r := runCLI(t, "", "contract", "transfer", "--db", db, "-c", address, "--owner", "3"); r.code != exitFailed || !strings.Contains(r.stderr, "only an organizer key") {
		t.Errorf("transfer to a scanner key: exit %d %q, want %d (refused)", r.code, r.stderr, exitFailed)
	}
	mustCLI(t, "contract", "transfer", "--db", db, "-c", address, "--owner", "Globe office") // the administrator
	if out := mustCLI(t, "ledger", "verify", "--db", db); !strings.Contains(out, "ledger verified") {
		t.Errorf("ledger verify = %q", out)
	}
}
