package server_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/qrdecode"
	"github.com/ticketbooth-go/ticketbooth/server"
)

// reissue posts a ReissueTicket body with the key, accepting the media type ("" for JSON).
func (e *env) reissue(addr, key, body, accept string) response {
	e.t.Helper()
	req, _ := http.NewRequest("POST", e.srv.URL+api.ContractPath(addr, "ReissueTicket"), strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+key)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	return e.send(req)
}

// TestPublicAnswersHideSenders: after a reservation, a release and a reissue, neither the
// public ticket list (without a key, or with a key that does not own the contract) nor
// any receipt carries the sender; the buyer's answer names the holder address the list
// shows; the owner's list shows the sender; verify holds.
func TestPublicAnswersHideSenders(t *testing.T) {
	e := newEnv(t)
	addr := e.openSale(threeSeats, threePrices, 100, saleRules{})
	const alice = "alice@example.com"
	bought := e.buy(addr, seatJSON(1, "A"), alice, "")
	var many issuer.Purchase
	e.do("POST", api.ContractPath(addr, "ReserveTickets"), e.shop, `{"seats":[`+seatJSON(1, "B")+`,`+seatJSON(2, "A")+`],"sender":"`+alice+`"}`).
		want(t, http.StatusCreated, &many)
	var released api.ReleaseTicketResponse
	e.release(addr, e.shop, `{"seat":`+seatJSON(1, "B")+`,"sender":"`+alice+`"}`).want(t, http.StatusCreated, &released)
	var again server.ReserveTicketResponse
	e.reissue(addr, e.shop, `{"seat":`+seatJSON(1, "A")+`}`, "").want(t, http.StatusCreated, &again)
	if bought.Holder == "" || many.Holder != bought.Holder || again.Holder != bought.Holder || many.Sender != alice {
		t.Errorf("holders %q, %q, %q: want one address for the shop's customer", bought.Holder, many.Holder, again.Holder)
	}
	for _, key := range []string{"", e.shop, e.bob, e.gate} {
		r := e.do("GET", api.ContractPath(addr, "Tickets"), key, "")
		r.want(t, http.StatusOK, nil)
		if strings.Contains(string(r.body), alice) || !strings.Contains(string(r.body), `"address":"`+bought.Holder+`"`) {
			t.Errorf("ticket list with key %q: %s", key, r.body)
		}
	}
	for _, hash := range []string{bought.TransactionHash, many.TransactionHash, released.TransactionHash, again.TransactionHash} {
		if rc := e.receiptBody(hash); strings.Contains(string(rc), alice) || strings.Contains(string(rc), "alice") {
			t.Errorf("receipt %s", rc)
		}
	}
	if tk := e.ownerTicketOf(addr, seat1A); tk.Sender != alice || tk.Address != bought.Holder {
		t.Errorf("the owner sees %+v, want %s under %s", tk, alice, bought.Holder)
	}
	e.clock.AdvanceBlocks(1)
	var rep ledger.VerifyReport
	e.do("POST", api.VerifyPath, e.alice, "").want(t, http.StatusOK, &rep)
	if !rep.OK {
		t.Errorf("verify = %+v", rep)
	}
}

// TestReleaseOtherShopsTicket: a second shop's box-office key cannot release the first
// shop's customer's ticket by its sender (400 refused, naming no sender); the selling key
// and the owner can, and the second shop can with the ticket's secret.
func TestReleaseOtherShopsTicket(t *testing.T) {
	e := newEnv(t)
	other := e.key(ledger.RoleBoxOffice, "other shop")
	addr := e.openSale(threeSeats, threePrices, 100, saleRules{})
	t1A := e.buy(addr, seatJSON(1, "A"), "customer-4711", "")
	e.buy(addr, seatJSON(1, "B"), "customer-4711", "")
	e.buy(addr, seatJSON(2, "A"), "customer-4711", "")
	body := func(seat, member, value string) string {
		return `{"seat":` + seat + `,"` + member + `":"` + value + `"}`
	}
	r := e.release(addr, other, body(seatJSON(1, "A"), "sender", "customer-4711"))
	r.wantErrorText(t, http.StatusBadRequest, ledger.EREFUSED, "Ticket for seat 1A not owned by")
	if strings.Contains(string(r.body), "4711") {
		t.Errorf("refusal to another shop echoes the sender: %s", r.body)
	}
	e.release(addr, other, body(seatJSON(1, "A"), "secret", t1A.Secret.Plaintext)).want(t, http.StatusCreated, nil)
	e.release(addr, e.shop, body(seatJSON(1, "B"), "sender", "customer-4711")).want(t, http.StatusCreated, nil)
	e.release(addr, e.alice, body(seatJSON(2, "A"), "sender", "customer-4711")).want(t, http.StatusCreated, nil)
}

