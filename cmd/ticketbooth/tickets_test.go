package main

import (
	"strings"
	"testing"
)

// TestTicketsRemotePaged: `tickets --server` reads the stadium's 60,000-ticket list a page
// at a time, lists every seat, and shows how far it got on stderr.
func TestTicketsRemotePaged(t *testing.T) {
	if testing.Short() {
		t.Skip("stadium contract in -short mode")
	}
	url, organizer, _, _ := remote(t)
	address := lastLine(mustCLI(t, "contract", "create", "--fixture", "stadium", "--server", url, "--key", organizer))
	r := runCLI(t, "", "tickets", "--contract", address, "--server", url)
	if r.code != 0 || !strings.HasSuffix(r.stdout, "60000 seats, 0 sold, 60000 available\n") || strings.Count(r.stdout, "\n") != 60002 {
		t.Fatalf("exit %d, %d lines, ending %q", r.code, strings.Count(r.stdout, "\n"), r.stdout[max(0, len(r.stdout)-80):])
	}
	if !strings.Contains(r.stderr, "read 1000 of 60000 tickets") || !strings.HasSuffix(r.stderr, "read 60000 of 60000 tickets\n") {
		t.Errorf("stderr %q, want progress", r.stderr[max(0, len(r.stderr)-200):])
	}
}
