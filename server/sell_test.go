package server_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/internal/testtool"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/qrdecode"
	"github.com/ticketbooth-go/ticketbooth/scanner"
	"github.com/ticketbooth-go/ticketbooth/server"
)

// threeSeats is a small hall: 1A priced 50, 1B 30, 2A 80.
const (
	threeSeats  = `[{"number":1,"letter":"A"},{"number":1,"letter":"B"},{"number":2,"letter":"A"}]`
	threePrices = `[{"seat":{"number":2,"letter":"A"},"price":80},{"seat":{"number":1,"letter":"A"},"price":50},{"seat":{"number":1,"letter":"B"},"price":30}]`
)

var seat1A = ledger.Seat{Number: 1, Letter: "A"}

func TestReserveTicket(t *testing.T) {
	e := newEnv(t)
	addr := e.openSale(threeSeats, threePrices, 100, saleRules{})
	r := e.do("POST", api.ContractPath(addr, "ReserveTicket"), e.shop, reserveBody(seatJSON(1, "A"), "CUtNvY1Jxpn4V4RD1tgphsUKpQdo4q5i54", "Quentin Zyx"))
	var out server.ReserveTicketResponse
	r.want(t, http.StatusCreated, &out)
	want := []string{"customerName", "holder", "price", "qr", "refunded", "seat", "secret", "transactionHash"}
	if got := members(t, r.body); !slices.Equal(got, want) {
		t.Errorf("members %v, want %v", got, want)
	}
	if !strings.Contains(string(r.body), `"customerName":null`) || out.CustomerName != nil {
		t.Errorf("customerName without the identity policy must be null: %s", r.body)
	}
	if out.Seat != seat1A || out.Price != 50 || out.Refunded != 0 || !hex64Pattern.MatchString(out.TransactionHash) {
		t.Errorf("answer %+v, want seat 1A at 50, nothing refunded", out)
	}
	s := out.Secret
	if !secretPattern.MatchString(s.Plaintext) || !hex64Pattern.MatchString(s.Key) || !hex32Pattern.MatchString(s.IV) {
		t.Errorf("secret %+v: want 15 characters of [A-Za-z0-9_-], a 64-hex key, a 32-hex IV", s)
	}
	if q := parseOne(t, out.QR); q != (ledger.QRTicket{Seat: seat1A, Secret: s.Plaintext, SecretKey: s.Key, SecretIV: s.IV}) {
		t.Errorf("QR ticket %+v does not carry exactly the answer's seat, secret and keys", q)
	}
	tk := e.ticketOf(addr, seat1A)
	if tk.Address != out.Holder || tk.Sender != "" || tk.Price != 50 || tk.CustomerIdentifier != "" {
		t.Errorf("ticket list entry %+v, want the holder %s as address", tk, out.Holder)
	}
	if tk := e.ownerTicketOf(addr, seat1A); tk.Sender != "CUtNvY1Jxpn4V4RD1tgphsUKpQdo4q5i54" || tk.Address != out.Holder {
		t.Errorf("the owner's ticket list entry %+v, want the sender beside the holder", tk)
	}
	if plain, err := openHex(t, s.Key, s.IV, tk.Secret); err != nil || plain != s.Plaintext {
		t.Errorf("the listed ciphertext %s opens to %q (%v), want the secret", tk.Secret, plain, err)
	}
	rc := e.receiptBody(out.TransactionHash)
	for _, secret := range []string{s.Plaintext, s.Key, s.IV, "Quentin", "Zyx"} {
		if strings.Contains(string(rc), secret) {
			t.Errorf("receipt %s contains %q", rc, secret)
		}
	}
	var receipt ledger.Receipt
	json.Unmarshal(rc, &receipt)
	if receipt.Kind != ledger.TxTicketsReserved || receipt.Contract != addr {
		t.Errorf("receipt %+v, want tickets_reserved on %s", receipt, addr)
	}
}

