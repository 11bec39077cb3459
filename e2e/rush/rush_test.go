package rush_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/internal/pgtest"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// rushEnv is the rush's ledger: the binary, its PostgreSQL database, the first server,
// an organizer's and a box office's keys, and the contract on sale.
type rushEnv struct {
	bin, db, dir, server, organizer, key, contract string
}

const (
	seatRows, seatsPerRow = 10, 10 // 100 seats: 1A to 10J
	price, fee            = 25, 5
)

// TestRush: three servers share one PostgreSQL database; 300 buyers race through them
// for 100 seats, buying one to three seats at a time, some releasing and buying again.
// Then: no seat was ever sold while sold (the load generator's live check, and the
// journal replayed seat by seat), every 201 a buyer got is in the ledger and nothing else
// is, the money adds up, and `ledger verify` passes over the blocks the three servers
// sealed while they raced.
func TestRush(t *testing.T) {
	pgtest.Require(t)
	e := &rushEnv{dir: t.TempDir(), db: pgtest.Database(t)}
	e.bin = buildBinary(t, e.dir)
	e.server = e.serve(t, "--block-interval", "100ms") // creates the ledger
	e.setUp(t)
	servers := []string{e.server, e.serve(t), e.serve(t)}
	log := filepath.Join(e.dir, "committed.jsonl")
	args := []string{"loadtest", "--key", e.key, "--contract", e.contract, "--clients", "300", "--requests", "4000", "--duration", "2m",
		"--seats-per-order", "3", "--release", "0.3", "--log", log, "--json"}
	for _, s := range servers {
		args = append(args, "--server", s)
	}
	out := e.run(t, args...)
	var rep struct {
		Reservations, Releases, TransportErrors, Oversold, Mismatched int64
		Statuses                                                      map[string]int64
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("loadtest report: %v\n%s", err, out)
	}
	t.Logf("loadtest: %s", out)
	if rep.Oversold != 0 || rep.Mismatched != 0 || rep.TransportErrors != 0 {
		t.Errorf("loadtest saw %d oversold, %d seats not as told, %d failed requests", rep.Oversold, rep.Mismatched, rep.TransportErrors)
	}
	for status := range rep.Statuses {
		if status != "201" && status != "400" {
			t.Errorf("answers with status %s: %d (only 201 and 400 'taken' belong in a rush)", status, rep.Statuses[status])
		}
	}
	if rep.Reservations < 150 || rep.Releases < 50 {
		t.Fatalf("%d reservations and %d releases: too little racing to tell anything", rep.Reservations, rep.Releases)
	}
	checkLedger(t, e, readCommitted(t, log))
	var verify ledger.VerifyReport
	if err := json.Unmarshal([]byte(e.remote(t, "ledger", "verify", "--json")), &verify); err != nil {
		t.Fatalf("ledger verify: %v", err)
	}
	if !verify.OK || verify.Blocks < 3 {
		t.Errorf("ledger verify = %+v, want OK over the blocks sealed during the rush", verify)
	}
	t.Logf("ledger verify: %d transactions in %d blocks", verify.Transactions, verify.Blocks)
}

// buildBinary builds ticketbooth into dir.
func buildBinary(t testing.TB, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "ticketbooth")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/ticketbooth-go/ticketbooth/cmd/ticketbooth").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// run runs the binary on the rush's database and returns its standard output.
func (e *rushEnv) run(t testing.TB, args ...string) string {
	t.Helper()
	cmd := exec.Command(e.bin, args...)
	cmd.Env = append(os.Environ(), "TICKETBOOTH_DB="+e.db)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("ticketbooth %s: %v\n%s%s", strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String()
}

// lastLine returns the last line of out: where keys and contract addresses are printed.
func lastLine(out string) string {
	lines := strings.Split(strings.TrimSpace(out), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// remote runs a command through the first server with the organizer's key.
func (e *rushEnv) remote(t testing.TB, args ...string) string {
	t.Helper()
	return e.run(t, append(args, "--server", e.server, "--key", e.organizer)...)
}

// setUp makes the keys in-process on the database while the first server runs, then a
// 100-seat contract with a release fee and an open sale through that server.
func (e *rushEnv) setUp(t *testing.T) {
	t.Helper()
	e.organizer = lastLine(e.run(t, "keys", "create", "--role", "organizer", "--name", "promoter"))
	e.key = lastLine(e.run(t, "keys", "create", "--role", "box-office", "--name", "rush shop"))
	var seats []string
	for row := 1; row <= seatRows; row++ {
		for k := range seatsPerRow {
			seats = append(seats, fmt.Sprintf("%d%c", row, 'A'+k))
		}
	}
	e.contract = lastLine(e.remote(t, "contract", "create", "--venue", "Rush Hall", "--seats", strings.Join(seats, ",")))
	if err := ledger.ValidateAddress(e.contract); err != nil {
		t.Fatalf("contract create printed %q: %v", e.contract, err)
	}
	e.remote(t, "rules", "set", "--contract", e.contract, "--fee", fmt.Sprint(fee))
	e.remote(t, "sale", "begin", "--contract", e.contract, "--name", "The Rush", "--organiser", "Promoter",
		"--time", fmt.Sprint(time.Now().Add(48*time.Hour).Unix()), "--ends-in", "1h", "--price", ledger.FormatAmount("EUR", price))
}

var servingAt = regexp.MustCompile(`on (http://127\.0\.0\.1:[0-9]+)`)

// serve starts a server on a free loopback port and returns its URL; it is stopped with
// SIGTERM when the test ends.
func (e *rushEnv) serve(t testing.TB, args ...string) string {
	t.Helper()
	cmd := exec.Command(e.bin, append([]string{"serve", "--addr", "127.0.0.1:0", "--log-format", "json"}, args...)...)
	cmd.Env = append(os.Environ(), "TICKETBOOTH_DB="+e.db)
	logs, err := os.Create(filepath.Join(e.dir, fmt.Sprintf("serve-%d.log", time.Now().UnixNano())))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = logs
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
		logs.Close()
		if t.Failed() {
			showProblems(t, logs.Name())
		}
	})
	lines := bufio.NewScanner(stdout)
	if !lines.Scan() {
		t.Fatalf("serve printed nothing; see %s", logs.Name())
	}
	m := servingAt.FindStringSubmatch(lines.Text())
	if m == nil {
		t.Fatalf("serve said %q", lines.Text())
	}
	go func() {
		for lines.Scan() {
		}
	}()
	return m[1]
}

// showProblems logs a failed test's server log lines of level WARN or ERROR (at most 20),
// which the temporary folder takes away with it.
func showProblems(t testing.TB, path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		return
	}
	shown := 0
	for _, line := range strings.Split(string(data), "\n") {
		if shown < 20 && (strings.Contains(line, `"level":"ERROR"`) || strings.Contains(line, `"level":"WARN"`)) {
			t.Logf("%s: %s", filepath.Base(path), line)
			shown++
		}
	}
}
