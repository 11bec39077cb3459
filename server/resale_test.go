package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/client"
	"github.com/ticketbooth-go/ticketbooth/internal/wiring"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/server"
)

// sentMail is one mail a test's mailer was asked to queue.
type sentMail struct {
	customer int64
	why      string
	p        issuer.Purchase
}

// recordingMailer keeps the mails it is asked to send (delivery.Courier's part).
type recordingMailer struct {
	mu   sync.Mutex
	sent []sentMail
}

func (m *recordingMailer) SendTickets(ctx context.Context, customer int64, why string, p issuer.Purchase) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = append(m.sent, sentMail{customer, why, p})
	return nil
}

// withMailer serves the env's store again, now with the mailer (as `serve` wires the
// courier), and returns it.
func (e *env) withMailer() *recordingMailer {
	e.t.Helper()
	m := &recordingMailer{}
	svc := wiring.Services(e.store)
	svc.TicketMail = m
	h, err := server.New(svc, nil)
	if err != nil {
		e.t.Fatalf("server.New: %v", err)
	}
	e.srv = serveWith(e.t, h, server.DefaultTimeouts)
	return m
}

func (e *env) verifyOK() {
	e.t.Helper()
	e.clock.AdvanceBlocks(1)
	rep, err := e.store.Journal.Verify(ledger.WithActor(context.Background(), ledger.Actor{Admin: true}))
	if err != nil || !rep.OK {
		e.t.Errorf("Verify = %+v, %v", rep, err)
	}
}

// TestTransferByEmail: the shop transfers a ticket to a person by e-mail address under
// the identity policy: the receiver is created as a customer (and found again by the
// address next time), the mail is queued for them, the old QR is refused at the gate at
// once and the new one admitted showing the receiver's name; the ledger verifies.
func TestTransferByEmail(t *testing.T) {
	e := newEnv(t)
	mail := e.withMailer()
	addr := e.openSale(`[`+seatJSON(1, "A")+`]`, `[{"seat":`+seatJSON(1, "A")+`,"price":100}]`, 50, saleRules{identity: true})
	bought := e.buy(addr, seatJSON(1, "A"), "ann-account", "Ann Example")
	body := `{"seat":` + seatJSON(1, "A") + `,"to":{"email":"bea@example.com","firstName":"Bea","lastName":"Zoë Example","locale":"de-CH"}}`
	var d api.Delivered
	e.do("POST", api.ContractPath(addr, "TransferTicket"), e.bob, body).wantError(t, http.StatusForbidden, ledger.EFORBIDDEN)
	e.do("POST", api.ContractPath(addr, "TransferTicket"), e.shop, body).want(t, http.StatusOK, &d)
	if !d.Mailed || d.Customer == 0 || len(d.Purchase.QR) != 1 {
		t.Fatalf("transfer answered %+v, want a mailed ticket for a customer", d)
	}
	if len(mail.sent) != 1 || mail.sent[0].customer != d.Customer || mail.sent[0].why != "transfer/"+d.Purchase.TransactionHash ||
		mail.sent[0].p.QR[0] != d.Purchase.QR[0] {
		t.Errorf("mails = %+v, want the new ticket for customer %d", mail.sent, d.Customer)
	}
	if got := e.admitOne(addr, bought.QR, "north"); got.Status != ledger.StatusInvalid {
		t.Errorf("the old QR at the gate: %+v, want invalid", got)
	}
	if got := e.admitOne(addr, d.Purchase.QR[0], "north"); got.Status != ledger.StatusAdmitted || got.Name != "Bea Zoë Example" {
		t.Errorf("the new QR at the gate: %+v, want Bea Zoë Example admitted", got)
	}
	cu, err := e.store.Customers.Customer(ledger.WithActor(context.Background(), ledger.Actor{Admin: true}), d.Customer)
	if err != nil || cu.Email != "bea@example.com" || cu.Locale != "de-CH" {
		t.Errorf("receiver = %+v, %v", cu, err)
	}
	e.verifyOK()
}

