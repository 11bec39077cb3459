package main

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/internal/golden"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
)

// TestGoldenHelp checks the help of the command line and of each command against
// testdata/help.golden: flags, their defaults and their words stay as they are unless the
// golden file changes with them (go test ./cmd/ticketbooth -run Golden -update).
func TestGoldenHelp(t *testing.T) {
	clearEnv(t)
	commands := [][]string{{}, {"serve"}, {"keys"}, {"keys", "create"}, {"contract"}, {"contract", "create"},
		{"contract", "transfer"}, {"rules"}, {"rules", "set"}, {"sale"}, {"sale", "begin"}, {"sale", "end"}, {"tickets"},
		{"reserve"}, {"release"}, {"reissue"}, {"customer"}, {"customer", "add"}, {"customer", "show"},
		{"customer", "find"}, {"customer", "export"}, {"customer", "erase"}, {"issue"}, {"scan"}, {"decode"}, {"ledger"}, {"ledger", "verify"},
		{"demo"}, {"loadtest"}}
	var out strings.Builder
	for _, cmd := range commands {
		out.WriteString(transcript(t, append(cmd, "--help")...))
	}
	golden.Check(t, "help", []byte(out.String()))
}

// TestGoldenSession checks an organizer's evening against testdata/session.golden
// in-process and testdata/session_remote.golden through a server: what each command
// prints, with the parts that differ from run to run (addresses, transaction hashes,
// references, times of day, folders, the database, the server and its key) written as
// placeholders. Where the two files differ, the two modes answer differently.
func TestGoldenSession(t *testing.T) {
	clearEnv(t)
	t.Run("InProcess", func(t *testing.T) {
		db := newDB(t, time.Hour) // every command runs at height 0
		evening(t, "session", []string{"--db", db}, db)
	})
	t.Run("Remote", func(t *testing.T) {
		db := newDB(t, time.Hour)
		st, err := sqlstore.Open(context.Background(), db, sqlstore.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		key, _, err := st.Keys.CreateKey(context.Background(), ledger.RoleOrganizer, "Globe office")
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(apiServer(t, st))
		t.Cleanup(srv.Close)
		evening(t, "session_remote", []string{"--server", srv.URL, "--key", key}, srv.URL, key)
	})
}

// evening runs the session's commands with the connection flags conn and checks their
// transcript against the golden file of name; secrets are the values of conn to hide.
func evening(t *testing.T, name string, conn []string, secrets ...string) {
	dir := t.TempDir()
	r := newRedactor(dir, secrets...)
	var out strings.Builder
	out.WriteString(transcript(t, append([]string{"contract", "create", "--fixture", "theatre"}, conn...)...))
	address := lastLine(mustCLI(t, append([]string{"contract", "create", "--fixture", "theatre", "--quiet"}, conn...)...))
	for _, args := range eveningOf(address, conn, dir) {
		out.WriteString(transcript(t, args...))
	}
	golden.Check(t, name, []byte(r.redact(out.String())))
}

// eveningOf is the session's commands on the contract at address, connected by conn,
// writing into dir.
func eveningOf(address string, conn []string, dir string) [][]string {
	on := func(words ...string) func(args ...string) []string {
		return func(args ...string) []string {
			return append(append(append(words, "--contract", address), conn...), args...)
		}
	}
	alice := filepath.Join(dir, "alice.png")
	reserve, scan := on("reserve"), on("scan")
	return [][]string{
		on("rules", "set")("--fee", "500", "--no-release-blocks", "1"),
		on("sale", "begin")("--name", "Hamlet", "--organiser", "Globe Players", "--time", "2030-12-24 19:30",
			"--time-zone", "Europe/London", "--end-height", "100", "--prices-fixture", "theatre"),
		on("contract", "show")(),
		reserve("--seats", "1A,1B", "--sender", "customer-4711", "--out", alice),
		reserve("--seat", "2A", "--sender", "customer-4712", "--amount", "30", "--out", filepath.Join(dir, "bob.json")),
		on("tickets")(),
		scan("--gate", "north", alice),
		on("release")("--seat", "2A", "--sender", "customer-4712"),
		scan("--gate", "south", alice),
		reserve("--seat", "1A", "--sender", "customer-9", "--out", filepath.Join(dir, "late.json")),
		reserve("--seat", "1-A", "--sender", "customer-9", "--out", filepath.Join(dir, "bad.json")),
		on("sale", "end")(),
		on("tickets")("--json"),
		{"reserv"},
		append([]string{"ledger", "verify"}, conn...),
	}
}

// transcript runs one command line and writes it down as a shell session: the command, what
// it printed on standard output and standard error, and its exit status.
func transcript(t *testing.T, args ...string) string {
	t.Helper()
	r := runCLI(t, "", args...)
	shown := make([]string, len(args))
	for i, a := range args {
		shown[i] = a
		if a == "" || strings.ContainsAny(a, " \"'") {
			shown[i] = fmt.Sprintf("%q", a)
		}
	}
	return fmt.Sprintf("$ ticketbooth %s\n%s%s[exit %d]\n\n", strings.Join(shown, " "), r.stdout, prefixLines("stderr: ", r.stderr), r.code)
}

func prefixLines(prefix, text string) string {
	if text == "" {
		return ""
	}
	return prefix + strings.ReplaceAll(strings.TrimSuffix(text, "\n"), "\n", "\n"+prefix) + "\n"
}

// clearEnv unsets the TICKETBOOTH_ variables for the test, so neither defaults in the
// help nor the commands depend on the environment the test runs in.
func clearEnv(t *testing.T) {
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "TICKETBOOTH_") && name != "TICKETBOOTH_TEST_DB" {
			t.Setenv(name, "")
			os.Unsetenv(name)
		}
	}
}

