package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/internal/batchfile"
	"github.com/ticketbooth-go/ticketbooth/internal/testtool"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
	"github.com/ticketbooth-go/ticketbooth/scanner"
)

// batchProc is the ticketbooth binary run as a separate process on a SQLite ledger.
type batchProc struct {
	bin, db, dir string
}

func newBatchProc(t *testing.T) *batchProc {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "ticketbooth")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/ticketbooth-go/ticketbooth/cmd/ticketbooth").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return &batchProc{bin: bin, db: filepath.Join(dir, "hall.db"), dir: dir}
}

func (p *batchProc) command(args ...string) (*exec.Cmd, *bytes.Buffer) {
	cmd := exec.Command(p.bin, args...)
	cmd.Env = append(os.Environ(), "TICKETBOOTH_DB="+p.db)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	return cmd, &stderr
}

func (p *batchProc) run(t *testing.T, args ...string) string {
	t.Helper()
	cmd, stderr := p.command(args...)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("ticketbooth %s: %v\n%s%s", strings.Join(args, " "), err, out, stderr)
	}
	return string(out)
}

// proc is a started process: done closes when it has exited.
type proc struct {
	cmd    *exec.Cmd
	stderr *bytes.Buffer
	done   chan struct{}
}

// start starts a command.
func (p *batchProc) start(t *testing.T, args ...string) *proc {
	t.Helper()
	cmd, stderr := p.command(args...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pr := &proc{cmd: cmd, stderr: stderr, done: make(chan struct{})}
	go func() { cmd.Wait(); close(pr.done) }()
	t.Cleanup(func() { cmd.Process.Kill(); <-pr.done })
	return pr
}

// exitCode waits for the process and returns its exit status, -1 when killed.
func (pr *proc) exitCode() int {
	<-pr.done
	return pr.cmd.ProcessState.ExitCode()
}

// ledgerLock holds the SQLite ledger's write lock, so a batch blocks when it sells its
// next chunk, having written that chunk's pending line: the test then signals it at a
// known point, with no timing involved.
type ledgerLock struct{ conn *sql.Conn }

func lockLedger(t *testing.T, path string) *ledgerLock {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(context.Background(), "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	return &ledgerLock{conn: conn}
}

// sold counts the seats sold in the ledger as the lock holder sees it: nothing changes
// while the lock is held.
func (l *ledgerLock) sold(t *testing.T) int {
	t.Helper()
	var n int
	if err := l.conn.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM tickets WHERE secret_digest <> ''").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func (l *ledgerLock) release(t *testing.T) {
	t.Helper()
	if _, err := l.conn.ExecContext(context.Background(), "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	l.conn.Close()
}

// waitFile waits until ok holds for the batch file's whole lines; it fails when the
// process exits first.
func waitFile(t *testing.T, path string, pr *proc, ok func(lines []string) bool) {
	t.Helper()
	for deadline := time.Now().Add(3 * time.Minute); time.Now().Before(deadline); {
		b, _ := os.ReadFile(path)
		lines := strings.Split(string(b), "\n")
		if ok(lines[:len(lines)-1]) {
			return
		}
		select {
		case <-pr.done:
			t.Fatalf("the batch exited before the test could stop it: %s", pr.stderr)
		case <-time.After(5 * time.Millisecond):
		}
	}
	t.Fatalf("the batch file never reached the state awaited: %s", pr.stderr)
}

// stopAtPending holds the ledger's write lock until the batch has written a chunk's
// pending line and so waits to sell it, then sends sig and lets go of the lock. The
// lock is taken once the file has more than after lines: the process has opened the
// ledger by then.
func stopAtPending(t *testing.T, db, file string, pr *proc, sig os.Signal, after int) {
	t.Helper()
	waitFile(t, file, pr, func(lines []string) bool { return len(lines) > after })
	lock := lockLedger(t, db)
	waitFile(t, file, pr, func(lines []string) bool {
		// The chunk may have been sold before the lock was taken, its committed line not
		// written yet: then the batch is not waiting on this chunk, but on the next. The
		// ledger stands still under the lock; the file is read once, for both checks.
		bf, err := batchfile.Read(file)
		if err != nil || len(bf.Chunks) == 0 || bf.Chunks[len(bf.Chunks)-1].State != batchfile.Pending {
			return false
		}
		return lock.sold(t) == chunkSeats(bf, batchfile.Committed, batchfile.Recovered)
	})
	pr.cmd.Process.Signal(sig)
	if sig == os.Kill {
		<-pr.done
	}
	lock.release(t)
}

// fileSeats counts the tickets of the batch file's chunks in the given states.
func fileSeats(t *testing.T, file string, states ...string) int {
	t.Helper()
	bf, err := batchfile.Read(file)
	if err != nil {
		t.Fatal(err)
	}
	return chunkSeats(bf, states...)
}

// chunkSeats counts the tickets of the batch's chunks in the given states.
func chunkSeats(bf *batchfile.File, states ...string) int {
	n := 0
	for _, ch := range bf.Chunks {
		for _, s := range states {
			if ch.State == s {
				n += len(ch.Written)
			}
		}
	}
	return n
}

// checkSoldSeatsHaveQR checks the ledger against the batch file: every seat sold to the
// batch's sender has a QR text in the file, and that QR text passes the gate (verify
// only). It returns the seats sold to the sender.
func checkSoldSeatsHaveQR(t *testing.T, db, address, file, sender string) map[string]bool {
	t.Helper()
	bf, err := batchfile.Read(file)
	if err != nil {
		t.Fatal(err)
	}
	qr := map[string]string{}
	for _, ch := range bf.Chunks {
		for _, tk := range ch.Written {
			qr[tk.Seat.Key()] = tk.QR // a later chunk's text replaces a dropped one's
		}
	}
	st, err := sqlstore.Open(context.Background(), db, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := ledger.WithActor(context.Background(), ledger.Actor{Admin: true, Name: "admin"})
	tickets, err := st.Contracts.Tickets(ctx, address)
	if err != nil {
		t.Fatal(err)
	}
	gate := &scanner.Gate{Ledger: st.Gate}
	sold := map[string]bool{}
	for _, tk := range tickets {
		if tk.Address == ledger.ZeroAddress {
			continue
		}
		if tk.Sender != sender { // the administrator sees senders; the list shows holder addresses
			t.Fatalf("seat %s sold to %q, not the batch's sender", tk.Seat, tk.Sender)
		}
		sold[tk.Seat.Key()] = true
		text, ok := qr[tk.Seat.Key()]
		if !ok {
			t.Fatalf("seat %s is sold but its QR text is not in %s", tk.Seat, filepath.Base(file))
		}
		res, err := gate.CheckIn(ctx, address, scanner.Scan{QR: text, Gate: "test", VerifyOnly: true})
		if err != nil || len(res) != 1 || res[0].Status != ledger.StatusValid {
			t.Fatalf("seat %s: the gate says %+v (%v) to its QR text from the batch file", tk.Seat, res, err)
		}
	}
	return sold
}

// TestIssueInterruptedAndResumed runs issue as a real process on a 2,000-seat arena,
// stops it with SIGINT and with SIGKILL at chosen and at arbitrary points, and resumes it:
// no sold seat ever lacks its QR text in the batch file, and the finished batch has every
// seat once, in the file and in the PDF.
func TestIssueInterruptedAndResumed(t *testing.T) {
	const seats, sender = 2000, "box office"
	p := newBatchProc(t)
	venue := filepath.Join(p.dir, "arena.json")
	os.WriteFile(venue, []byte(`{"venue": "Arena", "sections": [{"section": "Floor", "rows": "A-T", "numbers": "1-100"}]}`), 0o600)
	address := lastLine(p.run(t, "contract", "create", "--seats-file", venue))
	p.run(t, "sale", "begin", "--contract", address, "--name", "Messiah", "--organiser", "Choir",
		"--time", time.Now().Add(48*time.Hour).Format(time.RFC3339), "--ends-in", "2h", "--price", "4000")
	pdf := filepath.Join(p.dir, "arena.pdf")
	file := filepath.Join(p.dir, "arena.qr.jsonl")
	resume := []string{"issue", "--resume", file}

	// SIGINT while a chunk waits to be sold: that chunk is sold, then the batch stops.
	pr := p.start(t, "issue", "--contract", address, "--all-available", "--sender", sender, "--out", pdf)
	stopAtPending(t, p.db, file, pr, os.Interrupt, 0)
	if code := pr.exitCode(); code != 130 {
		t.Fatalf("SIGINT: exit %d, want 130\n%s", code, pr.stderr)
	}
	issued := fileSeats(t, file, batchfile.Committed)
	for _, want := range []string{"the batch was interrupted (SIGINT)", fmt.Sprintf("%d of %d tickets were issued to box office", issued, seats),
		"their QR texts are in " + file, "ticketbooth issue --db " + p.db + " --resume " + file} {
		if !strings.Contains(pr.stderr.String(), want) {
			t.Errorf("SIGINT message lacks %q:\n%s", want, pr.stderr)
		}
	}
	if sold := checkSoldSeatsHaveQR(t, p.db, address, file, sender); len(sold) != issued || fileSeats(t, file, batchfile.Pending) != 0 {
		t.Fatalf("after SIGINT %d seats are sold, want %d, and no chunk pending", len(sold), issued)
	}
	if _, err := os.Stat(pdf); !os.IsNotExist(err) {
		t.Errorf("an interrupted batch left %s (%v)", pdf, err)
	}

	// SIGKILL while a resumed batch waits to sell a chunk, pending on disk: not sold.
	n := lineCount(t, file)
	pr = p.start(t, resume...)
	stopAtPending(t, p.db, file, pr, os.Kill, n)
	issued = fileSeats(t, file, batchfile.Committed, batchfile.Recovered)
	if sold := checkSoldSeatsHaveQR(t, p.db, address, file, sender); len(sold) != issued || fileSeats(t, file, batchfile.Pending) == 0 {
		t.Fatalf("after SIGKILL before a sale %d seats are sold, want %d, and a chunk pending", len(sold), issued)
	}

	// SIGKILL wherever a free-running resume happens to be.
	n = lineCount(t, file)
	pr = p.start(t, resume...)
	waitFile(t, file, pr, func(lines []string) bool { return len(lines) >= n+3 })
	pr.cmd.Process.Kill()
	pr.exitCode()
	checkSoldSeatsHaveQR(t, p.db, address, file, sender)

	out := p.run(t, resume...)
	if !strings.Contains(out, fmt.Sprintf("issued %d tickets to box office into %s", seats, pdf)) {
		t.Errorf("resume = %q", out)
	}
	if sold := checkSoldSeatsHaveQR(t, p.db, address, file, sender); len(sold) != seats {
		t.Fatalf("after resume %d seats are sold, want %d", len(sold), seats)
	}
	checkIssuedOnce(t, file, seats)
	checkBatchPDF(t, pdf, file, seats)
}

// checkIssuedOnce checks that the batch file's committed and recovered chunks hold n
// tickets, each seat once.
func checkIssuedOnce(t *testing.T, file string, n int) {
	t.Helper()
	bf, err := batchfile.Read(file)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, ch := range bf.Chunks {
		if ch.State == batchfile.Pending {
			t.Errorf("chunk %d is still pending after a finished resume", ch.Chunk)
		}
		if ch.State != batchfile.Committed && ch.State != batchfile.Recovered {
			continue
		}
		for _, tk := range ch.Written {
			if seen[tk.Seat.Key()] {
				t.Errorf("seat %s issued twice", tk.Seat)
			}
			seen[tk.Seat.Key()] = true
		}
	}
	if len(seen) != n {
		t.Errorf("the batch file issues %d seats, want %d", len(seen), n)
	}
}

// checkBatchPDF checks the PDF has a page for each of n tickets and that zbarimg reads,
// on its first and last pages, QR texts of the batch file.
func checkBatchPDF(t *testing.T, pdf, file string, n int) {
	t.Helper()
	pdfinfo := testtool.Need(t, "pdfinfo", "poppler-utils")
	info, err := exec.Command(pdfinfo, pdf).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	if !strings.Contains(string(info), "Pages:           "+strconv.Itoa(n)+"\n") {
		t.Errorf("pdfinfo %s:\n%s\nwant %d pages", pdf, info, n)
	}
	raw, _ := os.ReadFile(file)
	pdftoppm := testtool.Need(t, "pdftoppm", "poppler-utils")
	zbarimg := testtool.Need(t, "zbarimg", "zbar-tools")
	for _, page := range []string{"1", strconv.Itoa(n)} {
		prefix := filepath.Join(t.TempDir(), "page")
		if out, err := exec.Command(pdftoppm, "-f", page, "-l", page, "-r", "150", "-png", "-singlefile", pdf, prefix).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v %s", err, out)
		}
		text, err := exec.Command(zbarimg, "-q", "--raw", "-Sdisable", "-Sqrcode.enable", prefix+".png").Output()
		qr := strings.TrimRight(string(text), "\n")
		if err != nil || qr == "" || !bytes.Contains(raw, []byte(strconv.Quote(qr))) {
			t.Errorf("page %s: zbarimg read %q (%v), not a QR text of the batch file", page, qr, err)
		}
	}
}

func lineCount(t *testing.T, path string) int {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Count(b, []byte("\n"))
}