// TestReserveTicketWalletBody sends the body a Ticketbooth client sends: its wallet
// members are ignored and its sender becomes the ticket's address.
func TestReserveTicketWalletBody(t *testing.T) {
	e := newEnv(t)
	addr := e.openSale(threeSeats, threePrices, 100, saleRules{})
	body := `{"seat":{"number":1,"letter":"B"},"customerName":"Ann",` + e.wallet() + `}`
	var out server.ReserveTicketResponse
	e.do("POST", api.ContractPath(addr, "ReserveTicket"), e.alice, body).want(t, http.StatusCreated, &out)
	if tk := e.ownerTicketOf(addr, ledger.Seat{Number: 1, Letter: "B"}); tk.Sender != "CUtNvY1Jxpn4V4RD1tgphsUKpQdo4q5i54" {
		t.Errorf("ticket sender %q, want the wallet's sender", tk.Sender)
	}
	if strings.Contains(string(e.receiptBody(out.TransactionHash)), e.password) {
		t.Error("the receipt carries the wallet password")
	}
}

func TestReserveTicketChecksInOrder(t *testing.T) {
	e := newEnv(t)
	noSale := e.create(threeSeats)
	named := e.openSale(threeSeats, threePrices, 100, saleRules{identity: true})
	ended := e.openSale(threeSeats, threePrices, 3, saleRules{})
	e.buy(named, seatJSON(1, "B"), "bob", "Bob")
	e.buy(ended, seatJSON(1, "B"), "bob", "")
	e.clock.AdvanceBlocks(3) // ended: height == endOfSale, the sale is over
	path := func(addr string) string { return api.ContractPath(addr, "ReserveTicket") }
	low := func(seat, name string) string {
		return `{"seat":` + seat + `,"sender":"ann","customerName":"` + name + `","amount":1}`
	}
	tests := []struct {
		name, path, key, body string
		status                int
		code, says            string
	}{
		{"UnknownSeatBeforeSaleState", path(noSale), e.shop, low(seatJSON(9, "Z"), ""), 400, ledger.EREFUSED, "Invalid seat 9Z"},
		{"NoSale", path(noSale), e.shop, low(seatJSON(1, "A"), ""), 409, ledger.ECONFLICT, "Sale is not currently open"},
		{"SaleEnded", path(ended), e.shop, low(seatJSON(1, "A"), ""), 409, ledger.ECONFLICT, "Sale is not currently open"},
		{"SaleEndedBeforeTaken", path(ended), e.shop, low(seatJSON(1, "B"), ""), 409, ledger.ECONFLICT, "Sale is not currently open"},
		{"TakenBeforeName", path(named), e.shop, low(seatJSON(1, "B"), ""), 400, ledger.EREFUSED, "Ticket for seat 1B not available to purchase"},
		{"NameBeforeFunds", path(named), e.shop, low(seatJSON(1, "A"), ""), 400, ledger.EREFUSED, "Customer name is required"},
		{"BlankName", path(named), e.shop, low(seatJSON(1, "A"), "  "), 400, ledger.EREFUSED, "Customer name is required"},
		{"NotEnoughFunds", path(named), e.shop, low(seatJSON(1, "A"), "Ann"), 400, ledger.EREFUSED, "Not enough funds"},
		{"NoSender", path(named), e.shop, `{"seat":{"number":1,"letter":"A"},"customerName":"Ann"}`, 400, ledger.EINVALID, "Sender"},
		{"SenderTooLong", path(named), e.shop, reserveBody(seatJSON(1, "A"), strings.Repeat("s", 101), "Ann"), 400, ledger.EINVALID, "100"},
		{"NoSeat", path(named), e.shop, `{"sender":"ann","customerName":"Ann"}`, 400, ledger.EINVALID, "seat"},
		{"NotJSON", path(named), e.shop, `{"seat":`, 400, ledger.EINVALID, "JSON"},
		{"NoKey", path(named), "", reserveBody(seatJSON(1, "A"), "ann", "Ann"), 401, ledger.EUNAUTHORIZED, "key"},
		{"ScannerKey", path(named), e.gate, reserveBody(seatJSON(1, "A"), "ann", "Ann"), 403, ledger.EFORBIDDEN, "scanner"},
		{"OtherOrganizer", path(named), e.bob, reserveBody(seatJSON(1, "A"), "ann", "Ann"), 403, ledger.EFORBIDDEN, "owner"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.do("POST", tt.path, tt.key, tt.body).wantErrorText(t, tt.status, tt.code, tt.says)
		})
	}
	for _, addr := range []string{noSale, named} {
		for _, tk := range e.ticketList(addr) {
			if sold := tk.Address != ledger.ZeroAddress; sold != (tk.Seat.Letter == "B" && addr == named) {
				t.Errorf("after the refused reservations %s is %+v", tk.Seat, tk)
			}
		}
	}
}

