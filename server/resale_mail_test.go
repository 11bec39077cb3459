package server_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/api"
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