// redactor writes the parts of a session that change from run to run as placeholders,
// numbered in order of appearance so that the same value keeps its name.
type redactor struct {
	dir     string
	secrets []string // the database, server and key, as <conn-1>, <conn-2>, ...
	names   map[string]string
	count   map[string]int
}

func newRedactor(dir string, secrets ...string) *redactor {
	return &redactor{dir: dir, secrets: secrets, names: map[string]string{ledger.ZeroAddress: ledger.ZeroAddress}, count: map[string]int{}}
}

var (
	addressRE   = regexp.MustCompile(`\bC[1-9A-HJ-NP-Za-km-z]{33}\b`)
	hashRE      = regexp.MustCompile(`\b[0-9a-f]{64}\b`)
	hexRE       = regexp.MustCompile(`\b[0-9a-f]{32,}\b`)
	referenceRE = regexp.MustCompile(`\bTB-[0-9A-Z]{4}-[0-9A-Z]{4}\b`)
	clockRE     = regexp.MustCompile(`\b\d\d:\d\d\b`)
	timeRE      = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)`)
)

func (r *redactor) redact(text string) string {
	for i, s := range r.secrets {
		text = strings.ReplaceAll(text, s, fmt.Sprintf("<conn-%d>", i+1))
	}
	text = strings.ReplaceAll(text, r.dir, "<dir>")
	text = addressRE.ReplaceAllStringFunc(text, func(s string) string { return r.name("address", s) })
	text = hashRE.ReplaceAllStringFunc(text, func(s string) string { return r.name("transaction", s) })
	text = hexRE.ReplaceAllString(text, "<ciphertext>")
	text = referenceRE.ReplaceAllString(text, "<reference>")
	text = timeRE.ReplaceAllString(text, "<time>")
	return clockRE.ReplaceAllStringFunc(text, func(s string) string {
		if s == "19:30" { // the show's time, which the session gives
			return s
		}
		return "<hh:mm>"
	})
}

func (r *redactor) name(kind, value string) string {
	if n, ok := r.names[value]; ok {
		return n
	}
	r.count[kind]++
	n := fmt.Sprintf("<%s-%d>", kind, r.count[kind])
	r.names[value] = n
	return n
}
