package server_test

import (
	"context"
	"log/slog"
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

// newMailingEnv is newEnv whose server mails the tickets it confirms, as `serve` wires
// it, into an outbox folder; it returns the folder.
func newMailingEnv(t *testing.T) (*env, string) {
	t.Helper()
	e := newEnv(t)
	outbox := filepath.Join(t.TempDir(), "outbox")
	svc := wiring.Mailing(wiring.Services(e.store), e.store, wiring.Mailer{Queue: &delivery.Outbox{Dir: outbox},
		PublicURL: "https://tickets.example"})
	h, err := server.New(svc, slog.New(slog.NewJSONHandler(e.logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	e.srv = serveWith(t, h, server.DefaultTimeouts)
	return e, outbox
}

// outboxMails reads the outbox's mails, by file name.
func outboxMails(t *testing.T, dir string) map[string]mailtest.Message {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
	out := map[string]mailtest.Message{}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(f)] = mailtest.Parse(t, raw)
	}
	return out
}

// TestTicketparkMailsTheTickets: Ticketpark's confirmation goes through the mailing
// confirmer (one mail, to the person's address, with the PDF); email/send reissues the
// tickets not checked in and mails them again, answering which were reissued and which
// skipped; the native send route does the same, and refuses in words what it cannot.
func TestTicketparkMailsTheTickets(t *testing.T) {
	e, outbox := newMailingEnv(t)
	s := e.tpSetUp()
	person := e.tpCreate("persons/", e.shop, tpPersonDoc, 1)[0]
	booking := e.tpCreate("bookings/", e.shop, tpFill(tpBookingDoc, "{pid of person from request 1}", person), 1)[0]
	e.tpCreate("tickets/", e.shop, tpTickets(booking, s.shows[0], s.prices[0], s.sectors[0], false, 2), 2)
	var confirmed tpBookingRead
	e.do("PATCH", "/ticketpark/bookings/"+booking, e.shop, `{"confirmation": true}`).want(t, http.StatusOK, &confirmed)
	mails := outboxMails(t, outbox)
	m, ok := mails["booking-booking-1-confirmed.eml"]
	if !ok || len(mails) != 1 || m.Header.Get("To") != "<tom@tomsons.com>" || len(m.All("application/pdf")) != 1 {
		t.Fatalf("after the confirmation the outbox holds %d mails: %v", len(mails), mails)
	}
	var show tpCapacityAnswer
	e.tpGet("shows/"+s.shows[0], e.shop, &show)
	checkIn := func(qr, nonce string) string {
		var res api.CheckInResponse
		e.do("POST", api.ContractPath(show.Contract, "CheckIn"), e.gate, `{"qr": `+jsonString(qr)+`, "gate": "Main", "nonce": "`+nonce+`"}`).
			want(t, http.StatusOK, &res)
		return res.Results[0].Status
	}
	if got := checkIn(confirmed.Tickets[0].QR, "n1"); got != ledger.StatusAdmitted {
		t.Fatalf("first ticket at the gate: %s", got)
	}
	var sent struct {
		Booking, Status string
		Reissued        []string
		Skipped         []issuer.SkippedTicket
	}
	e.do("POST", "/ticketpark/email/send", e.shop, `{"booking": "`+booking+`", "type": "confirmation"}`).want(t, http.StatusAccepted, &sent)
	if sent.Status != "accepted" || len(sent.Reissued) != 1 || len(sent.Skipped) != 1 || sent.Skipped[0].Reason != "checked in at the gate" {
		t.Errorf("email/send answered %+v", sent)
	}
	if n := len(outboxMails(t, outbox)); n != 2 {
		t.Errorf("after email/send the outbox holds %d mails, want 2", n)
	}
	if got := checkIn(confirmed.Tickets[1].QR, "n2"); got != ledger.StatusInvalid {
		t.Errorf("the second ticket's code from before email/send: %s, want invalid", got)
	}
	tb, err := e.store.Ticketpark.Booking(ledger.WithActor(context.Background(), ledger.Actor{Admin: true}), booking)
	if err != nil {
		t.Fatal(err)
	}
	var resent issuer.Resent
	e.do("POST", api.BookingPath(tb.Booking, "send"), e.shop, "").want(t, http.StatusOK, &resent)
	if len(resent.Reissued) != 1 || len(resent.Skipped) != 1 || len(outboxMails(t, outbox)) != 3 {
		t.Errorf("the native send answered %+v", resent)
	}
	e.do("POST", api.BookingPath(tb.Booking, "send"), e.gate, "").wantErrorText(t, http.StatusForbidden, ledger.EFORBIDDEN, "")
	e.do("POST", api.BookingPath(99, "send"), e.shop, "").wantErrorText(t, http.StatusNotFound, ledger.ENOTFOUND, "")
	open := e.tpCreate("bookings/", e.shop, tpFill(tpBookingDoc, "{pid of person from request 1}", person), 1)[0]
	e.do("POST", "/ticketpark/email/send", e.shop, `{"booking": "`+open+`", "type": "confirmation"}`).
		wantErrorText(t, http.StatusConflict, ledger.ECONFLICT, "not confirmed")
	if strings.Contains(e.logs.String(), "tom@tomsons.com") || strings.Contains(e.logs.String(), "Tomson") {
		t.Errorf("the log names the customer:\n%s", e.logs.String())
	}
}

// TestBamIssueMailsTheTickets: the /bam/ facade's issue confirms through the mailing
// confirmer too: a PDF reservation's mail carries the PDF and the wallet link, a SECURE
// one's the link alone.
func TestBamIssueMailsTheTickets(t *testing.T) {
	e, outbox := newMailingEnv(t)
	addr := e.openSale(threeSeats, threePrices, 1000, saleRules{})
	ev := e.bamEvent(addr)
	owner := `"` + itoa(e.newCustomer()) + `"`
	for i, format := range []string{"PDF", "SECURE"} {
		held := e.bamTickets("ticket/reserve", e.shop, bamReserveBody(ev, owner, format, 1, `[`+seatJSON(i+1, "A")+`]`), http.StatusCreated)
		e.bamTickets("ticket/issue", e.shop, bamIDs(held...), http.StatusCreated)
	}
	mails := outboxMails(t, outbox)
	if len(mails) != 2 {
		t.Fatalf("%d mails after two issues, want 2", len(mails))
	}
	for name, m := range mails {
		text := string(m.One(t, "text/plain").Body)
		pdf := len(m.All("application/pdf"))
		if !strings.Contains(text, "https://tickets.example/wallet#") || m.Header.Get("To") != "<ann@example.org>" ||
			(name == "booking-booking-1-confirmed.eml") != (pdf == 1) {
			t.Errorf("%s: %d PDFs, To %q, text:\n%s", name, pdf, m.Header.Get("To"), text)
		}
	}
}

// TestTransferMailsThroughTheCourier: as `serve` wires it, a transfer's mail goes through
// the Courier: the receiver gets the moved ticket in their language, its PDF and a
// wallet link, under the key transfer/<transaction>.
func TestTransferMailsThroughTheCourier(t *testing.T) {
	e, outbox := newMailingEnv(t)
	addr := e.openSale(`[`+seatJSON(1, "A")+`]`, `[{"seat":`+seatJSON(1, "A")+`,"price":100}]`, 50, saleRules{})
	e.buy(addr, seatJSON(1, "A"), "ann-account", "")
	body := `{"seat":` + seatJSON(1, "A") + `,"to":{"email":"bea@example.com","firstName":"Bea","locale":"de-CH"}}`
	var d api.Delivered
	e.do("POST", api.ContractPath(addr, "TransferTicket"), e.shop, body).want(t, http.StatusOK, &d)
	mails := outboxMails(t, outbox)
	m, ok := mails["booking-"+delivery.OutboxName("transfer/"+d.Purchase.TransactionHash)+".eml"]
	if !d.Mailed || !ok || len(mails) != 1 {
		t.Fatalf("transfer answered %+v; the outbox holds %v", d, mails)
	}
	if m.Header.Get("To") != "<bea@example.com>" || len(m.All("application/pdf")) != 1 ||
		!strings.Contains(string(m.One(t, "text/plain").Body), "Hallo Bea") {
		t.Errorf("the receiver's mail: To %q, text:\n%s", m.Header.Get("To"), m.One(t, "text/plain").Body)
	}
}