func TestReserveTicketKeys(t *testing.T) {
	e := newEnv(t)
	addr := e.openSale(threeSeats, threePrices, 100, saleRules{})
	for i, key := range []string{e.shop, e.alice} {
		seat := []string{seatJSON(1, "A"), seatJSON(1, "B")}[i]
		e.do("POST", api.ContractPath(addr, "ReserveTicket"), key, reserveBody(seat, "ann", "")).want(t, http.StatusCreated, nil)
	}
	// A sender of exactly 100 characters is the longest allowed.
	long := strings.Repeat("é", 100)
	e.do("POST", api.ContractPath(addr, "ReserveTicket"), e.shop, reserveBody(seatJSON(2, "A"), long, "")).want(t, http.StatusCreated, nil)
	if tk := e.ownerTicketOf(addr, ledger.Seat{Number: 2, Letter: "A"}); tk.Sender != long {
		t.Errorf("sender %q, want the 100-character sender", tk.Sender)
	}
}

func TestReserveTicketOverpayment(t *testing.T) {
	e := newEnv(t)
	addr := e.openSale(threeSeats, threePrices, 100, saleRules{})
	for _, tt := range []struct {
		seat             string
		amount, refunded int64
	}{{seatJSON(1, "A"), 70, 20}, {seatJSON(1, "B"), 30, 0}} {
		var out server.ReserveTicketResponse
		body := `{"seat":` + tt.seat + `,"sender":"ann","amount":` + itoa(tt.amount) + `}`
		e.do("POST", api.ContractPath(addr, "ReserveTicket"), e.shop, body).want(t, http.StatusCreated, &out)
		if out.Refunded != tt.refunded {
			t.Errorf("paid %d for %s: refunded %d, want %d", tt.amount, out.Seat, out.Refunded, tt.refunded)
		}
		var rc ledger.Receipt
		json.Unmarshal(e.receiptBody(out.TransactionHash), &rc)
		var eff ledger.TicketsReservedEffect
		if err := json.Unmarshal(rc.Effect, &eff); err != nil || eff.Amount != tt.amount || eff.Total != out.Price || eff.Refunded != tt.refunded {
			t.Errorf("receipt effect %s: want amount %d, total %d, refunded %d", rc.Effect, tt.amount, out.Price, tt.refunded)
		}
	}
}

func TestReserveTicketIdentityPolicy(t *testing.T) {
	const name = "Zoë Łukasiewicz-Ødegård"
	e := newEnv(t)
	addr := e.openSale(threeSeats, threePrices, 100, saleRules{identity: true})
	r := e.do("POST", api.ContractPath(addr, "ReserveTicket"), e.shop, reserveBody(seatJSON(1, "A"), "ann", name))
	var out server.ReserveTicketResponse
	r.want(t, http.StatusCreated, &out)
	n := out.CustomerName
	if n == nil || !hex64Pattern.MatchString(n.Key) || !hex32Pattern.MatchString(n.IV) || n.Key == out.Secret.Key {
		t.Fatalf("customerName %+v, want its own 64-hex key and 32-hex IV", n)
	}
	if q := parseOne(t, out.QR); q.NameKey != n.Key || q.NameIV != n.IV {
		t.Errorf("QR name keys %s/%s, want %s/%s", q.NameKey, q.NameIV, n.Key, n.IV)
	}
	tk := e.ticketOf(addr, seat1A)
	if plain, err := openHex(t, n.Key, n.IV, tk.CustomerIdentifier); err != nil || plain != name {
		t.Errorf("the listed name ciphertext opens to %q (%v), want %q", plain, err, name)
	}
	rc := string(e.receiptBody(out.TransactionHash))
	for _, secret := range []string{name, "Łukasiewicz", "\\u0141ukasiewicz", out.Secret.Plaintext, out.Secret.Key, n.Key, n.IV} {
		if strings.Contains(rc, secret) {
			t.Errorf("receipt %s contains %q", rc, secret)
		}
	}
}

