package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/internal/pgtest"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
)

// readmeEvening returns the fenced block of the README's "An organizer's evening".
func readmeEvening(t *testing.T) string {
	t.Helper()
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "### An organizer's evening\n")
	_, block, ok2 := strings.Cut(section, "```sh\n")
	block, _, ok3 := strings.Cut(block, "```\n")
	if !ok || !ok2 || !ok3 {
		t.Fatal("README.md has no ```sh block under ### An organizer's evening")
	}
	return block
}

// TestReadmeEvening runs the README's organizer's evening as written, with bash -e,
// against the built binary in a fresh folder, and checks what it did: every command
// succeeded, the ticket was admitted, the keys it captured work and own what they should.
func TestReadmeEvening(t *testing.T) {
	if pgtest.OnPostgres() {
		t.Skip("the evening runs on its own SQLite file")
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Fatal("bash is missing")
	}
	dir := t.TempDir()
	build := exec.Command("go", "build", "-o", filepath.Join(dir, "bin", "ticketbooth"), ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	script := readmeEvening(t) + "\necho \"captured C=$C ORGANIZER=$ORGANIZER SHOP=$SHOP DOOR=$DOOR\"\n"
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bash, "-e", "-o", "pipefail", "-c", script)
	cmd.Dir = filepath.Join(dir, "evening")
	if err := os.Mkdir(cmd.Dir, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd.Env = append(os.Environ(), "PATH="+filepath.Join(dir, "bin")+string(os.PathListSeparator)+os.Getenv("PATH"),
		"TICKETBOOTH_DB="+filepath.Join(cmd.Dir, "theatre.db"))
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr, cmd.Stdin = &stdout, &stderr, strings.NewReader("")
	if err := cmd.Run(); err != nil {
		t.Fatalf("the README's evening failed: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	out := stdout.String()
	for _, want := range []string{"total EUR 70.00", "refund EUR 20.00", "ADMIT   1A — Zoë Łukasiewicz-Ødegård (check ID)",
		"ADMIT   1B — Zoë Łukasiewicz-Ødegård (check ID)",
		"sale ended", "1 anchor held"} {
		if !strings.Contains(out, want) {
			t.Errorf("the evening's output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(stderr.String(), "waiting for the end of sale") {
		t.Errorf("sale end --wait showed no progress:\n%s", stderr.String())
	}
	m := regexp.MustCompile(`captured C=(\S+) ORGANIZER=(\S+) SHOP=(\S+) DOOR=(\S+)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("the evening did not capture its address and keys:\n%s", out)
	}
	checkCaptured(t, filepath.Join(cmd.Dir, "theatre.db"), m[1], map[string]ledger.Role{m[2]: ledger.RoleOrganizer, m[3]: ledger.RoleBoxOffice, m[4]: ledger.RoleScanner})
}

// checkCaptured checks that the keys the evening captured are keys of their roles and
// that the organizer's key owns the contract.
func checkCaptured(t *testing.T, db, address string, keys map[string]ledger.Role) {
	t.Helper()
	st, err := sqlstore.Open(context.Background(), db, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, err := st.Contracts.Contract(context.Background(), address)
	if err != nil {
		t.Fatalf("the captured address %q: %v", address, err)
	}
	for key, role := range keys {
		a, err := st.Keys.Authenticate(context.Background(), key)
		if err != nil || a.Role != role {
			t.Errorf("captured %s key: %+v, %v", role, a, err)
		}
		if role == ledger.RoleOrganizer && c.Owner != a.ID() {
			t.Errorf("contract owner %q, want the organizer's key %s", c.Owner, a.ID())
		}
	}
}
