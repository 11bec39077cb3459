package server_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/crypto"
	"github.com/ticketbooth-go/ticketbooth/delivery"
	"github.com/ticketbooth-go/ticketbooth/internal/mailtest"
	"github.com/ticketbooth-go/ticketbooth/internal/wiring"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/server"
)

// withCourier serves the env's store again with the real Courier mailing into an outbox
// folder, and returns the folder.
func (e *env) withCourier() string {
	e.t.Helper()
	outbox := filepath.Join(e.t.TempDir(), "outbox")
	svc := wiring.Services(e.store)
	svc.TicketMail = &delivery.Courier{Ledger: e.store.Ledger(), Customers: e.store.Customers, Tickets: e.store.TicketLists,
		Queue: &delivery.Outbox{Dir: outbox}, Layout: issuer.LayoutA6, Now: e.clock.Now}
	h, err := server.New(svc, nil)
	if err != nil {
		e.t.Fatalf("server.New: %v", err)
	}
	e.srv = serveWith(e.t, h, server.DefaultTimeouts)
	return outbox
}

// mailTo reads the outbox's one mail whose name has the key, and returns it with the QR
// text of its PDF's one ticket, read back from the printed page.
func mailTo(t *testing.T, outbox, key string) (mailtest.Message, string) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(outbox, "*"+delivery.OutboxName(key)+"*.eml"))
	if len(files) != 1 {
		all, _ := filepath.Glob(filepath.Join(outbox, "*"))
		t.Fatalf("%d mails for %s in the outbox (%v), want one", len(files), key, all)
	}
	raw, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	m := mailtest.Parse(t, raw)
	codes := mailtest.PDFCodes(t, m.One(t, "application/pdf").Body)
	if len(codes) != 1 {
		t.Fatalf("the mail's PDF holds %d codes, want one", len(codes))
	}
	return m, codes[0]
}

// TestTransferAndReissueMailed: with the real Courier, a transfer by e-mail queues the
// receiver's mail, addressed to them, whose printed code is admitted at the gate while the
// giver's is refused; a reissue of the receiver's lost ticket queues a second mail to
// them whose code is admitted, the lost one refused from then on.
func TestTransferAndReissueMailed(t *testing.T) {
	e := newEnv(t)
	outbox := e.withCourier()
	addr := e.openSale(`[`+seatJSON(1, "A")+`]`, `[{"seat":`+seatJSON(1, "A")+`,"price":100}]`, 50, saleRules{})
	bought := e.buy(addr, seatJSON(1, "A"), "ann-account", "")
	var d api.Delivered
	e.do("POST", api.ContractPath(addr, "TransferTicket"), e.shop,
		`{"seat":`+seatJSON(1, "A")+`,"to":{"email":"bea@example.com","firstName":"Bea","lastName":"Example","locale":"de"}}`).want(t, http.StatusOK, &d)
	if !d.Mailed {
		t.Fatalf("transfer answered %+v, want mailed", d)
	}
	m, qr := mailTo(t, outbox, "transfer/"+d.Purchase.TransactionHash)
	if to := m.Header.Get("To"); !strings.Contains(to, "bea@example.com") {
		t.Errorf("the transfer's mail goes to %q", to)
	}
	if got := e.admitOne(addr, bought.QR, "north"); got.Status != ledger.StatusInvalid {
		t.Errorf("the giver's QR: %+v, want invalid", got)
	}
	e.do("POST", api.ContractPath(addr, "ReissueAndSend"), e.shop, `{"seat":`+seatJSON(1, "A")+`}`).want(t, http.StatusOK, &d)
	if !d.Mailed || d.Customer == 0 {
		t.Fatalf("reissue answered %+v, want mailed", d)
	}
	_, qr2 := mailTo(t, outbox, "ticket/"+addr+"/1A/reissued/"+d.Purchase.TransactionHash)
	if got := e.admitOne(addr, qr, "north"); got.Status != ledger.StatusInvalid {
		t.Errorf("the lost QR after the reissue: %+v, want invalid", got)
	}
	if got := e.admitOne(addr, qr2, "north"); got.Status != ledger.StatusAdmitted {
		t.Errorf("the reissued QR from the mail: %+v, want admitted", got)
	}
	e.verifyOK()
}

// TestWalletReissueMailed: from a wallet link that lists the ticket but keeps no code for
// it, the holder asks to have it sent again: the ticket is reissued (the lost code refused
// from then on) and mailed to them, the printed code admitted; another customer's link,
// and a request without a token, are refused.
func TestWalletReissueMailed(t *testing.T) {
	e := newEnv(t)
	outbox := e.withCourier()
	admin := ledger.WithActor(context.Background(), ledger.Actor{Admin: true})
	addr := e.openSale(`[`+seatJSON(1, "A")+`]`, `[{"seat":`+seatJSON(1, "A")+`,"price":100}]`, 50, saleRules{})
	ann, err := e.store.Customers.CreateCustomer(admin, ledger.Customer{LastName: "Ann", Email: "ann@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	other, err := e.store.Customers.CreateCustomer(admin, ledger.Customer{LastName: "Other", Email: "other@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	bought := e.buy(addr, seatJSON(1, "A"), ledger.BookingSender(ann.ID), "")
	code := ledger.WalletCode{Contract: addr, Seat: bought.Seat, QR: bought.QR, SecretDigest: crypto.SecretDigest(bought.Secret.Plaintext)}
	if _, err := e.store.Wallets.OpenLink(admin, ann.ID, []ledger.WalletCode{code}); err != nil { // the mail's link, lost
		t.Fatal(err)
	}
	token, err := e.store.Wallets.OpenLink(admin, ann.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	strangers, err := e.store.Wallets.OpenLink(admin, other.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	var wl ledger.Wallet
	e.walletDo("GET", api.WalletPath, token, "").want(t, http.StatusOK, &wl)
	if len(wl.Tickets) != 1 || wl.Tickets[0].HasCode {
		t.Fatalf("wallet = %+v, want the one ticket without its code", wl)
	}
	path := api.WalletPath + "/tickets/" + wl.Tickets[0].ID + "/reissue"
	if r := e.walletDo("POST", path, "", ""); r.status != http.StatusUnauthorized {
		t.Errorf("a reissue without the token: %d %s", r.status, r.body)
	}
	e.walletDo("POST", path, strangers, "").wantError(t, http.StatusNotFound, ledger.ENOTFOUND)
	var out api.WalletTransferred
	e.walletDo("POST", path, token, "").want(t, http.StatusOK, &out)
	if !out.Mailed {
		t.Fatalf("wallet reissue answered %+v, want mailed", out)
	}
	files, _ := filepath.Glob(filepath.Join(outbox, "*.eml"))
	if len(files) != 1 {
		t.Fatalf("%d reissue mails in the outbox, want one", len(files))
	}
	raw, _ := os.ReadFile(files[0])
	m := mailtest.Parse(t, raw)
	if !strings.Contains(m.Header.Get("To"), "ann@example.com") {
		t.Errorf("the reissue's mail goes to %q", m.Header.Get("To"))
	}
	codes := mailtest.PDFCodes(t, m.One(t, "application/pdf").Body)
	if got := e.admitOne(addr, bought.QR, "north"); got.Status != ledger.StatusInvalid {
		t.Errorf("the lost QR: %+v, want invalid", got)
	}
	if len(codes) != 1 {
		t.Fatalf("%d codes in the reissue's PDF", len(codes))
	}
	if got := e.admitOne(addr, codes[0], "north"); got.Status != ledger.StatusAdmitted {
		t.Errorf("the mailed QR: %+v, want admitted", got)
	}
	e.verifyOK()
}
