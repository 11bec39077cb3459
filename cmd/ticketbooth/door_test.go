package main

import (
	"strings"
	"testing"
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
