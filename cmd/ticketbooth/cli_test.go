package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/internal/batch"
	"github.com/ticketbooth-go/ticketbooth/internal/pgtest"
	"github.com/ticketbooth-go/ticketbooth/internal/wiring"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
	"github.com/ticketbooth-go/ticketbooth/qrdecode"
	"github.com/ticketbooth-go/ticketbooth/scanner"
	"github.com/ticketbooth-go/ticketbooth/server"
)

// TestMain stops the PostgreSQL cluster the tests started under TICKETBOOTH_TEST_DB=postgres.
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// cli runs the command line in-process and returns its exit status and output.
type cliResult struct {
	code           int
	stdout, stderr string
}

func runCLI(t *testing.T, stdin string, args ...string) cliResult {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(append([]string{"ticketbooth"}, args...), strings.NewReader(stdin), &out, &errb)
	return cliResult{code: code, stdout: out.String(), stderr: errb.String()}
}

func mustCLI(t *testing.T, args ...string) string {
	t.Helper()
	r := runCLI(t, "", args...)
	if r.code != 0 {
		t.Fatalf("ticketbooth %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r.stdout
}

// newDB creates a ledger with a short block interval, so sales can end in a test: a
// SQLite file, or a PostgreSQL database under TICKETBOOTH_TEST_DB=postgres.
func newDB(t *testing.T, interval time.Duration) string {
	t.Helper()
	path := pgtest.LedgerDB(t)
	st, err := sqlstore.Open(context.Background(), path, sqlstore.Options{BlockInterval: interval})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	return path
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

// theatreOnSale creates the fixture theatre with a sale ending in ends and returns its address.
func theatreOnSale(t *testing.T, conn []string, ends string, rules ...string) string {
	t.Helper()
	address := lastLine(mustCLI(t, append([]string{"contract", "create", "--fixture", "theatre"}, conn...)...))
	if err := ledger.ValidateAddress(address); err != nil {
		t.Fatalf("contract create's last line %q is not an address: %v", address, err)
	}
	if len(rules) > 0 {
		mustCLI(t, append(append([]string{"rules", "set", "--contract", address}, rules...), conn...)...)
	}
	mustCLI(t, append([]string{"sale", "begin", "--contract", address, "--name", "Hamlet", "--organiser", "Globe",
		"--time", time.Now().Add(48 * time.Hour).Format(time.RFC3339), "--ends-in", ends, "--prices-fixture", "theatre"}, conn...)...)
	return address
}

func TestKeysCreatePrintsKeyAloneOnLastLine(t *testing.T) {
	db := newDB(t, time.Second)
	out := mustCLI(t, "keys", "create", "--db", db, "--role", "organizer", "--name", "office")
	key := lastLine(out)
	st, err := sqlstore.Open(context.Background(), db, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a, err := st.Keys.Authenticate(context.Background(), key)
	if err != nil || a.Role != ledger.RoleOrganizer {
		t.Fatalf("key on the last line %q does not authenticate as an organizer: %v %+v", key, err, a)
	}
	if r := runCLI(t, "", "keys", "create", "--db", db, "--role", "janitor", "--name", "x"); r.code != exitUsage || !strings.Contains(r.stderr, "unknown role") {
		t.Errorf("bad role: exit %d, stderr %q; want %d and a reason", r.code, r.stderr, exitUsage)
	}
	list := mustCLI(t, "keys", "list", "--db", db)
	if !strings.Contains(list, "office") || strings.Contains(list, key) {
		t.Errorf("keys list = %q: want the name, never the key", list)
	}
}

func TestLifecycleInProcess(t *testing.T) {
	db := newDB(t, 50*time.Millisecond)
	conn := []string{"--db", db}
	ends := time.Second // long enough for the commands below to run before it, even on a loaded machine
	if pgtest.OnPostgres() {
		ends = 2 * time.Second // each command connects to the server: the early end must come before the sale's
	}
	address := theatreOnSale(t, conn, ends.String(), "--fee", "300", "--no-release-blocks", "1")
	rules := mustCLI(t, "rules", "show", "--contract", address, "--db", db, "--json")
	var got ledger.Rules
	if err := json.Unmarshal([]byte(rules), &got); err != nil || got.ReleaseFee != 300 || got.NoReleaseBlocks != 1 {
		t.Fatalf("rules show --json = %s (%v), want fee 300 and 1 block", rules, err)
	}
	if r := runCLI(t, "", "rules", "set", "--contract", address, "--fee", "1", "--db", db); r.code != exitFailed || !strings.Contains(r.stderr, "Sale is currently active") {
		t.Errorf("rules during a sale: exit %d %q, want %d 'Sale is currently active'", r.code, r.stderr, exitFailed)
	}
	tickets := mustCLI(t, "tickets", "--contract", address, "--db", db)
	if !strings.Contains(tickets, "8 seats, 0 sold, 8 available") || !strings.Contains(tickets, "1A    EUR 35.00  available") {
		t.Errorf("tickets = %q", tickets)
	}
	if r := runCLI(t, "", "sale", "end", "--contract", address, "--db", db); r.code != exitFailed {
		t.Errorf("early sale end: exit %d, want %d", r.code, exitFailed)
	}
	time.Sleep(ends + 100*time.Millisecond)
	mustCLI(t, "sale", "end", "--contract", address, "--db", db)
	out := mustCLI(t, "ledger", "verify", "--db", db)
	if !strings.Contains(out, "ledger verified") {
		t.Errorf("ledger verify = %q", out)
	}
	// The head it prints is an anchor for later: accepted back as it is, refused altered.
	head := strings.Fields(lastLine(out))
	if len(head) < 2 || head[0] != "head" {
		t.Fatalf("ledger verify's last line %q does not name the head block", lastLine(out))
	}
	if out := mustCLI(t, "ledger", "verify", "--db", db, "--anchor", head[1]); !strings.Contains(out, "1 anchor held") {
		t.Errorf("ledger verify --anchor HEAD = %q", out)
	}
	height, _, _ := strings.Cut(head[1], ":")
	if r := runCLI(t, "", "ledger", "verify", "--db", db, "--anchor", height+":"+strings.Repeat("0", 64)); r.code != exitFailed || !strings.Contains(r.stderr, "rewritten") {
		t.Errorf("ledger verify with a false anchor: exit %d %q, want %d and 'rewritten'", r.code, r.stderr, exitFailed)
	}
	if r := runCLI(t, "", "ledger", "verify", "--db", db, "--anchor", "head"); r.code != exitUsage || !strings.Contains(r.stderr, "Invalid block anchor") {
		t.Errorf("ledger verify with a malformed anchor: exit %d %q, want %d", r.code, r.stderr, exitUsage)
	}
}

func TestUsageAndFailureExitStatuses(t *testing.T) {
	db := newDB(t, time.Second)
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"tickets", "--db", db}, exitUsage, "--contract"},
		{[]string{"tickets", "--db", db, "--contract", "nonsense"}, exitUsage, "Invalid address"},
		{[]string{"tickets", "--db", db, "--contract", ledger.ZeroAddress}, exitFailed, "No smart contract"},
		{[]string{"contract", "create", "--db", db, "--seats", "1A,1A", "--venue", "V"}, exitUsage, "more than once"},
		{[]string{"contract", "create", "--db", db, "--venue", "V"}, exitUsage, "exactly one of"},
		{[]string{"sale", "begin", "--db", db}, exitUsage, "--name, --organiser, --time required (see ticketbooth sale begin --help)"},
		{[]string{"nosuchcommand"}, exitUsage, ""},
		{[]string{"tickets", "--db", filepath.Join(t.TempDir(), "none.db"), "--contract", ledger.ZeroAddress}, exitUsage, "no ledger at"},
		{[]string{"scan", "--db", db, "--contract", ledger.ZeroAddress, "a.png", "--gate", "x"}, exitUsage, "flags must come before"},
		{[]string{"ledger", "receipt", "--db", db, strings.Repeat("ab", 32)}, exitFailed, "No transaction"},
		{[]string{"tickets", "--server", "ftp://x", "--contract", ledger.ZeroAddress}, exitUsage, "http"},
	} {
		r := runCLI(t, "", tc.args...)
		if r.code != tc.code || !strings.Contains(r.stderr+r.stdout, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tc.args, r.code, r.stderr, tc.code, tc.want)
		}
		if tc.code != 0 && strings.Count(strings.TrimSpace(r.stderr), "\n") > 0 && tc.want != "" {
			t.Errorf("%v: the reason should be one line, got %q", tc.args, r.stderr)
		}
	}
}

