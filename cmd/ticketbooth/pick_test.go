package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/internal/testtool"
)

// TestStandingCommands: contract create --standing makes a general-admission section,
// contract show names it, booking add --quantity holds places and seats the ledger
// picks, bad picks get their exit statuses in words; a confirmed booking of places
// prints a PDF whose QR zbarimg reads back and the gate admits.
func TestStandingCommands(t *testing.T) {
	db := newDB(t, time.Second)
	conn := []string{"--db", db}
	if r := runCLI(t, "", "contract", "create", "--venue", "Festival Park", "--standing", "Pit", "--db", db); r.code != exitUsage || !strings.Contains(r.stderr, "NAME=CAPACITY") {
		t.Errorf("--standing Pit: exit %d %q", r.code, r.stderr)
	}
	address := lastLine(mustCLI(t, "contract", "create", "--venue", "Festival Park", "--seats", "1A,2A,3A", "--standing", "Pit=3", "--db", db))
	if out := mustCLI(t, "contract", "show", "--contract", address, "--db", db); !strings.Contains(out, "standing  Pit (3 places) (general admission") || !strings.Contains(out, "(6 seats)") {
		t.Errorf("contract show printed %q", out)
	}
	mustCLI(t, "sale", "begin", "--contract", address, "--name", "Open Air", "--organiser", "Park Sounds", "--db", db,
		"--time", time.Now().Add(48*time.Hour).Format(time.RFC3339), "--ends-in", "1h", "--price", "20.00")
	booking := func() string {
		customer := strings.TrimSpace(mustCLI(t, "customer", "add", "--quiet", "--last-name", "Tomson", "--db", db))
		out := mustCLI(t, "booking", "new", "--contract", address, "--customer", customer, "--db", db)
		return strings.Fields(strings.TrimPrefix(out, "opened booking "))[0]
	}
	id := strings.TrimSuffix(booking(), ":")
	out := mustCLI(t, append([]string{"booking", "add", "--booking", id, "--quantity", "2", "--section", "Pit"}, conn...)...)
	if !strings.Contains(out, "Pit/1  reserved") || !strings.Contains(out, "Pit/2  reserved") {
		t.Errorf("booking add --quantity 2 --section Pit printed %q", out)
	}
	other := strings.TrimSuffix(booking(), ":")
	for _, tc := range []struct {
		args []string
		code int
		part string
	}{
		{[]string{"--quantity", "2", "--section", "Pit"}, 1, `Only 1 place remains in section "Pit": 2 were asked for`},
		{[]string{"--quantity", "0", "--section", "Pit"}, exitUsage, "Quantity must be at least 1"},
		{[]string{"--quantity", "1", "--section", "Balcony"}, 1, `no section "Balcony"`},
		{[]string{"--quantity", "1", "--seat", "1A"}, exitUsage, "not both"},
		{[]string{"--section", "Pit"}, exitUsage, "--quantity N is required"},
		{[]string{"--quantity", "1", "--price-level", "12.345"}, exitUsage, "12.345"},
	} {
		r := runCLI(t, "", append(append([]string{"booking", "add", "--booking", other}, tc.args...), conn...)...)
		if r.code != tc.code || !strings.Contains(r.stderr, tc.part) {
			t.Errorf("booking add %v: exit %d, stderr %q; want exit %d saying %q", tc.args, r.code, r.stderr, tc.code, tc.part)
		}
	}
	out = mustCLI(t, append([]string{"booking", "add", "--booking", other, "--quantity", "2", "--price-level", "20.00"}, conn...)...)
	if !strings.Contains(out, "1A  reserved") || !strings.Contains(out, "2A  reserved") {
		t.Errorf("booking add --price-level 20.00 printed %q", out)
	}
	pdf := filepath.Join(t.TempDir(), "pit.pdf")
	mustCLI(t, append([]string{"booking", "confirm", "--booking", id, "--out", pdf, "--layout", "a6"}, conn...)...)
	qr := zbarFirstPage(t, pdf)
	r := runCLI(t, qr+"\n", append([]string{"scan", "--contract", address, "--gate", "north"}, append(conn, "-")...)...)
	if r.code != 0 || !strings.Contains(r.stdout, "ADMIT") || !strings.Contains(r.stdout, "Pit/1") {
		t.Errorf("scanning the place's QR as zbarimg read it: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
}

// TestFestivalFixture: the festival fixture brings its standing sections to contract
// create, its price list prices the places, and places are held by quantity.
func TestFestivalFixture(t *testing.T) {
	db := newDB(t, time.Second)
	address := lastLine(mustCLI(t, "contract", "create", "--fixture", "festival", "--db", db))
	if out := mustCLI(t, "contract", "show", "--contract", address, "--db", db); !strings.Contains(out, "Pit (2000 places), Lawn (5000 places)") {
		t.Errorf("contract show printed %q", out)
	}
	mustCLI(t, "sale", "begin", "--contract", address, "--name", "Open Air", "--organiser", "Park Sounds", "--db", db,
		"--time", time.Now().Add(48*time.Hour).Format(time.RFC3339), "--ends-in", "1h", "--prices-fixture", "festival")
	customer := strings.TrimSpace(mustCLI(t, "customer", "add", "--quiet", "--last-name", "Tomson", "--db", db))
	id := strings.TrimSuffix(strings.Fields(strings.TrimPrefix(mustCLI(t, "booking", "new", "--contract", address, "--customer", customer, "--db", db), "opened booking "))[0], ":")
	out := mustCLI(t, "booking", "add", "--booking", id, "--quantity", "2", "--section", "Lawn", "--db", db)
	if !strings.Contains(out, "Lawn/1  reserved  3900") || !strings.Contains(out, "Lawn/2  reserved  3900") {
		t.Errorf("booking add --section Lawn printed %q", out)
	}
}

// zbarFirstPage renders the PDF's first page and returns the QR text zbarimg reads on it.
func zbarFirstPage(t *testing.T, pdf string) string {
	t.Helper()
	pdftoppm := testtool.Need(t, "pdftoppm", "poppler-utils")
	zbarimg := testtool.Need(t, "zbarimg", "zbar-tools")
	prefix := filepath.Join(t.TempDir(), "page")
	if out, err := exec.Command(pdftoppm, "-f", "1", "-l", "1", "-r", "150", "-png", "-singlefile", pdf, prefix).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	text, err := exec.Command(zbarimg, "-q", "--raw", "-Sdisable", "-Sqrcode.enable", prefix+".png").Output()
	qr := strings.TrimRight(string(text), "\n")
	if err != nil || qr == "" {
		t.Fatalf("zbarimg read %q (%v) on the ticket's first page", qr, err)
	}
	return qr
}