func TestReserveTicketPDF(t *testing.T) {
	e := newEnv(t)
	addr := e.openSale(threeSeats, threePrices, 100, saleRules{})
	for _, layout := range []string{"", "?layout=a6"} {
		seat := map[string]ledger.Seat{"": seat1A, "?layout=a6": {Number: 1, Letter: "B"}}[layout]
		req, _ := http.NewRequest("POST", e.srv.URL+api.ContractPath(addr, "ReserveTicket")+layout,
			strings.NewReader(reserveBody(seatJSON(seat.Number, seat.Letter), "ann", "")))
		req.Header.Set("Authorization", "Bearer "+e.shop)
		req.Header.Set("Accept", "application/pdf")
		r := e.send(req)
		hash := r.header.Get("X-Transaction-Hash")
		if r.status != http.StatusCreated || r.header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(string(r.body), "%PDF-") {
			t.Fatalf("status %d, type %q, body %.40q: want 201 and a PDF", r.status, r.header.Get("Content-Type"), r.body)
		}
		if !hex64Pattern.MatchString(hash) || !strings.Contains(string(e.receiptBody(hash)), ledger.TxTicketsReserved) {
			t.Errorf("X-Transaction-Hash %q is not the reservation's", hash)
		}
		if tk := e.ownerTicketOf(addr, seat); tk.Sender != "ann" {
			t.Errorf("%s is %+v after a PDF reservation", seat, tk)
		}
		checkPDFText(t, r.body, issuer.Reference(hash), seat.String())
	}
	req, _ := http.NewRequest("POST", e.srv.URL+api.ContractPath(addr, "ReserveTicket")+"?layout=a3",
		strings.NewReader(reserveBody(seatJSON(2, "A"), "ann", "")))
	req.Header.Set("Authorization", "Bearer "+e.shop)
	req.Header.Set("Accept", "application/pdf")
	e.send(req).wantError(t, http.StatusBadRequest, ledger.EINVALID)
	if tk := e.ticketOf(addr, ledger.Seat{Number: 2, Letter: "A"}); tk.Address != ledger.ZeroAddress {
		t.Errorf("a request with an unknown layout sold the seat: %+v", tk)
	}
}

