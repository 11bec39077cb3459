package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/crypto"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// walletDo sends a request to a wallet route with the link's token.
func (e *env) walletDo(method, path, token, body string) response {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", api.WalletScheme+" "+token)
	}
	return e.send(req)
}

// TestWalletTransferAndOffer: from the wallet page the holder gives a ticket to a person
// by e-mail address: the receiver is mailed the new ticket, the answer carries nothing of
// it, the old QR and the link's code stop working at once and the new QR is admitted;
// the holder offers another ticket for resale and withdraws the offer; a request without
// the link's token is refused; the ledger verifies.
func TestWalletTransferAndOffer(t *testing.T) {
	e := newEnv(t)
	mail := e.withMailer()
	admin := ledger.WithActor(context.Background(), ledger.Actor{Admin: true})
	addr := e.openSale(`[`+seatJSON(1, "A")+`,`+seatJSON(1, "B")+`]`,
		`[{"seat":`+seatJSON(1, "A")+`,"price":100},{"seat":`+seatJSON(1, "B")+`,"price":100}]`, 50, saleRules{})
	ann, err := e.store.Customers.CreateCustomer(admin, ledger.Customer{LastName: "Ann", Email: "ann@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	var codes []ledger.WalletCode
	for _, seat := range []string{seatJSON(1, "A"), seatJSON(1, "B")} {
		b := e.buy(addr, seat, ledger.BookingSender(ann.ID), "")
		codes = append(codes, ledger.WalletCode{Contract: addr, Seat: b.Seat, QR: b.QR, SecretDigest: crypto.SecretDigest(b.Secret.Plaintext)})
	}
	token, err := e.store.Wallets.OpenLink(admin, ann.ID, codes)
	if err != nil {
		t.Fatalf("OpenLink: %v", err)
	}
	var wl ledger.Wallet
	e.walletDo("GET", api.WalletPath, token, "").want(t, http.StatusOK, &wl)
	if len(wl.Tickets) != 2 {
		t.Fatalf("wallet = %+v, want two tickets", wl)
	}
	ticket := func(i int) string { return api.WalletPath + "/tickets/" + wl.Tickets[i].ID }
	body := `{"to":{"email":"bea@example.com","lastName":"Example"}}`
	if r := e.walletDo("POST", ticket(0)+"/transfer", "", body); r.status != http.StatusUnauthorized ||
		!strings.HasPrefix(r.header.Get("WWW-Authenticate"), api.WalletScheme) {
		t.Errorf("a transfer without the link's token: %d %s", r.status, r.body)
	}
	res := e.walletDo("POST", ticket(0)+"/transfer", token, body)
	var out api.WalletTransferred
	res.want(t, http.StatusOK, &out)
	if !out.Mailed || strings.Contains(string(res.body), "qr") || strings.Contains(string(res.body), "secret") {
		t.Errorf("wallet transfer answered %s, want mailed and nothing of the ticket", res.body)
	}
	if len(mail.sent) != 1 || mail.sent[0].customer == ann.ID {
		t.Fatalf("mails = %+v, want one to the receiver", mail.sent)
	}
	if got := e.admitOne(addr, codes[0].QR, "north"); got.Status != ledger.StatusInvalid {
		t.Errorf("the giver's QR: %+v, want invalid", got)
	}
	e.walletDo("GET", ticket(0)+"/code", token, "").wantErrorText(t, http.StatusBadRequest, ledger.EREFUSED, "transferred")
	if got := e.admitOne(addr, mail.sent[0].p.QR[0], "north"); got.Status != ledger.StatusAdmitted {
		t.Errorf("the receiver's QR: %+v, want admitted", got)
	}

	var o ledger.ResaleOffer
	e.walletDo("POST", ticket(1)+"/offer", token, `{"price":101}`).wantErrorText(t, http.StatusBadRequest, ledger.EREFUSED, "cap")
	e.walletDo("POST", ticket(1)+"/offer", token, `{"price":90}`).want(t, http.StatusCreated, &o)
	e.walletDo("POST", ticket(1)+"/withdraw", token, `{"offer":`+itoa(o.ID)+`}`).want(t, http.StatusOK, &o)
	if o.State != ledger.OfferWithdrawn {
		t.Errorf("withdrawn offer = %+v", o)
	}
	e.verifyOK()
}
