package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// TestGatePolicyCLI: against a server the organizer reads a new sale's gate policy (offline
// admission allowed, re-entry not), allows re-entry, forbids offline admission (re-entry
// stays), a scanner key may not change it, and in-process the same policy reads back.
func TestGatePolicyCLI(t *testing.T) {
	url, organizer, scannerKey, db := remote(t)
	conn := func(key string) []string { return []string{"--server", url, "--key", key} }
	address := theatreOnSale(t, conn(organizer), "1h")
	cmd := func(key string, args ...string) []string {
		return append(append([]string{"gate-policy", "--contract", address}, args...), conn(key)...)
	}
	want := func(out, offline, reentry string) {
		t.Helper()
		if !strings.Contains(out, "offline admission  "+offline+"\n") || !strings.Contains(out, "re-entry           "+reentry+"\n") {
			t.Errorf("gate-policy = %q, want offline %s and re-entry %s", out, offline, reentry)
		}
	}
	want(mustCLI(t, cmd(organizer)...), "allowed", "not allowed")
	want(mustCLI(t, cmd(organizer, "--reentry")...), "allowed", "allowed")
	want(mustCLI(t, cmd(organizer, "--offline=false")...), "not allowed", "allowed")
	if r := runCLI(t, "", cmd(scannerKey, "--reentry=false")...); r.code != exitDenied {
		t.Errorf("a scanner's change: exit %d %q", r.code, r.stderr)
	}
	want(mustCLI(t, "gate-policy", "--contract", address, "--db", db), "not allowed", "allowed")
}

// TestScanDirectionCLI: through a server, a scanned ticket goes out with --direction out
// (OUT, exit 0), is refused in again in words while the sale refuses re-entry (exit 3),
// comes in again once the organizer allows it (ADMIT AGAIN), and a direction that is
// neither in nor out is a usage error.
func TestScanDirectionCLI(t *testing.T) {
	url, organizer, scannerKey, _ := remote(t)
	conn := func(key string) []string { return []string{"--server", url, "--key", key} }
	address := theatreOnSale(t, conn(organizer), "1h")
	bought := filepath.Join(t.TempDir(), "bought.json")
	mustCLI(t, append([]string{"reserve", "--contract", address, "--seat", "1A", "--sender", "ann", "--out", bought}, conn(organizer)...)...)
	_, qr := purchaseFile(t, bought)
	scan := func(direction string) cliResult {
		return runCLI(t, qr+"\n", append(append([]string{"scan", "--contract", address, "--gate", "north", "--direction", direction}, conn(scannerKey)...), "-")...)
	}
	steps := []struct {
		direction string
		code      int
		want      string
	}{
		{"in", exitOK, "ADMIT   1A"},
		{"out", exitOK, "OUT     1A"},
		{"in", exitNotAdmitted, ledger.MsgNoReentry},
		{"sideways", exitUsage, ""},
	}
	for _, s := range steps {
		if r := scan(s.direction); r.code != s.code || !strings.Contains(r.stdout, s.want) {
			t.Errorf("scan --direction %s: exit %d %q %q, want exit %d and %q", s.direction, r.code, r.stdout, r.stderr, s.code, s.want)
		}
	}
	mustCLI(t, append([]string{"gate-policy", "--contract", address, "--reentry"}, conn(organizer)...)...)
	if r := scan("in"); r.code != exitOK || !strings.Contains(r.stdout, "ADMIT AGAIN  1A") {
		t.Errorf("scan in with re-entry: exit %d %q", r.code, r.stdout)
	}
}
