package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/internal/batch"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
)

// journalLength counts the ledger's transactions.
func journalLength(t *testing.T, db string) int64 {
	t.Helper()
	st, err := sqlstore.Open(context.Background(), db, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rep, err := st.Journal.Verify(ledger.WithActor(context.Background(), ledger.Actor{Admin: true}))
	if err != nil {
		t.Fatal(err)
	}
	return rep.Transactions
}

// The README's evening: reserve writes alice.pdf, decode prints its code, scan checks in
// both of its seats; a batch PDF of eight pages gives eight codes, every one scanned.
func TestDecodeAndScanPDFs(t *testing.T) {
	db := newDB(t, time.Second)
	conn := []string{"--db", db}
	address := theatreOnSale(t, conn, "1h", "--identity")
	dir := t.TempDir()
	alice := filepath.Join(dir, "alice.pdf")
	mustCLI(t, append([]string{"reserve", "--contract", address, "--seat", "1A", "--seat", "1B", "--sender", "alice",
		"--name", "Zoë Łukasiewicz-Ødegård", "--out", alice}, conn...)...)
	r := runCLI(t, "", "decode", alice)
	if r.code != 0 || strings.Count(r.stdout, "\n") != 1 || !strings.HasPrefix(r.stdout, alice+": [{") || !strings.Contains(r.stderr, "on page 1") {
		t.Fatalf("decode alice.pdf: exit %d %q %q", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, "", append([]string{"scan", "--contract", address, "--gate", "north"}, append(conn, alice)...)...)
	if r.code != 0 || !strings.Contains(r.stdout, "ADMIT   1A — Zoë Łukasiewicz-Ødegård") || !strings.Contains(r.stdout, "ADMIT   1B") {
		t.Fatalf("scan alice.pdf: exit %d %q %q", r.code, r.stdout, r.stderr)
	}

	batchPDF, qr := filepath.Join(dir, "batch.pdf"), filepath.Join(dir, "qr.json")
	mustCLI(t, append([]string{"issue", "--contract", address, "--all-available", "--sender", "box office", "--name", "Ελένη",
		"--out", batchPDF, "--qr-json", qr, "--layout", "a6"}, conn...)...)
	var entries []batch.QREntry
	raw, _ := os.ReadFile(qr)
	if err := json.Unmarshal(raw, &entries); err != nil || len(entries) != 6 {
		t.Fatalf("qr json: %v, %d entries", err, len(entries))
	}
	r = runCLI(t, "", "decode", "--json", batchPDF)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if r.code != 0 || len(lines) != len(entries) {
		t.Fatalf("decode --json batch.pdf: exit %d %q %q", r.code, r.stdout, r.stderr)
	}
	for i, line := range lines {
		var got decodedLine
		if err := json.Unmarshal([]byte(line), &got); err != nil || got.Page == nil || *got.Page != i+1 || got.Text != entries[i].QR {
			t.Errorf("line %d: %s (%v), want page %d with %q", i+1, line, err, i+1, entries[i].QR)
		}
	}
	r = runCLI(t, "", append([]string{"scan", "--contract", address}, append(conn, batchPDF)...)...)
	if r.code != 0 || strings.Count(r.stdout, "ADMIT") != 6 {
		t.Fatalf("scan batch.pdf: exit %d %q %q", r.code, r.stdout, r.stderr)
	}
}

// A file that is neither a picture nor a PDF (nor QR text) is refused in one line with
// exit 2, and nothing is journaled.
func TestScanRefusesOtherFiles(t *testing.T) {
	db := newDB(t, time.Second)
	address := theatreOnSale(t, []string{"--db", db}, "1h")
	other := filepath.Join(t.TempDir(), "notes.docx")
	if err := os.WriteFile(other, []byte("PK\x03\x04\x14\x00binary zip data\x00\x01"), 0o600); err != nil {
		t.Fatal(err)
	}
	before := journalLength(t, db)
	r := runCLI(t, "", "scan", "--db", db, "--contract", address, other)
	if r.code != exitUsage || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, "neither a picture (PNG, JPEG or GIF) nor a PDF") {
		t.Fatalf("scan notes.docx: exit %d %q %q", r.code, r.stdout, r.stderr)
	}
	if after := journalLength(t, db); after != before {
		t.Errorf("the refused file journaled %d transactions", after-before)
	}
	r = runCLI(t, "", "decode", other)
	if r.code != exitUsage || !strings.Contains(r.stderr, "neither a picture") {
		t.Fatalf("decode notes.docx: exit %d %q %q", r.code, r.stdout, r.stderr)
	}
}