// remote starts a real API server on loopback over a fresh ledger and returns its URL,
// an organizer key and a scanner key.
func remote(t *testing.T) (url, organizer, scannerKey, db string) {
	t.Helper()
	db = newDB(t, 50*time.Millisecond)
	st, err := sqlstore.Open(context.Background(), db, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	organizer, _, err = st.Keys.CreateKey(context.Background(), ledger.RoleOrganizer, "office")
	if err != nil {
		t.Fatal(err)
	}
	scannerKey, _, err = st.Keys.CreateKey(context.Background(), ledger.RoleScanner, "north gate")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(apiServer(t, st))
	t.Cleanup(srv.Close)
	return srv.URL, organizer, scannerKey, db
}

// apiServer returns the API handler serving st as `ticketbooth serve` wires it.
func apiServer(t *testing.T, st *sqlstore.Store) *server.Server {
	t.Helper()
	h, err := server.New(wiring.Services(st), nil)
	if err != nil {
		t.Fatalf("server.New: %v", err)
	}
	return h
}

func TestRemoteModeUsesKeys(t *testing.T) {
	url, organizer, scannerKey, _ := remote(t)
	conn := []string{"--server", url, "--key", organizer}
	address := theatreOnSale(t, conn, "1h")
	out := mustCLI(t, "reserve", "--contract", address, "--seat", "1A", "--sender", "alice", "--out",
		filepath.Join(t.TempDir(), "t.json"), "--server", url, "--key", organizer)
	if !strings.Contains(out, "reserved 1A for alice") {
		t.Errorf("remote reserve = %q", out)
	}
	r := runCLI(t, "", "rules", "set", "--contract", address, "--fee", "1", "--server", url, "--key", scannerKey)
	if r.code != exitDenied {
		t.Errorf("scanner key managing: exit %d %q, want %d", r.code, r.stderr, exitDenied)
	}
	r = runCLI(t, "", "sale", "end", "--contract", address, "--server", url)
	if r.code != exitDenied || !strings.Contains(r.stderr, "key") {
		t.Errorf("no key: exit %d %q, want %d", r.code, r.stderr, exitDenied)
	}
	r = runCLI(t, "", "tickets", "--contract", address, "--server", "http://127.0.0.1:1")
	if r.code != exitFailed || !strings.Contains(r.stderr, "cannot reach server") {
		t.Errorf("unreachable server: exit %d %q", r.code, r.stderr)
	}
}

func TestReserveScanRelease(t *testing.T) {
	url, organizer, scannerKey, _ := remote(t)
	org := []string{"--server", url, "--key", organizer}
	gate := []string{"--server", url, "--key", scannerKey}
	address := theatreOnSale(t, org, "1h", "--identity")
	dir := t.TempDir()
	png := filepath.Join(dir, "zoe.png")
	mustCLI(t, append([]string{"reserve", "--contract", address, "--seat", "2A", "--sender", "zoe", "--name", "Zoë Łukasiewicz-Ødegård", "--out", png}, org...)...)
	data, err := os.ReadFile(png)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := qrdecode.DecodeBytes(data); err != nil {
		t.Fatalf("reserve wrote a PNG our decoder cannot read: %v", err)
	}
	r := runCLI(t, "", append(append([]string{"scan", "--contract", address, "--gate", "north"}, gate...), png)...)
	if r.code != 0 || !strings.Contains(r.stdout, "ADMIT   2A — Zoë Łukasiewicz-Ødegård (check ID)") {
		t.Fatalf("first scan: exit %d %q %q", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, "", append(append([]string{"scan", "--contract", address, "--gate", "south"}, gate...), png)...)
	if r.code != exitNotAdmitted || !strings.Contains(r.stdout, "ALREADY IN  2A at") || !strings.Contains(r.stdout, "gate north") {
		t.Fatalf("second scan: exit %d %q", r.code, r.stdout)
	}
	r = runCLI(t, "not json\n\n[{\"seat\":{\"number\":9,\"letter\":\"Z\"},\"secret\":\"AAAAAAAAAAAAAAA\"}]\n",
		append(append([]string{"scan", "--contract", address}, gate...), "-")...)
	if r.code != exitNotAdmitted || !strings.Contains(r.stdout, "REJECT  ?: QR text is not valid JSON") || !strings.Contains(r.stdout, "REJECT  9Z: no seat 9Z") {
		t.Errorf("wedge lines: exit %d %q", r.code, r.stdout)
	}
	jsonOut := filepath.Join(dir, "bob.json")
	mustCLI(t, append([]string{"reserve", "--contract", address, "--seat", "3A", "--sender", "bob", "--name", "Bob", "--out", jsonOut}, org...)...)
	var p struct {
		Tickets []struct {
			Secret struct{ Plaintext string }
		}
		QR []string
	}
	raw, _ := os.ReadFile(jsonOut)
	if err := json.Unmarshal(raw, &p); err != nil || len(p.QR) != 1 {
		t.Fatalf("reserve --out .json = %s (%v)", raw, err)
	}
	r = runCLI(t, "", append([]string{"release", "--contract", address, "--seat", "3A", "--secret", "wrongwrongwrong"}, org...)...)
	if r.code != exitFailed || !strings.Contains(r.stderr, "not owned") { // a refusal, not a usage error
		t.Errorf("release with a wrong secret: exit %d %q", r.code, r.stderr)
	}
	out := mustCLI(t, append([]string{"release", "--contract", address, "--seat", "3A", "--secret", p.Tickets[0].Secret.Plaintext}, org...)...)
	if !strings.Contains(out, "released seat 3A") || !strings.Contains(out, "refund EUR 25.00") {
		t.Errorf("release = %q", out)
	}
	r = runCLI(t, p.QR[0]+"\n", append(append([]string{"scan", "--contract", address, "--verify-only"}, gate...), "-")...)
	if r.code != exitNotAdmitted || !strings.Contains(r.stdout, "not sold") {
		t.Errorf("released ticket scanned: exit %d %q", r.code, r.stdout)
	}
}

func TestIssueBatchWritesPDFAndQRJSON(t *testing.T) {
	db := newDB(t, time.Second)
	address := theatreOnSale(t, []string{"--db", db}, "1h")
	dir := t.TempDir()
	out, qr := filepath.Join(dir, "batch.pdf"), filepath.Join(dir, "qr.json")
	r := runCLI(t, "", "issue", "--db", db, "--contract", address, "--all-available", "--sender", "box office",
		"--out", out, "--qr-json", qr, "--layout", "a6")
	if r.code != 0 || !strings.Contains(r.stdout, "issued 8 tickets") {
		t.Fatalf("issue: exit %d %q %q", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, "issuing: 8/8 (100%)") {
		t.Errorf("progress lines (not a terminal) = %q", r.stderr)
	}
	pdf, err := os.ReadFile(out)
	if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("batch PDF missing or not a PDF: %v", err)
	}
	var entries []batch.QREntry
	raw, _ := os.ReadFile(qr)
	if err := json.Unmarshal(raw, &entries); err != nil || len(entries) != 8 {
		t.Fatalf("qr json: %v, %d entries", err, len(entries))
	}
	for _, e := range entries {
		tickets, err := scanner.ParseQR(e.QR)
		if err != nil || len(tickets) != 1 || tickets[0].Seat != e.Seat {
			t.Errorf("entry %v: QR %q parses to %v (%v)", e.Seat, e.QR, tickets, err)
		}
	}
	r = runCLI(t, "", "issue", "--db", db, "--contract", address, "--all-available", "--sender", "x", "--out", out)
	if r.code != exitFailed || !strings.Contains(r.stderr, "no seat") {
		t.Errorf("issue with nothing left: exit %d %q", r.code, r.stderr)
	}
}

func TestDemoTellsTheWholeStory(t *testing.T) {
	dir := t.TempDir()
	out := mustCLI(t, "demo", "--dir", dir)
	for _, want := range []string{"ADMIT 1A; ADMIT 1B", "ADMIT 3B — Zoë Łukasiewicz-Ødegård (check ID)", "ALREADY IN 1A",
		"REJECT 2A: seat 2A is not sold", "the forged QR scanned: REJECT 1B", "ledger verify:",
		"went through the mail queue into the outbox"} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q:\n%s", want, out)
		}
	}
	for _, f := range []string{"alice.pdf", "alice.png", "bob.pdf", "zoe.pdf", "zoe.png", "demo.db",
		"demo.db.outbox/000001-demo-alice-confirmed.eml"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("demo did not write %s: %v", f, err)
		}
	}
}

