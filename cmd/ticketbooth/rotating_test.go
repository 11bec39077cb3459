package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"strings"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// TestScanRotatingCode: `scan` reads a line starting TBR1. as a SECURE ticket's rotating
// code, in-process and through a server: a malformed one is refused with the parser's
// reason, a well-formed one reaches the ledger, which refuses a ticket without a phone in
// words (the ledger's and the server's tests admit codes).
func TestScanRotatingCode(t *testing.T) {
	url, organizer, scannerKey, db := remote(t)
	address := theatreOnSale(t, []string{"--server", url, "--key", organizer}, "1h")
	mustCLI(t, "reserve", "--contract", address, "--seat", "2A", "--sender", "zoe", "--out", t.TempDir()+"/zoe.json", "--server", url, "--key", organizer)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	code, err := ledger.SignRotatingCode(key, address, ledger.Seat{Number: 2, Letter: "A"}, ledger.RotatingStepAt(time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	lines := "TBR1." + address + ".2A.1.tooshort\n" + code.Text() + "\n"
	for _, conn := range [][]string{{"--server", url, "--key", scannerKey}, {"--db", db}} {
		r := runCLI(t, lines, append(append([]string{"scan", "--contract", address}, conn...), "-")...)
		if r.code != exitNotAdmitted || !strings.Contains(r.stdout, "REJECT  ?: Rotating code's signature must be 86 base64url characters") ||
			!strings.Contains(r.stdout, "REJECT  2A: no phone is registered for this ticket") {
			t.Errorf("scan %v: exit %d %q %q", conn, r.code, r.stdout, r.stderr)
		}
	}
}