// TestTransferRefusals: a transfer without a receiver, of a free seat, or asking to mail
// from a server that cannot is refused in words, and moves nothing.
func TestTransferRefusals(t *testing.T) {
	e := newEnv(t)
	addr := e.openSale(`[`+seatJSON(1, "A")+`,`+seatJSON(1, "B")+`]`, `[{"seat":`+seatJSON(1, "A")+`,"price":100},{"seat":`+seatJSON(1, "B")+`,"price":100}]`, 50, saleRules{})
	e.buy(addr, seatJSON(1, "A"), "ann-account", "")
	path := api.ContractPath(addr, "TransferTicket")
	e.do("POST", path, e.shop, `{"seat":`+seatJSON(1, "A")+`}`).wantErrorText(t, http.StatusBadRequest, ledger.EINVALID, "receiver")
	e.do("POST", path, e.shop, `{"seat":`+seatJSON(1, "A")+`,"to":{"email":"a@example.com"},"send":true}`).
		wantErrorText(t, http.StatusBadRequest, ledger.EINVALID, "does not mail")
	e.do("POST", path, e.shop, `{"seat":`+seatJSON(1, "B")+`,"to":{"email":"a@example.com","lastName":"A"}}`).
		wantErrorText(t, http.StatusBadRequest, ledger.EREFUSED, "not sold")
	e.do("POST", path, e.shop, `{"seat":`+seatJSON(1, "A")+`,"to":{"email":"a@example.com"},"colour":1}`).
		wantErrorText(t, http.StatusBadRequest, ledger.EINVALID, "colour")
	var d api.Delivered
	e.do("POST", path, e.shop, `{"seat":`+seatJSON(1, "A")+`,"to":{"email":"a@example.com","lastName":"A"}}`).want(t, http.StatusOK, &d)
	if d.Mailed {
		t.Errorf("a server without a mailer mailed: %+v", d)
	}
	e.verifyOK()
}

// TestResaleHTTPRush: the organizer's terms cap and charge an offer; several HTTP clients
// buy one offer at once: exactly one buys it and is mailed the ticket, the others are
// refused as sold (409); the seller is credited the price less the fee; the ledger
// verifies.
func TestResaleHTTPRush(t *testing.T) {
	e := newEnv(t)
	mail := e.withMailer()
	addr := e.openSale(`[`+seatJSON(1, "A")+`]`, `[{"seat":`+seatJSON(1, "A")+`,"price":100}]`, 50, saleRules{})
	bought := e.buy(addr, seatJSON(1, "A"), "ann-account", "")
	e.do("POST", api.ContractPath(addr, "ResaleTerms"), e.shop, `{"capPercent":120}`).wantError(t, http.StatusForbidden, ledger.EFORBIDDEN)
	e.do("POST", api.ContractPath(addr, "ResaleTerms"), e.alice, `{"capPercent":120,"feeAmount":5}`).want(t, http.StatusOK, nil)
	offer := func(price int64) response {
		return e.do("POST", api.ContractPath(addr, "ResaleOffers"), e.shop,
			fmt.Sprintf(`{"seat":%s,"secret":%q,"price":%d}`, seatJSON(1, "A"), bought.Secret.Plaintext, price))
	}
	offer(121).wantErrorText(t, http.StatusBadRequest, ledger.EREFUSED, "cap of 120")
	var o ledger.ResaleOffer
	offer(120).want(t, http.StatusCreated, &o)
	var list api.OffersResponse
	e.do("GET", api.ContractPath(addr, "ResaleOffers"), e.shop, "").want(t, http.StatusOK, &list)
	if len(list.Offers) != 1 || list.Offers[0].ID != o.ID || list.Offers[0].Price != 120 {
		t.Errorf("open offers = %+v, want offer %d at 120", list.Offers, o.ID)
	}
	const buyers = 8
	results := make([]error, buyers)
	var wg sync.WaitGroup
	for i := range buyers {
		cu, err := e.store.Customers.CreateCustomer(ledger.WithActor(context.Background(), ledger.Actor{Admin: true}),
			ledger.Customer{LastName: fmt.Sprintf("Buyer %d", i), Email: fmt.Sprintf("buyer%d@example.com", i)})
		if err != nil {
			t.Fatalf("CreateCustomer: %v", err)
		}
		c, err := client.New(e.srv.URL, e.shop)
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, results[i] = c.BuyOffer(context.Background(), o.ID, api.BuyBody{Customer: cu.ID})
		}()
	}
	wg.Wait()
	won := 0
	for _, err := range results {
		if err == nil {
			won++
		} else if ledger.ErrorCode(err) != ledger.ECONFLICT || !strings.Contains(err.Error(), "already sold") {
			t.Errorf("a losing buyer got %v, want 409 already sold", err)
		}
	}
	if won != 1 || len(mail.sent) != 1 || mail.sent[0].why != fmt.Sprintf("resale/%d", o.ID) {
		t.Errorf("%d buyers won, mails %+v; want exactly one of each", won, mail.sent)
	}
	var credits api.CreditsResponse
	e.do("GET", api.ContractPath(addr, "ResaleCredits"), e.alice, "").want(t, http.StatusOK, &credits)
	if len(credits.Credits) != 1 || credits.Credits[0].Credit != 115 || credits.Credits[0].Fee != 5 || credits.Credits[0].Account != "ann-account" {
		t.Errorf("credits = %+v, want ann-account owed 115 after a fee of 5", credits.Credits)
	}
	if got := e.admitOne(addr, bought.QR, "north"); got.Status != ledger.StatusInvalid {
		t.Errorf("the seller's QR after the resale: %+v, want invalid", got)
	}
	if got := e.admitOne(addr, mail.sent[0].p.QR[0], "north"); got.Status != ledger.StatusAdmitted {
		t.Errorf("the buyer's QR: %+v, want admitted", got)
	}
	e.do("POST", api.OfferPath(o.ID, "withdraw"), e.shop, "").wantErrorText(t, http.StatusConflict, ledger.ECONFLICT, "already sold")
	e.verifyOK()
}