func TestHelpEverywhere(t *testing.T) {
	app := newApp(nil, nil, nil)
	for _, c := range app.Commands {
		args := []string{c.Name, "--help"}
		if len(c.Subcommands) > 0 {
			for _, sc := range c.Subcommands {
				r := runCLI(t, "", c.Name, sc.Name, "--help")
				if r.code != 0 || !strings.Contains(r.stdout, "USAGE") {
					t.Errorf("%s %s --help: exit %d %q", c.Name, sc.Name, r.code, r.stdout)
				}
			}
			continue
		}
		r := runCLI(t, "", args...)
		if r.code != 0 || !strings.Contains(r.stdout, "USAGE") {
			t.Errorf("%s --help: exit %d %q", c.Name, r.code, r.stdout)
		}
	}
}

// A PostgreSQL URL is not a file: in-process commands must try the server, not refuse it
// as a missing ledger file; a server that cannot be reached is a failure (exit 1), not a
// usage error.
func TestPostgresURLIsNotAMissingFile(t *testing.T) {
	r := runCLI(t, "", "tickets", "--db", "postgres://nobody@127.0.0.1:1/none?connect_timeout=2", "--contract", ledger.ZeroAddress)
	if r.code != exitFailed || !strings.Contains(r.stderr, "cannot reach PostgreSQL") {
		t.Fatalf("tickets on an unreachable PostgreSQL: exit %d %q; want %d and a connection failure, not 'no ledger at'", r.code, r.stderr, exitFailed)
	}
	if strings.Contains(r.stderr, "nobody@") && strings.Contains(r.stderr, "password") {
		t.Errorf("error line shows credentials: %q", r.stderr)
	}
}