// checkPDFText checks with pdftotext (poppler-utils) that the PDF shows each part.
func checkPDFText(t *testing.T, pdf []byte, parts ...string) {
	t.Helper()
	tool := testtool.Need(t, "pdftotext", "poppler-utils")
	file := filepath.Join(t.TempDir(), "ticket.pdf")
	if err := os.WriteFile(file, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	text, err := exec.Command(tool, file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	for _, p := range parts {
		if !strings.Contains(string(text), p) {
			t.Errorf("the PDF ticket does not show %q", p)
		}
	}
}

func TestReserveTicketPNG(t *testing.T) {
	e := newEnv(t)
	addr := e.openSale(threeSeats, threePrices, 100, saleRules{})
	req, _ := http.NewRequest("POST", e.srv.URL+api.ContractPath(addr, "ReserveTicket"),
		strings.NewReader(reserveBody(seatJSON(1, "A"), "ann", "")))
	req.Header.Set("Authorization", "Bearer "+e.shop)
	req.Header.Set("Accept", "image/png, application/json;q=0.5")
	r := e.send(req)
	if r.status != http.StatusCreated || r.header.Get("Content-Type") != "image/png" {
		t.Fatalf("status %d, type %q: want 201 image/png", r.status, r.header.Get("Content-Type"))
	}
	text, err := qrdecode.DecodeBytes(r.body)
	if err != nil {
		t.Fatalf("the PNG does not decode: %v", err)
	}
	q := parseOne(t, text)
	tk := e.ticketOf(addr, seat1A)
	if plain, err := openHex(t, q.SecretKey, q.SecretIV, tk.Secret); err != nil || plain != q.Secret || q.Seat != seat1A {
		t.Errorf("the PNG's QR %+v does not open the ledger's ciphertext of 1A (%q, %v)", q, plain, err)
	}
	hash := r.header.Get("X-Transaction-Hash")
	if !hex64Pattern.MatchString(hash) || !strings.Contains(string(e.receiptBody(hash)), ledger.TxTicketsReserved) {
		t.Errorf("X-Transaction-Hash %q is not the reservation's", hash)
	}
	if res := e.admitOne(addr, text, "door"); res.Status != ledger.StatusAdmitted {
		t.Errorf("the PNG's QR at the gate: %+v", res)
	}
}

func TestReserveTickets(t *testing.T) {
	e := newEnv(t)
	seats, prices := hallOf(17)
	addr := e.openSale(seats, prices, 100, saleRules{})
	tests := []struct {
		name      string
		first, n  int // seats first .. first+n-1 of row A
		perQR     int
		wantQRs   []int
		wantTotal int64
	}{
		{"ThreeInOneQR", 1, 3, 0, []int{3}, 60},
		{"FourInOneQR", 4, 4, 0, []int{4}, 220},
		{"OneQRPerTicket", 8, 2, 1, []int{1, 1}, 170},
		{"FiveInTwoQRs", 10, 5, 0, []int{4, 1}, 600},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := e.buyMany(addr, tt.first, tt.n, tt.perQR)
			checkGroups(t, p, tt.wantQRs)
			if p.Total != tt.wantTotal || p.Refunded != 0 {
				t.Errorf("total %d, refunded %d; want %d and 0", p.Total, p.Refunded, tt.wantTotal)
			}
			for _, tk := range p.Tickets {
				if got := e.ownerTicketOf(addr, tk.Seat); got.Sender != "ann" || got.Address != p.Holder {
					t.Errorf("%s is %+v after the purchase", tk.Seat, got)
				}
			}
		})
	}
	// An order of three free seats and a taken one sells nothing.
	body := strings.Replace(manyBody(15, 3, 0), `],"sender"`, `,{"number":1,"letter":"A"}],"sender"`, 1)
	e.do("POST", api.ContractPath(addr, "ReserveTickets"), e.shop, body).wantErrorText(t, 400, ledger.EREFUSED, "Ticket for seat 1A not available")
	for _, tk := range e.ticketList(addr)[14:] {
		if tk.Address != ledger.ZeroAddress {
			t.Errorf("after a refused order %s is sold to %q", tk.Seat, tk.Address)
		}
	}
}

func TestReserveTicketsRefused(t *testing.T) {
	e := newEnv(t)
	seats, prices := hallOf(6)
	addr := e.openSale(seats, prices, 100, saleRules{})
	path := api.ContractPath(addr, "ReserveTickets")
	e.do("POST", path, e.shop, strings.Replace(manyBody(1, 3, 0), `"number":3`, `"number":9`, 1)).
		wantErrorText(t, 400, ledger.EREFUSED, "Invalid seat 9A")
	e.do("POST", path, e.shop, strings.Replace(manyBody(1, 3, 0), `"sender"`, `"amount":59,"sender"`, 1)).
		wantErrorText(t, 400, ledger.EREFUSED, "Not enough funds")
	e.do("POST", path, e.shop, manyBody(1, 3, 5)).wantErrorText(t, 400, ledger.EINVALID, "per QR")
	e.do("POST", path, e.shop, `{"seats":[],"sender":"ann"}`).wantError(t, 400, ledger.EINVALID)
	e.do("POST", path, e.shop, strings.Replace(manyBody(1, 2, 0), `{"number":2`, `{"number":1`, 1)).wantError(t, 400, ledger.EINVALID)
	e.do("POST", path, e.gate, manyBody(1, 3, 0)).wantError(t, 403, ledger.EFORBIDDEN)
	for _, tk := range e.ticketList(addr) {
		if tk.Address != ledger.ZeroAddress {
			t.Errorf("after refused orders %s is sold to %q", tk.Seat, tk.Address)
		}
	}
	var p issuer.Purchase
	e.do("POST", path, e.shop, strings.Replace(manyBody(1, 3, 0), `"sender"`, `"amount":100,"sender"`, 1)).want(t, 201, &p)
	if p.Total != 60 || p.Refunded != 40 {
		t.Errorf("paid 100 for 60: total %d, refunded %d", p.Total, p.Refunded)
	}
}