// TestReissueAndSend: the box office reissues a customer's lost ticket: the mail with the
// new ticket is queued for the customer holding it, the old QR is refused from then on.
func TestReissueAndSend(t *testing.T) {
	e := newEnv(t)
	mail := e.withMailer()
	addr := e.openSale(`[`+seatJSON(1, "A")+`]`, `[{"seat":`+seatJSON(1, "A")+`,"price":100}]`, 50, saleRules{})
	cu, err := e.store.Customers.CreateCustomer(ledger.WithActor(context.Background(), ledger.Actor{Admin: true}),
		ledger.Customer{LastName: "Lost", Email: "lost@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	bought := e.buy(addr, seatJSON(1, "A"), ledger.BookingSender(cu.ID), "")
	path := api.ContractPath(addr, "ReissueAndSend")
	e.do("POST", path, e.bob, `{"seat":`+seatJSON(1, "A")+`}`).wantError(t, http.StatusForbidden, ledger.EFORBIDDEN)
	var d api.Delivered
	e.do("POST", path, e.shop, `{"seat":`+seatJSON(1, "A")+`}`).want(t, http.StatusOK, &d)
	if !d.Mailed || d.Customer != cu.ID || len(mail.sent) != 1 || mail.sent[0].customer != cu.ID ||
		!strings.HasPrefix(mail.sent[0].why, "ticket/"+addr+"/1A/reissued/") {
		t.Errorf("reissue answered %+v with mails %+v, want one mail for customer %d", d, mail.sent, cu.ID)
	}
	if got := e.admitOne(addr, bought.QR, "north"); got.Status != ledger.StatusInvalid {
		t.Errorf("the lost QR: %+v, want invalid", got)
	}
	raw, _ := json.Marshal(mail.sent[0].p.QR)
	if got := e.admitOne(addr, mail.sent[0].p.QR[0], "north"); got.Status != ledger.StatusAdmitted {
		t.Errorf("the mailed QR %s: %+v, want admitted", raw, got)
	}
	e.verifyOK()
}
