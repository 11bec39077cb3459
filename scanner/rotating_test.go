package scanner_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/scanner"
)

// TestGateRotatingCode: QR text that starts TBR1. is read as a rotating code: a malformed
// one is journaled as a malformed scan with the parser's reason, a well-formed one reaches
// the ledger, which refuses it for a ticket without a phone (the ledger's own tests cover
// admission).
func TestGateRotatingCode(t *testing.T) {
	e := newGateEnv(t)
	res, err := e.gate.CheckIn(e.scanner, e.address, scanner.Scan{QR: "TBR1." + e.address + ".1A.12.short"})
	if ledger.ErrorCode(err) != ledger.EINVALID || len(res) != 1 || res[0].Status != ledger.StatusMalformed ||
		!strings.Contains(res[0].Reason, "signature must be 86 base64url characters") {
		t.Fatalf("a malformed code: %+v, %v", res, err)
	}
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	code, err := ledger.SignRotatingCode(key, e.address, ledger.Seat{Number: 1, Letter: "A"}, 12)
	if err != nil {
		t.Fatal(err)
	}
	res, err = e.gate.CheckIn(e.scanner, e.address, scanner.Scan{QR: code.Text() + "\n"})
	if err != nil || len(res) != 1 || res[0].Status == ledger.StatusAdmitted || res[0].Status == ledger.StatusMalformed {
		t.Fatalf("a code for a ticket without a phone: %+v, %v", res, err)
	}
}