// hallOf returns n seats 1A..nA (JSON) and their prices, seat k at 10k.
func hallOf(n int) (seats, prices string) {
	var s, p []string
	for k := 1; k <= n; k++ {
		s = append(s, seatJSON(k, "A"))
		p = append(p, `{"seat":`+seatJSON(k, "A")+`,"price":`+itoa(int64(10*k))+`}`)
	}
	return "[" + strings.Join(s, ",") + "]", "[" + strings.Join(p, ",") + "]"
}

// manyBody is a ReserveTickets body for seats first..first+n-1 of row A.
func manyBody(first, n, perQR int) string {
	var s []string
	for k := first; k < first+n; k++ {
		s = append(s, seatJSON(k, "A"))
	}
	return fmt.Sprintf(`{"seats":[%s],"sender":"ann","ticketsPerQR":%d}`, strings.Join(s, ","), perQR)
}

func (e *env) buyMany(addr string, first, n, perQR int) issuer.Purchase {
	e.t.Helper()
	var p issuer.Purchase
	e.do("POST", api.ContractPath(addr, "ReserveTickets"), e.shop, manyBody(first, n, perQR)).want(e.t, http.StatusCreated, &p)
	if len(p.Tickets) != n || !hex64Pattern.MatchString(p.TransactionHash) {
		e.t.Fatalf("purchase %+v, want %d tickets", p, n)
	}
	for i, tk := range p.Tickets {
		if tk.Seat != (ledger.Seat{Number: first + i, Letter: "A"}) || tk.Price != int64(10*(first+i)) {
			e.t.Errorf("ticket %d is %+v", i, tk)
		}
	}
	return p
}

// checkGroups checks the purchase's QR texts hold its tickets in order, grouped as want.
func checkGroups(t *testing.T, p issuer.Purchase, want []int) {
	t.Helper()
	if len(p.QR) != len(want) {
		t.Fatalf("%d QR codes, want %d", len(p.QR), len(want))
	}
	k := 0
	for i, text := range p.QR {
		tickets, err := scanner.ParseQR(text)
		if err != nil || len(tickets) != want[i] {
			t.Fatalf("QR %d holds %d tickets (%v), want %d", i, len(tickets), err, want[i])
		}
		for _, q := range tickets {
			if q != p.Tickets[k].QRTicket() {
				t.Errorf("QR %d carries %+v, want %+v", i, q, p.Tickets[k].QRTicket())
			}
			k++
		}
	}
}

func TestReserveTicketConcurrent(t *testing.T) {
	e := newEnv(t)
	addr := e.openSale(threeSeats, threePrices, 100, saleRules{})
	const n = 100
	type answer struct {
		status int
		body   []byte
		err    error
	}
	answers := make([]answer, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			req, _ := http.NewRequest("POST", e.srv.URL+api.ContractPath(addr, "ReserveTicket"),
				strings.NewReader(reserveBody(seatJSON(1, "A"), fmt.Sprintf("buyer-%03d", i), "")))
			req.Header.Set("Authorization", "Bearer "+e.shop)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				answers[i].err = err
				return
			}
			defer resp.Body.Close()
			answers[i].body, answers[i].err = io.ReadAll(resp.Body)
			answers[i].status = resp.StatusCode
		})
	}
	close(start)
	wg.Wait()
	winner := -1
	for i, a := range answers {
		switch {
		case a.err != nil:
			t.Fatalf("request %d: %v", i, a.err)
		case a.status == http.StatusCreated && winner >= 0:
			t.Fatalf("seat 1A sold twice: to buyer %d and %d", winner, i)
		case a.status == http.StatusCreated:
			winner = i
		case a.status != http.StatusBadRequest || !strings.Contains(string(a.body), "not available"):
			t.Errorf("request %d: %d %s, want 400 not available", i, a.status, a.body)
		}
	}
	if winner < 0 {
		t.Fatal("no request bought the seat")
	}
	if tk := e.ownerTicketOf(addr, seat1A); tk.Sender != fmt.Sprintf("buyer-%03d", winner) {
		t.Errorf("the ledger's owner is %q, the 201 went to buyer-%03d", tk.Sender, winner)
	}
	var out server.ReserveTicketResponse
	json.Unmarshal(answers[winner].body, &out)
	if res := e.admitOne(addr, out.QR, "door"); res.Status != ledger.StatusAdmitted {
		t.Errorf("the winner's ticket at the gate: %+v", res)
	}
}

