package server_test

import (
	"crypto/aes"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/crypto"
	"github.com/ticketbooth-go/ticketbooth/internal/forge"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/scanner"
	"github.com/ticketbooth-go/ticketbooth/server"
)

var (
	secretPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{15}$`)
	hex64Pattern  = regexp.MustCompile(`^[0-9a-f]{64}$`)
	hex32Pattern  = regexp.MustCompile(`^[0-9a-f]{32}$`)
)

// saleRules are the rules a sale opens under.
type saleRules struct {
	fee, noReleaseBlocks int64
	identity             bool
}

// openSale creates a contract of alice's with the seats (JSON), sets the rules and begins
// a sale with the prices (JSON) ending blocks from now; it returns the address.
func (e *env) openSale(seats, prices string, blocks int64, rules saleRules) string {
	e.t.Helper()
	addr := e.create(seats)
	e.setRules(addr, rules)
	e.do("POST", api.ContractPath(addr, "BeginSale"), e.alice, e.saleBody(prices, blocks)).want(e.t, http.StatusCreated, nil)
	return addr
}

func (e *env) setRules(addr string, rules saleRules) {
	e.t.Helper()
	e.do("POST", api.ContractPath(addr, "TicketReleaseFee"), e.alice, `{"fee":`+itoa(rules.fee)+`}`).want(e.t, http.StatusCreated, nil)
	e.do("POST", api.ContractPath(addr, "NoReleaseBlocks"), e.alice, `{"count":`+itoa(rules.noReleaseBlocks)+`}`).want(e.t, http.StatusCreated, nil)
	identity := `{"requireIdentityVerification":` + map[bool]string{true: "true", false: "false"}[rules.identity] + `}`
	e.do("POST", api.ContractPath(addr, "IdentityVerificationPolicy"), e.alice, identity).want(e.t, http.StatusCreated, nil)
}

// seatJSON is a seat as the API writes it.
func seatJSON(number int, letter string) string {
	return `{"number":` + itoa(int64(number)) + `,"letter":"` + letter + `"}`
}

// reserveBody is a ReserveTicket body.
func reserveBody(seat, sender, name string) string {
	return `{"seat":` + seat + `,"sender":"` + sender + `","customerName":"` + name + `"}`
}

// buy reserves one seat with the shop's key and returns the answer.
func (e *env) buy(addr, seat, sender, name string) server.ReserveTicketResponse {
	e.t.Helper()
	var out server.ReserveTicketResponse
	e.do("POST", api.ContractPath(addr, "ReserveTicket"), e.shop, reserveBody(seat, sender, name)).want(e.t, http.StatusCreated, &out)
	return out
}

// ticketList returns the contract's public ticket list.
func (e *env) ticketList(addr string) []ledger.Ticket {
	e.t.Helper()
	var list []ledger.Ticket
	e.do("GET", api.ContractPath(addr, "Tickets"), "", "").want(e.t, http.StatusOK, &list)
	return list
}

// ticketOf returns the seat's entry of the ticket list.
func (e *env) ticketOf(addr string, seat ledger.Seat) ledger.Ticket {
	e.t.Helper()
	for _, tk := range e.ticketList(addr) {
		if tk.Seat == seat {
			return tk
		}
	}
	e.t.Fatalf("seat %s is not in the ticket list", seat)
	return ledger.Ticket{}
}

// ownerTicketOf returns the seat's entry of the ticket list as the contract's owner (alice)
// sees it, with its sender.
func (e *env) ownerTicketOf(addr string, seat ledger.Seat) ledger.Ticket {
	e.t.Helper()
	var list []ledger.Ticket
	e.do("GET", api.ContractPath(addr, "Tickets"), e.alice, "").want(e.t, http.StatusOK, &list)
	for _, tk := range list {
		if tk.Seat == seat {
			return tk
		}
	}
	e.t.Fatalf("seat %s is not in the ticket list", seat)
	return ledger.Ticket{}
}

// wantErrorText checks an error answer and that its sentence contains part.
func (r response) wantErrorText(t *testing.T, status int, code, part string) {
	t.Helper()
	r.wantError(t, status, code)
	var e api.ErrorResponse
	json.Unmarshal(r.body, &e)
	if !strings.Contains(e.Error, part) {
		t.Errorf("error %q does not say %q", e.Error, part)
	}
}

// scan posts the QR text to CheckIn (or VerifyTicket) with the key and wants 200.
func (e *env) scan(route, addr, key, qr, gate, nonce string) []ledger.CheckResult {
	e.t.Helper()
	body, _ := json.Marshal(api.CheckInRequest{QR: qr, Gate: gate, Nonce: nonce})
	var out api.CheckInResponse
	e.do("POST", api.ContractPath(addr, route), key, string(body)).want(e.t, http.StatusOK, &out)
	return out.Results
}

// admitOne scans a one-ticket QR at the gate and returns its only result.
func (e *env) admitOne(addr, qr, gate string) ledger.CheckResult {
	e.t.Helper()
	res := e.scan("CheckIn", addr, e.gate, qr, gate, "")
	if len(res) != 1 {
		e.t.Fatalf("%d results for a one-ticket QR: %+v", len(res), res)
	}
	return res[0]
}

// transactionCount is the number of transactions in the journal, as Verify counts them.
func (e *env) transactionCount() int64 {
	e.t.Helper()
	var rep ledger.VerifyReport
	e.do("POST", api.VerifyPath, e.alice, "").want(e.t, http.StatusOK, &rep)
	if !rep.OK {
		e.t.Fatalf("journal does not verify: %+v", rep)
	}
	return rep.Transactions
}

// receiptBody returns the raw JSON of a transaction's receipt.
func (e *env) receiptBody(hash string) []byte {
	e.t.Helper()
	r := e.do("GET", api.ReceiptsPath+hash, "", "")
	r.want(e.t, http.StatusOK, nil)
	return r.body
}

// journalHashes returns the hashes of the journal's transactions of a kind, oldest
// first, read from the ledger database; what they did is read through the receipts route.
func (e *env) journalHashes(kind string) []string {
	e.t.Helper()
	db := openRaw(e.t, e.path)
	defer db.Close()
	rows, err := db.Query(`SELECT hash FROM journal WHERE kind = `+arg()+` ORDER BY seq`, kind)
	if err != nil {
		e.t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			e.t.Fatal(err)
		}
		out = append(out, h)
	}
	return out
}

// openHex decrypts a hex ciphertext with hex key and IV.
func openHex(t *testing.T, keyHex, ivHex, ctHex string) (string, error) {
	t.Helper()
	key, err1 := hex.DecodeString(keyHex)
	iv, err2 := hex.DecodeString(ivHex)
	ct, err3 := hex.DecodeString(ctHex)
	if err1 != nil || err2 != nil || err3 != nil {
		t.Fatalf("bad hex: %v %v %v", err1, err2, err3)
	}
	plain, err := crypto.Decrypt(key, iv, ct)
	return string(plain), err
}

// cbcForge returns a fresh key and the IV under which the one-block hex ciphertext
// decrypts to want: what anyone can compute from the public ticket list.
func cbcForge(t *testing.T, ctHex, want string) (keyHex, ivHex string) {
	t.Helper()
	key, err := crypto.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	return crypto.EncodeHex(key), cbcIV(t, key, ctHex, want)
}

// cbcIV returns the IV under which the one-block hex ciphertext decrypts with key to
// want (shorter than a block). It checks the key and IV really decrypt the ciphertext to
// want, so a rejection at the gate is the gate's doing, not a broken forgery.
func cbcIV(t *testing.T, key []byte, ctHex, want string) (ivHex string) {
	t.Helper()
	ct, err := hex.DecodeString(ctHex)
	if err != nil || len(ct) != aes.BlockSize || len(want) >= aes.BlockSize {
		t.Fatalf("cbcIV needs a one-block ciphertext and a short text: %q %q", ctHex, want)
	}
	iv, err := forge.IV(key, ct, want)
	if err != nil {
		t.Fatal(err)
	}
	ivHex = crypto.EncodeHex(iv)
	if got, err := openHex(t, crypto.EncodeHex(key), ivHex, ctHex); err != nil || got != want {
		t.Fatalf("key and IV decrypt to %q (%v), want %q", got, err, want)
	}
	return ivHex
}

// qrText encodes tickets as QR text.
func qrText(t *testing.T, tickets ...ledger.QRTicket) string {
	t.Helper()
	b, err := json.Marshal(tickets)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// parseOne parses a one-ticket QR text.
func parseOne(t *testing.T, qr string) ledger.QRTicket {
	t.Helper()
	tickets, err := scanner.ParseQR(qr)
	if err != nil || len(tickets) != 1 {
		t.Fatalf("ParseQR(%q) = %+v, %v; want one ticket", qr, tickets, err)
	}
	return tickets[0]
}