// TestReissueTicket: ReissueTicket answers as ReserveTicket (JSON, PNG or PDF); from each
// reissue on the previous QR is refused at the gate and the new one admitted; another
// shop needs the secret; a free seat and a ticket checked in are refused.
func TestReissueTicket(t *testing.T) {
	e := newEnv(t)
	other := e.key(ledger.RoleBoxOffice, "other shop")
	addr := e.openSale(threeSeats, threePrices, 100, saleRules{})
	bought := e.buy(addr, seatJSON(1, "A"), "customer-4711", "")
	a1 := `{"seat":` + seatJSON(1, "A") + `}`
	e.reissue(addr, other, a1, "").wantErrorText(t, http.StatusBadRequest, ledger.EREFUSED, "not owned by")
	e.reissue(addr, e.shop, `{"seat":`+seatJSON(2, "A")+`}`, "").wantErrorText(t, http.StatusBadRequest, ledger.EREFUSED, "not sold")
	e.reissue(addr, e.shop, `{}`, "").wantErrorText(t, http.StatusBadRequest, ledger.EINVALID, "seat")

	r := e.reissue(addr, other, `{"seat":`+seatJSON(1, "A")+`,"secret":"`+bought.Secret.Plaintext+`"}`, "")
	var first server.ReserveTicketResponse
	r.want(t, http.StatusCreated, &first)
	want := []string{"customerName", "holder", "price", "qr", "refunded", "seat", "secret", "transactionHash"}
	if got := members(t, r.body); !slices.Equal(got, want) || first.Price != 50 || first.Secret.Plaintext == bought.Secret.Plaintext {
		t.Errorf("answer %s, want members %v, price 50 and a new secret", r.body, want)
	}
	if rc := e.receiptBody(first.TransactionHash); !strings.Contains(string(rc), ledger.TxTicketReissued) {
		t.Errorf("receipt %s, want a %s", rc, ledger.TxTicketReissued)
	}
	png := e.reissue(addr, e.alice, a1, "image/png")
	if png.status != http.StatusCreated || png.header.Get("Content-Type") != "image/png" || png.header.Get("X-Transaction-Hash") == "" {
		t.Fatalf("PNG reissue: %d %s", png.status, png.header)
	}
	text, err := qrdecode.DecodeBytes(png.body)
	if err != nil {
		t.Fatalf("the reissued PNG does not decode: %v", err)
	}
	for name, qr := range map[string]string{"bought": bought.QR, "first reissue": first.QR} {
		if res := e.admitOne(addr, qr, "north"); res.Status != ledger.StatusInvalid {
			t.Errorf("%s QR after a reissue: %+v, want invalid", name, res)
		}
	}
	if res := e.admitOne(addr, text, "north"); res.Status != ledger.StatusAdmitted {
		t.Errorf("reissued QR: %+v, want admitted", res)
	}
	e.reissue(addr, e.alice, a1, "").wantErrorText(t, http.StatusConflict, ledger.ECONFLICT, "used at the gate")

	e.buy(addr, seatJSON(1, "B"), "customer-4711", "")
	pdf := e.reissue(addr, e.shop, `{"seat":`+seatJSON(1, "B")+`}`, "application/pdf")
	if pdf.status != http.StatusCreated || !strings.HasPrefix(string(pdf.body), "%PDF-") {
		t.Fatalf("PDF reissue: %d %.60q", pdf.status, pdf.body)
	}
	checkPDFText(t, pdf.body, issuer.Reference(pdf.header.Get("X-Transaction-Hash")), "1B")
}

// TestReissueUnderIdentityPolicy: under the identity policy a reissue needs the name,
// and the gate shows the name sealed into the new ticket.
func TestReissueUnderIdentityPolicy(t *testing.T) {
	e := newEnv(t)
	addr := e.openSale(threeSeats, threePrices, 100, saleRules{identity: true})
	e.buy(addr, seatJSON(1, "A"), "customer-4711", "Zoë Example")
	e.reissue(addr, e.shop, `{"seat":`+seatJSON(1, "A")+`}`, "").wantErrorText(t, http.StatusBadRequest, ledger.EREFUSED, "name")
	var out server.ReserveTicketResponse
	e.reissue(addr, e.shop, `{"seat":`+seatJSON(1, "A")+`,"customerName":"Zoë Example"}`, "").want(t, http.StatusCreated, &out)
	if out.CustomerName == nil {
		t.Fatalf("reissue under the identity policy has no name keys: %+v", out)
	}
	res := e.admitOne(addr, out.QR, "north")
	if res.Status != ledger.StatusAdmitted || res.Name != "Zoë Example" || !res.IdentityCheckRequired {
		t.Errorf("reissued named ticket at the gate: %+v", res)
	}
	if rc := e.receiptBody(out.TransactionHash); strings.Contains(string(rc), "Zoë") || strings.Contains(string(rc), `Zo\u00eb`) || strings.Contains(string(rc), "Example") || strings.Contains(string(rc), out.Secret.Key) {
		t.Errorf("receipt %s carries the name or a key", rc)
	}
}