// release posts a ReleaseTicket body with the key.
func (e *env) release(addr, key, body string) response {
	e.t.Helper()
	return e.do("POST", api.ContractPath(addr, "ReleaseTicket"), key, body)
}

func TestReleaseTicketRefund(t *testing.T) {
	e := newEnv(t)
	for _, tt := range []struct{ price, fee, refund int64 }{
		{50, 10, 40}, {50, 30, 20}, {50, 50, 0}, {50, 100, 0}, {0, 100, 0}, {80, 0, 80},
	} {
		t.Run(fmt.Sprintf("Price%dFee%d", tt.price, tt.fee), func(t *testing.T) {
			addr := e.openSale(`[`+seatJSON(1, "A")+`]`, `[{"seat":`+seatJSON(1, "A")+`,"price":`+itoa(tt.price)+`}]`, 100, saleRules{fee: tt.fee})
			bought := e.buy(addr, seatJSON(1, "A"), "ann", "")
			r := e.release(addr, e.shop, `{"seat":`+seatJSON(1, "A")+`,"sender":"ann"}`)
			var out api.ReleaseTicketResponse
			r.want(t, http.StatusCreated, &out)
			if got := members(t, r.body); !slices.Equal(got, []string{"refund", "transactionHash"}) {
				t.Errorf("members %v, want refund and transactionHash", got)
			}
			var rc ledger.Receipt
			json.Unmarshal(e.receiptBody(out.TransactionHash), &rc)
			var eff ledger.TicketReleasedEffect
			json.Unmarshal(rc.Effect, &eff)
			if out.Refund != tt.refund || rc.Kind != ledger.TxTicketReleased || eff.Refund != tt.refund ||
				eff.Price != tt.price || eff.Fee != tt.fee || eff.Holder != bought.Holder {
				t.Errorf("refund %d, receipt %s %s; want refund %d", out.Refund, rc.Kind, rc.Effect, tt.refund)
			}
			if tk := e.ticketOf(addr, seat1A); tk.Address != ledger.ZeroAddress || tk.Secret != "" || tk.CustomerIdentifier != "" {
				t.Errorf("after the release the ticket is %+v, want available", tk)
			}
			e.buy(addr, seatJSON(1, "A"), "bob", "") // on sale again
		})
	}
}

