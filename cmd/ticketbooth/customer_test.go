package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// TestCustomerCommands runs the customer commands in-process and through a server with an
// organizer key: add, show, find, export, erase (only with --yes), and the ledger still
// verifies afterwards.
func TestCustomerCommands(t *testing.T) {
	url, organizer, scannerKey, _ := remote(t)
	for name, conn := range map[string][]string{
		"InProcess": {"--db", newDB(t, time.Hour)},
		"Remote":    {"--server", url, "--key", organizer},
	} {
		t.Run(name, func(t *testing.T) {
			customerSession(t, conn)
		})
	}
	r := runCLI(t, "", "customer", "find", "--email", "tom@tomsons.com", "--server", url, "--key", scannerKey)
	if r.code != exitDenied || !strings.Contains(r.stderr, "scanner key may not") {
		t.Errorf("find with a scanner key: exit %d, stderr %q; want %d", r.code, r.stderr, exitDenied)
	}
}

// customerSession is the customer commands' session on the ledger conn connects to.
func customerSession(t *testing.T, conn []string) {
	cmd := func(args ...string) []string { return append(args, conn...) }
	id := strings.TrimSpace(mustCLI(t, cmd("customer", "add", "--quiet", "--salutation", "m", "--first-name", "Tom",
		"--last-name", "Tomson", "--email", "tom@tomsons.com", "--country", "ch", "--address1", "Testweg 10",
		"--zip", "3000", "--city", "Bern")...))
	show := mustCLI(t, cmd("customer", "show", "--id", id)...)
	for _, want := range []string{"name      m Tom Tomson", "e-mail    tom@tomsons.com", "address   Testweg 10, 3000 Bern, CH"} {
		if !strings.Contains(show, want) {
			t.Errorf("customer show:\n%s\nwant %q", show, want)
		}
	}
	if found := mustCLI(t, cmd("customer", "find", "--name", "TOMSON")...); !strings.HasPrefix(found, id+" ") {
		t.Errorf("customer find --name: %q, want customer %s", found, id)
	}
	mustCLI(t, cmd("customer", "add", "--last-name", "Tomson", "--email", "tom@tomsons.com")...)
	page := mustCLI(t, cmd("customer", "find", "--email", "tom@tomsons.com", "--limit", "1")...)
	first, after, ok := strings.Cut(strings.TrimSpace(page), "\n2 found in all; more with --after ")
	if !ok || !strings.HasPrefix(first, after+" ") {
		t.Fatalf("customer find --limit 1:\n%s\nwant one customer and the next page after it", page)
	}
	rest := mustCLI(t, cmd("customer", "find", "--email", "tom@tomsons.com", "--limit", "1", "--after", after)...)
	if strings.Count(rest, "\n") != 1 || strings.HasPrefix(rest, after+" ") || strings.Contains(rest, "more") {
		t.Errorf("customer find --after %s:\n%s\nwant the other customer alone", after, rest)
	}
	var ex ledger.CustomerExport
	if err := json.Unmarshal([]byte(mustCLI(t, cmd("customer", "export", "--id", id)...)), &ex); err != nil ||
		ex.Customer.LastName != "Tomson" || len(ex.Transactions) != 1 {
		t.Errorf("customer export: %+v, %v", ex, err)
	}
	if r := runCLI(t, "", cmd("customer", "erase", "--id", id)...); r.code != exitUsage || !strings.Contains(r.stderr, "--yes") {
		t.Errorf("erase without --yes: exit %d, stderr %q", r.code, r.stderr)
	}
	mustCLI(t, cmd("customer", "erase", "--id", id, "--yes")...)
	if show := mustCLI(t, cmd("customer", "show", "--id", id)...); !strings.Contains(show, "(erased)") || strings.Contains(show, "Tomson") {
		t.Errorf("customer show after the erasure:\n%s", show)
	}
	for _, bad := range [][]string{{"customer", "add", "--last-name", "Tomson", "--country", "Swiss"},
		{"customer", "find"}, {"customer", "show", "--id", "x"}} {
		if r := runCLI(t, "", cmd(bad...)...); r.code != exitUsage || r.stderr == "" {
			t.Errorf("%v: exit %d, stderr %q; want %d with a reason", bad, r.code, r.stderr, exitUsage)
		}
	}
	if r := runCLI(t, "", cmd("customer", "show", "--id", "42")...); r.code != exitFailed || !strings.Contains(r.stderr, "No customer with id 42") {
		t.Errorf("show of an unknown customer: exit %d, stderr %q", r.code, r.stderr)
	}
	if out := mustCLI(t, append([]string{"ledger", "verify"}, conn...)...); !strings.Contains(out, "ledger verified") {
		t.Errorf("ledger verify after the erasure:\n%s", out)
	}
}
