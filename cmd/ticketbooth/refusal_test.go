package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Refusals by the rules exit 1; only bad flags, arguments and input syntax exit 2, so a
// script can tell a taken seat from a typo.
func TestRefusalsExitOne(t *testing.T) {
	db := newDB(t, time.Second)
	conn := []string{"--db", db}
	address := theatreOnSale(t, conn, "1h")
	out := filepath.Join(t.TempDir(), "t.json")
	buy := func(args ...string) cliResult {
		t.Helper()
		return runCLI(t, "", append([]string{"reserve", "--contract", address, "--out", out, "--db", db}, args...)...)
	}
	mustCLI(t, "reserve", "--contract", address, "--seat", "1A", "--sender", "ann", "--out", out, "--db", db)
	for _, tc := range []struct {
		name string
		r    cliResult
		code int
		want string
	}{
		{"SeatTaken", buy("--seat", "1A", "--sender", "bob"), exitFailed, "not available to purchase"},
		{"NotEnoughFunds", buy("--seat", "1B", "--sender", "bob", "--amount", "1"), exitFailed, "Not enough funds"},
		{"SeatNotInHall", buy("--seat", "9Z", "--sender", "bob"), exitFailed, "this hall has no such seat"},
		{"NotTheHolder", runCLI(t, "", "release", "--contract", address, "--seat", "1A", "--sender", "bob", "--db", db), exitFailed, "not owned by bob"},
		{"SeatSyntax", buy("--seat", "1-A", "--sender", "bob"), exitUsage, "write it as 1A"},
		{"BadAmount", buy("--seat", "1B", "--sender", "bob", "--amount", "lots"), exitUsage, "Invalid amount \"lots\": write it in EUR"},
		{"BadFlag", buy("--seat", "1B", "--sender", "bob", "--layout", "a4", "--copies", "2"), exitUsage, "flag provided but not defined"},
	} {
		if tc.r.code != tc.code || !strings.Contains(tc.r.stderr, tc.want) {
			t.Errorf("%s: exit %d %q, want %d and %q", tc.name, tc.r.code, tc.r.stderr, tc.code, tc.want)
		}
	}
}