func TestReleaseTicketRefused(t *testing.T) {
	e := newEnv(t)
	start := e.height()
	addr := e.openSale(threeSeats, threePrices, 10, saleRules{noReleaseBlocks: 5})
	noSale := e.create(threeSeats)
	t1A := e.buy(addr, seatJSON(1, "A"), "ann", "")
	t1B := e.buy(addr, seatJSON(1, "B"), "ann", "")
	e.buy(addr, seatJSON(2, "A"), "ann", "")
	by := func(seat, member, value string) string {
		return `{"seat":` + seat + `,"` + member + `":"` + value + `"}`
	}
	a1 := seatJSON(1, "A")
	tests := []struct {
		name, addr, key, body string
		status                int
		code, says            string
	}{
		{"WrongSender", addr, e.shop, by(a1, "sender", "mallory"), 400, ledger.EREFUSED, "Ticket for seat 1A not owned by mallory"},
		{"WrongSecret", addr, e.shop, by(a1, "secret", t1B.Secret.Plaintext), 400, ledger.EREFUSED, "Ticket for seat 1A not owned by"},
		{"NotSold", addr, e.shop, by(seatJSON(1, "B"), "sender", "bob"), 400, ledger.EREFUSED, "not owned by bob"},
		{"SenderAndSecret", addr, e.shop, `{"seat":` + a1 + `,"sender":"ann","secret":"` + t1A.Secret.Plaintext + `"}`, 400, ledger.EINVALID, "exactly one"},
		{"NeitherSenderNorSecret", addr, e.shop, `{"seat":` + a1 + `}`, 400, ledger.EINVALID, "exactly one"},
		{"UnknownSeat", addr, e.shop, by(seatJSON(9, "Z"), "sender", "ann"), 400, ledger.EREFUSED, "Invalid seat 9Z"},
		{"NoSeat", addr, e.shop, `{"sender":"ann"}`, 400, ledger.EINVALID, "seat"},
		{"NoSale", noSale, e.shop, by(a1, "sender", "ann"), 409, ledger.ECONFLICT, "Sale is not currently open"},
		{"NoKey", addr, "", by(a1, "sender", "ann"), 401, ledger.EUNAUTHORIZED, "key"},
		{"ScannerKey", addr, e.gate, by(a1, "sender", "ann"), 403, ledger.EFORBIDDEN, "scanner"},
		{"OtherOrganizer", addr, e.bob, by(a1, "sender", "ann"), 403, ledger.EFORBIDDEN, "owner"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "NotSold" { // 1B released first by its secret: holding it is proof enough
				e.release(addr, e.alice, by(seatJSON(1, "B"), "secret", t1B.Secret.Plaintext)).want(t, http.StatusCreated, nil)
			}
			e.release(tt.addr, tt.key, tt.body).wantErrorText(t, tt.status, tt.code, tt.says)
		})
	}
	e.clock.AdvanceBlocks(int(start + 4 - e.height())) // height + 5 < endOfSale: the last block to release in
	e.release(addr, e.shop, by(seatJSON(2, "A"), "sender", "ann")).want(t, http.StatusCreated, nil)
	e.clock.AdvanceBlocks(1) // height + 5 == endOfSale: inside the window
	e.release(addr, e.shop, by(a1, "sender", "ann")).wantErrorText(t, 409, ledger.ECONFLICT, "Ticket release is no longer available")
	e.release(addr, e.shop, by(a1, "sender", "mallory")).wantErrorText(t, 409, ledger.ECONFLICT, "no longer available")
	e.release(addr, e.shop, by(seatJSON(9, "Z"), "sender", "ann")).wantErrorText(t, 400, ledger.EREFUSED, "Invalid seat 9Z")
	e.clock.AdvanceBlocks(5) // height == endOfSale
	e.release(addr, e.shop, by(a1, "sender", "ann")).wantErrorText(t, 409, ledger.ECONFLICT, "Sale is not currently open")
	if tk := e.ownerTicketOf(addr, seat1A); tk.Sender != "ann" {
		t.Errorf("1A after refused releases: %+v", tk)
	}
}

func TestReleaseTicketWindowOverflow(t *testing.T) {
	e := newEnv(t)
	for _, count := range []string{"9223372036854775807", "9223372036854775000", itoa(e.height() + 1000)} {
		t.Run(count, func(t *testing.T) {
			addr := e.create(threeSeats)
			e.do("POST", api.ContractPath(addr, "NoReleaseBlocks"), e.alice, `{"count":`+count+`}`).want(t, http.StatusCreated, nil)
			e.do("POST", api.ContractPath(addr, "BeginSale"), e.alice, e.saleBody(threePrices, 100)).want(t, http.StatusCreated, nil)
			e.buy(addr, seatJSON(1, "A"), "ann", "")
			e.release(addr, e.shop, `{"seat":`+seatJSON(1, "A")+`,"sender":"ann"}`).
				wantErrorText(t, 409, ledger.ECONFLICT, "Ticket release is no longer available")
		})
	}
}

func TestReleaseTicketCheckedIn(t *testing.T) {
	e := newEnv(t)
	addr := e.openSale(threeSeats, threePrices, 100, saleRules{})
	tk := e.buy(addr, seatJSON(1, "A"), "ann", "")
	if res := e.admitOne(addr, tk.QR, "north"); res.Status != ledger.StatusAdmitted {
		t.Fatalf("check-in: %+v", res)
	}
	e.release(addr, e.shop, `{"seat":`+seatJSON(1, "A")+`,"secret":"`+tk.Secret.Plaintext+`"}`).
		wantErrorText(t, 409, ledger.ECONFLICT, "used at the gate")
}
