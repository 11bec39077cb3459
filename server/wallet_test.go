package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/crypto"
	"github.com/ticketbooth-go/ticketbooth/internal/wiring"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/qrdecode"
	"github.com/ticketbooth-go/ticketbooth/server"
)

// walletFixture is a sale (its show in Zurich's time) with two customers' confirmed bookings and a wallet link each
// holding the codes their confirmation gave them.
type walletFixture struct {
	*env
	addr                string
	mine, theirs        issuer.Purchase
	mineID, theirsID    int64
	myToken, theirToken string
}

func newWalletFixture(t *testing.T) *walletFixture {
	t.Helper()
	f := &walletFixture{env: newEnv(t)}
	f.addr = f.create(threeSeats)
	body := strings.Replace(f.saleBody(threePrices, 1000), `"organiser":"Globe"`, `"organiser":"Globe","timeZone":"Europe/Zurich"`, 1)
	f.do("POST", api.ContractPath(f.addr, "BeginSale"), f.alice, body).want(t, http.StatusCreated, nil)
	f.mineID, f.mine = f.confirmed(seatJSON(1, "A"), seatJSON(2, "A"))
	f.theirsID, f.theirs = f.confirmed(seatJSON(1, "B"))
	f.myToken = f.openLink(f.mineID, f.mine)
	f.theirToken = f.openLink(f.theirsID, f.theirs)
	return f
}

// confirmed books the seats for a new customer and confirms them: the customer and the
// purchase with its keys, one QR code a ticket.
func (f *walletFixture) confirmed(seats ...string) (int64, issuer.Purchase) {
	f.t.Helper()
	b := f.newBooking(f.addr)
	f.do("POST", api.BookingPath(b.ID, "tickets"), f.shop, `{"seats":[`+strings.Join(seats, ",")+`]}`).want(f.t, http.StatusOK, nil)
	var p issuer.Purchase
	f.do("POST", api.BookingPath(b.ID, "confirm"), f.shop, `{"ticketsPerQR":1}`).want(f.t, http.StatusCreated, &p)
	if len(p.QR) != len(seats) {
		f.t.Fatalf("%d QR codes for %d tickets", len(p.QR), len(seats))
	}
	return b.Customer, p
}

// openLink makes a link holding the purchase's codes, as the confirmation mail does.
func (f *walletFixture) openLink(customer int64, p issuer.Purchase) string {
	f.t.Helper()
	codes := make([]ledger.WalletCode, len(p.Tickets))
	for i, tk := range p.Tickets {
		codes[i] = ledger.WalletCode{Contract: p.Contract, Seat: tk.Seat, QR: p.QR[i], SecretDigest: crypto.SecretDigest(tk.Secret.Plaintext)}
	}
	admin := ledger.WithActor(context.Background(), ledger.Actor{Admin: true})
	token, err := f.store.Wallets.OpenLink(admin, customer, codes)
	if err != nil {
		f.t.Fatalf("OpenLink: %v", err)
	}
	return token
}

// walletDo sends a request to the wallet's API with the Authorization header as given.
func (f *walletFixture) walletDo(method, path, authorization string) response {
	f.t.Helper()
	req, err := http.NewRequest(method, f.srv.URL+path, nil)
	if err != nil {
		f.t.Fatal(err)
	}
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	return f.send(req)
}

// wantWalletRefused checks a 401 of the wallet: in words, challenging with the Wallet scheme.
func wantWalletRefused(t *testing.T, r response) {
	t.Helper()
	var e api.ErrorResponse
	r.want(t, http.StatusUnauthorized, &e)
	checkSentence(t, e.Error)
	if e.Code != ledger.EUNAUTHORIZED || !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Wallet ") {
		t.Errorf("401 with code %q and WWW-Authenticate %q", e.Code, r.header.Get("WWW-Authenticate"))
	}
}

