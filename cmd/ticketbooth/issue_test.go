package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/internal/batchfile"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
)

// sqliteDB creates a SQLite ledger file (these tests crash batches on purpose and read
// the file back, so they do not need PostgreSQL).
func sqliteDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ledger.db")
	st, err := sqlstore.Open(context.Background(), path, sqlstore.Options{BlockInterval: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	return path
}

// crashedBatch writes what a batch killed at the worst moments leaves: chunk 0 sold with
// no committed line (killed right after the sale) and chunk 1 pending, never sold.
func crashedBatch(t *testing.T, db, address, file string) {
	t.Helper()
	st, err := sqlstore.Open(context.Background(), db, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := ledger.WithActor(context.Background(), ledger.Actor{Admin: true, Name: "admin"})
	seats, _ := parseSeatList("1A,1B,2A,2B,3A,3B,4A,4B")
	log, err := batchfile.Create(file, batchfile.Header{Contract: address, Sender: "sponsor", Layout: "a4", PDF: "sponsor.pdf", Seats: seats})
	if err != nil {
		t.Fatal(err)
	}
	for n, part := range [][]ledger.Seat{seats[:3], seats[3:5]} {
		prep, err := issuer.Prepare(address, issuer.Request{Seats: part, Sender: "sponsor", TicketsPerQR: 1}, false)
		if err != nil {
			t.Fatal(err)
		}
		if err := log.Pending(n, prep.Purchase); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			if _, err := (&issuer.Issuer{Ledger: st.Selling}).Sell(ctx, address, prep); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := log.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte(`{"chunk":2,"state":"pend`)) // torn by the kill
	f.Close()
}

func TestIssueResumeSettlesPendingChunks(t *testing.T) {
	db := sqliteDB(t)
	address := theatreOnSale(t, []string{"--db", db}, "1h")
	dir := t.TempDir()
	file := filepath.Join(dir, "sponsor.qr.jsonl")
	crashedBatch(t, db, address, file)

	out := mustCLI(t, "issue", "--db", db, "--resume", file)
	if !strings.Contains(out, "issued 8 tickets to sponsor into "+filepath.Join(dir, "sponsor.pdf")) {
		t.Errorf("resume = %q", out)
	}
	bf, err := batchfile.Read(file)
	if err != nil {
		t.Fatal(err)
	}
	var states []string
	for _, ch := range bf.Chunks {
		states = append(states, ch.State)
	}
	if got := strings.Join(states, ","); got != "recovered,dropped,committed" {
		t.Errorf("chunk states = %s, want recovered,dropped,committed", got)
	}
	if sold := checkSoldSeatsHaveQR(t, db, address, file, "sponsor"); len(sold) != 8 {
		t.Errorf("%d seats sold, want 8", len(sold))
	}
	checkIssuedOnce(t, file, 8)
	checkBatchPDF(t, filepath.Join(dir, "sponsor.pdf"), file, 8)
}

func TestIssueRefusesToOverwriteABatchFile(t *testing.T) {
	db := sqliteDB(t)
	address := theatreOnSale(t, []string{"--db", db}, "1h")
	out := filepath.Join(t.TempDir(), "box.pdf")
	os.WriteFile(batchfile.PathFor(out), []byte("tickets nobody else has\n"), 0o600)
	r := runCLI(t, "", "issue", "--db", db, "--contract", address, "--seats", "1A", "--sender", "box", "--out", out)
	if r.code != exitFailed || !strings.Contains(r.stderr, "may hold the only copy of sold tickets") {
		t.Errorf("issue over a batch file: exit %d %q", r.code, r.stderr)
	}
	if b, _ := os.ReadFile(batchfile.PathFor(out)); string(b) != "tickets nobody else has\n" {
		t.Errorf("the batch file was changed to %q", b)
	}
	r = runCLI(t, "", "issue", "--db", db, "--resume", batchfile.PathFor(out))
	if r.code != exitUsage || !strings.Contains(r.stderr, "not a ticketbooth batch file") {
		t.Errorf("resume of a foreign file: exit %d %q", r.code, r.stderr)
	}
	r = runCLI(t, "", "issue", "--db", db, "--resume", batchfile.PathFor(out), "--seats", "1A")
	if r.code != exitUsage {
		t.Errorf("resume with --seats: exit %d %q", r.code, r.stderr)
	}
}

// TestIssueRemoteSealsBeforeSelling issues through a server: the tickets are sealed in
// the CLI and written to the batch file before the server sells them.
func TestIssueRemoteSealsBeforeSelling(t *testing.T) {
	url, organizer, _, db := remote(t)
	conn := []string{"--server", url, "--key", organizer}
	address := theatreOnSale(t, conn, "1h")
	pdf := filepath.Join(t.TempDir(), "remote.pdf")
	out := mustCLI(t, append([]string{"issue", "--contract", address, "--seats", "1A,1B,2A", "--sender", "shop", "--out", pdf}, conn...)...)
	if !strings.Contains(out, "issued 3 tickets to shop") {
		t.Errorf("remote issue = %q", out)
	}
	if sold := checkSoldSeatsHaveQR(t, db, address, batchfile.PathFor(pdf), "shop"); len(sold) != 3 {
		t.Errorf("%d seats sold, want 3", len(sold))
	}
	checkIssuedOnce(t, batchfile.PathFor(pdf), 3)
}

// TestIssueResumeAllAvailableLeavesHeldSeats: resuming a batch of every available seat
// that stopped before selling leaves out a seat a booking held meanwhile, as it leaves
// out one sold meanwhile, rather than failing on it.
func TestIssueResumeAllAvailableLeavesHeldSeats(t *testing.T) {
	db := sqliteDB(t)
	address := theatreOnSale(t, []string{"--db", db}, "1h")
	dir := t.TempDir()
	file := filepath.Join(dir, "sponsor.qr.jsonl")
	seats, _ := parseSeatList("1A,1B,2A,2B,3A,3B,4A,4B")
	log, err := batchfile.Create(file, batchfile.Header{Contract: address, Sender: "sponsor", Layout: "a4", PDF: "sponsor.pdf",
		Seats: seats, AllAvailable: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := log.Close(); err != nil {
		t.Fatal(err)
	}
	st, err := sqlstore.Open(context.Background(), db, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	admin := ledger.WithActor(context.Background(), ledger.Actor{Admin: true})
	cu, err := st.Customers.CreateCustomer(admin, ledger.Customer{LastName: "Example"})
	if err == nil {
		var bk ledger.Booking
		if bk, err = st.Bookings.NewBooking(admin, address, cu.ID); err == nil {
			_, err = st.Bookings.Hold(admin, bk.ID, ledger.HoldSeats("", seats[6:7]...))
		}
	}
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	out := mustCLI(t, "issue", "--db", db, "--resume", file)
	if !strings.Contains(out, "issued 7 tickets to sponsor") {
		t.Errorf("resume = %q, want the 7 seats no booking holds", out)
	}
}