// TestWalletRoutes: the link lists its customer's tickets and nothing of anyone else,
// shows their codes as text and as a PNG that admits at the gate, and never another
// customer's ticket.
func TestWalletRoutes(t *testing.T) {
	f := newWalletFixture(t)
	var wl ledger.Wallet
	r := f.walletDo("GET", api.WalletPath, "Wallet "+f.myToken)
	r.want(t, http.StatusOK, &wl)
	if len(wl.Tickets) != 2 || wl.Language != "en" || r.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("wallet %+v (Cache-Control %q), want 2 tickets in English, not stored", wl, r.header.Get("Cache-Control"))
	}
	for _, tk := range wl.Tickets {
		if tk.Seat.String() == "1B" {
			t.Errorf("the wallet lists the other customer's seat 1B: %s", r.body)
		}
	}
	for _, leak := range []string{"Ann", "Example", "@", f.theirs.Holder, f.mine.Holder, ledger.BookingSender(f.theirsID), f.theirs.QR[0]} {
		if strings.Contains(string(r.body), leak) {
			t.Errorf("the wallet shows %q: %s", leak, r.body)
		}
	}
	for i, tk := range wl.Tickets {
		var code api.WalletCode
		f.walletDo("GET", api.WalletCodePath(tk.ID, false), "Wallet "+f.myToken).want(t, http.StatusOK, &code)
		if code.QR != f.mine.QR[i] || code.Ticket != tk.ID || !tk.HasCode {
			t.Errorf("code of %s = %+v, want the purchase's QR %d", tk.ID, code, i)
		}
	}
	png := f.walletDo("GET", api.WalletCodePath(wl.Tickets[0].ID, true), "Wallet "+f.myToken)
	if png.status != http.StatusOK || png.header.Get("Content-Type") != "image/png" {
		t.Fatalf("code.png: %d %s", png.status, png.header.Get("Content-Type"))
	}
	qr, err := qrdecode.DecodeBytes(png.body)
	if err != nil || qr != f.mine.QR[0] {
		t.Fatalf("the PNG reads %q (%v), want the ticket's QR", qr, err)
	}
	if res := f.admitOne(f.addr, qr, "North"); res.Status != ledger.StatusAdmitted {
		t.Errorf("the wallet's code at the gate: %+v", res)
	}
	var theirs ledger.Wallet
	f.walletDo("GET", api.WalletPath, "Wallet "+f.theirToken).want(t, http.StatusOK, &theirs)
	r = f.walletDo("GET", api.WalletCodePath(theirs.Tickets[0].ID, false), "Wallet "+f.myToken)
	r.wantErrorText(t, http.StatusNotFound, ledger.ENOTFOUND, "not in this wallet")
	if strings.Contains(string(r.body), f.theirs.QR[0]) {
		t.Errorf("another customer's code answered: %s", r.body)
	}
	if strings.Contains(f.logs.String(), f.myToken) {
		t.Error("the log holds a wallet token")
	}
}

// TestWalletRoutesRefused: missing, malformed, unknown and revoked tokens are 401 in
// words; a reissued ticket's code is refused in words; the holder revokes the link.
func TestWalletRoutesRefused(t *testing.T) {
	f := newWalletFixture(t)
	unknown := []byte(f.myToken)
	unknown[5] ^= 1
	for _, h := range []string{"", "Bearer " + f.shop, "Wallet", "Wallet ", "Wallet abc", "wallet " + f.myToken,
		"Wallet " + string(unknown), "Wallet " + f.myToken + "x", "Basic " + f.myToken} {
		wantWalletRefused(t, f.walletDo("GET", api.WalletPath, h))
	}
	var wl ledger.Wallet
	f.walletDo("GET", api.WalletPath, "Wallet "+f.myToken).want(t, http.StatusOK, &wl)
	f.walletDo("GET", api.WalletCodePath("nonsense", false), "Wallet "+f.myToken).wantErrorText(t, http.StatusBadRequest, ledger.EINVALID, "ADDRESS:SALE:INDEX")
	reissue := `{"seat":` + seatJSON(1, "A") + `,"sender":"` + ledger.BookingSender(f.mineID) + `"}`
	f.do("POST", api.ContractPath(f.addr, "ReissueTicket"), f.alice, reissue).want(t, http.StatusCreated, nil)
	f.walletDo("GET", api.WalletCodePath(wl.Tickets[0].ID, false), "Wallet "+f.myToken).
		wantErrorText(t, http.StatusBadRequest, ledger.EREFUSED, "reissued or transferred")

	if r := f.walletDo("POST", api.WalletRevokePath, "Wallet "+f.myToken); r.status != http.StatusNoContent {
		t.Fatalf("revoke: %d %s", r.status, r.body)
	}
	wantWalletRefused(t, f.walletDo("GET", api.WalletPath, "Wallet "+f.myToken))
	wantWalletRefused(t, f.walletDo("POST", api.WalletRevokePath, "Wallet "+f.myToken))
	f.walletDo("GET", api.WalletPath, "Wallet "+f.theirToken).want(t, http.StatusOK, nil)
}

// TestWalletNewLink: the box office makes a new link for a customer, revoking the old
// ones when asked; keys that may not manage customers are refused.
func TestWalletNewLink(t *testing.T) {
	f := newWalletFixture(t)
	path := api.CustomerPath(f.mineID, "wallet-link")
	f.do("POST", path, "", "").wantError(t, http.StatusUnauthorized, ledger.EUNAUTHORIZED)
	f.do("POST", path, f.gate, "").wantError(t, http.StatusForbidden, ledger.EFORBIDDEN)
	f.do("POST", path, f.shop, `{"revoke":"yes"}`).wantError(t, http.StatusBadRequest, ledger.EINVALID)
	var kept api.WalletLinkResponse
	f.do("POST", path, f.shop, "").want(t, http.StatusCreated, &kept)
	if kept.Revoked != 0 || kept.Link != "/wallet#"+kept.Token || kept.Customer != f.mineID {
		t.Errorf("new link %+v", kept)
	}
	f.walletDo("GET", api.WalletPath, "Wallet "+f.myToken).want(t, http.StatusOK, nil)
	var fresh api.WalletLinkResponse
	f.do("POST", path, f.shop, `{"revoke":true}`).want(t, http.StatusCreated, &fresh)
	if fresh.Revoked != 2 {
		t.Errorf("revoked %d links, want 2", fresh.Revoked)
	}
	wantWalletRefused(t, f.walletDo("GET", api.WalletPath, "Wallet "+f.myToken))
	wantWalletRefused(t, f.walletDo("GET", api.WalletPath, "Wallet "+kept.Token))
	var wl ledger.Wallet
	f.walletDo("GET", api.WalletPath, "Wallet "+fresh.Token).want(t, http.StatusOK, &wl)
	if len(wl.Tickets) != 2 || wl.Tickets[0].HasCode {
		t.Errorf("the fresh link's wallet %+v, want both tickets without codes", wl)
	}
}

// recordedMail records the purchases mailed, instead of mailing them.
type recordedMail struct{ sent []issuer.Purchase }

func (m *recordedMail) SendTickets(ctx context.Context, customer int64, why string, p issuer.Purchase) error {
	m.sent = append(m.sent, p)
	return nil
}

// TestWalletResendByMail: {"send": true} revokes the customer's links, reissues their
// tickets with the request's key and mails them (through TicketMail), answering what it
// did; a server that mails nothing refuses in words.
func TestWalletResendByMail(t *testing.T) {
	f := newWalletFixture(t)
	path := api.CustomerPath(f.mineID, "wallet-link")
	f.do("POST", path, f.shop, `{"send":true}`).wantErrorText(t, http.StatusBadRequest, ledger.EREFUSED, "sends no e-mail")
	mail := &recordedMail{}
	svc := wiring.Services(f.store)
	svc.TicketMail = mail
	h, err := server.New(svc, nil)
	if err != nil {
		t.Fatal(err)
	}
	f.srv = serveWith(t, h, server.DefaultTimeouts)
	var out ledger.WalletResend
	f.do("POST", path, f.shop, `{"send":true}`).want(t, http.StatusOK, &out)
	if out.Revoked != 1 || out.Reissued != 2 || out.Mails != 1 || len(mail.sent) != 1 || len(mail.sent[0].QR) != 2 {
		t.Errorf("resend answered %+v, mailed %+v", out, mail.sent)
	}
	wantWalletRefused(t, f.walletDo("GET", api.WalletPath, "Wallet "+f.myToken))
	if res := f.admitOne(f.addr, f.mine.QR[0], "North"); res.Status != ledger.StatusInvalid {
		t.Errorf("the old code after the resend: %+v", res)
	}
	if res := f.admitOne(f.addr, mail.sent[0].QR[0], "North"); res.Status != ledger.StatusAdmitted {
		t.Errorf("the mailed code: %+v", res)
	}
}
