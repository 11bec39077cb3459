package sqlstore_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/internal/pgtest"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// scanStatus checks the seat in at the gate with the secret and returns its status.
func (h holdersEnv) scanStatus(t *testing.T, seat, secret string) ledger.CheckResult {
	t.Helper()
	res, err := h.store.Gate.CheckIn(h.org, h.c.Address, ledger.CheckInRequest{Gate: "north",
		Tickets: []ledger.QRTicket{{Seat: parseSeats(t, seat)[0], Secret: secret}}})
	mustNil(t, err, "CheckIn")
	return res[0]
}

// wantVerified advances the clock past the open block and fails unless the ledger verifies.
func (h holdersEnv) wantVerified(t *testing.T) {
	t.Helper()
	h.clock.AdvanceBlocks(1)
	if rep := mustVerify(t, h.env); !rep.OK {
		t.Errorf("Verify = %+v", rep)
	}
}

// TestTransfer: the selling key (or whoever holds the secret) moves a ticket to another
// account with a fresh secret: the old one is refused at the gate at once and the new one
// admitted; the journal shows the chain of holders by address, never the accounts; a shop
// without the secret, a free seat and a ticket checked in are refused; verify replays it.
func TestTransfer(t *testing.T) {
	h := openHolders(t, "1A", "1B")
	rc, err := h.store.Selling.Reserve(h.shop, h.c.Address, ledger.Order{Sender: "customer:1", Tickets: []ledger.SealedTicket{
		secretTicket(t, "1A", "old-1A")}})
	mustNil(t, err, "Reserve")
	transfer := func(ctx context.Context, seat, secret, to, fresh string) (ledger.TransferReceipt, error) {
		return h.store.Resale.Transfer(ctx, h.c.Address, ledger.TransferRequest{Secret: secret, To: to, Ticket: secretTicket(t, seat, fresh)})
	}
	_, err = transfer(h.other, "1A", "", "customer:2", "stolen-1A")
	wantCode(t, err, ledger.EREFUSED)
	_, err = transfer(h.shop, "1B", "", "customer:2", "free-1B")
	wantCode(t, err, ledger.EREFUSED)
	_, err = transfer(h.shop, "1A", "", "customer:1", "same-1A")
	wantCode(t, err, ledger.EREFUSED)
	tr, err := transfer(h.shop, "1A", "", "customer:2", "new-1A")
	mustNil(t, err, "Transfer by the selling key")
	if tr.From != rc.Holder || tr.Holder == rc.Holder || tr.Price != 100 {
		t.Errorf("transfer = %+v, want from %s to another holder at 100", tr, rc.Holder)
	}
	tr2, err := transfer(h.other, "1A", "new-1A", "customer:3", "newer-1A")
	mustNil(t, err, "Transfer with the secret")
	if tr2.From != tr.Holder {
		t.Errorf("second transfer from %s, want the first's receiver %s", tr2.From, tr.Holder)
	}
	h.wantNoSender(t, h.shop, "customer:", rc.TransactionHash, tr.TransactionHash, tr2.TransactionHash)
	for _, old := range []string{"old-1A", "new-1A"} {
		if got := h.scanStatus(t, "1A", old).Status; got != ledger.StatusInvalid {
			t.Errorf("scan of 1A's old secret %s: %s, want invalid", old, got)
		}
	}
	if got := h.scanStatus(t, "1A", "newer-1A").Status; got != ledger.StatusAdmitted {
		t.Errorf("scan of 1A's new secret: %s, want admitted", got)
	}
	_, err = transfer(h.org, "1A", "", "customer:4", "late-1A")
	wantCode(t, err, ledger.ECONFLICT)
	list, err := h.store.Contracts.Tickets(h.org, h.c.Address)
	mustNil(t, err, "Tickets")
	if list[0].Sender != "customer:3" || list[0].Address != tr2.Holder {
		t.Errorf("owner sees 1A held by %q (%s), want customer:3 (%s)", list[0].Sender, list[0].Address, tr2.Holder)
	}
	h.wantVerified(t)
}

// TestTransferIdentity: under the identity policy the receiver's name is sealed into the
// ticket and is what the gate shows; a transfer without a name is refused.
func TestTransferIdentity(t *testing.T) {
	h := openHolders(t, "1A") // its contract goes unused: c has the policy
	e := h.env
	c := e.create(t, h.org, "1A")
	setRules(t, e, h.org, c.Address, ledger.Rules{RequireIdentityVerification: true})
	_, err := e.store.Contracts.BeginSale(h.org, c.Address, flatPrices(parseSeats(t, "1A"), 100), e.details(t, 50))
	mustNil(t, err, "BeginSale")
	ann, _ := namedTicket(t, "1A", "ann-1A", "Ann Example")
	_, err = e.store.Selling.Reserve(h.shop, c.Address, ledger.Order{Sender: "customer:1", Tickets: []ledger.SealedTicket{ann}})
	mustNil(t, err, "Reserve")
	_, err = e.store.Resale.Transfer(h.shop, c.Address, ledger.TransferRequest{To: "customer:2", Ticket: secretTicket(t, "1A", "nameless")})
	wantCode(t, err, ledger.EREFUSED)
	bea, qr := namedTicket(t, "1A", "bea-1A", "Bea Zoë Example")
	_, err = e.store.Resale.Transfer(h.shop, c.Address, ledger.TransferRequest{To: "customer:2", Ticket: bea})
	mustNil(t, err, "Transfer")
	res, err := e.store.Gate.CheckIn(h.org, c.Address, ledger.CheckInRequest{Gate: "north", Tickets: []ledger.QRTicket{qr}})
	mustNil(t, err, "CheckIn")
	if res[0].Status != ledger.StatusAdmitted || res[0].Name != "Bea Zoë Example" {
		t.Errorf("gate shows %+v, want Bea Zoë Example admitted", res[0])
	}
	h.wantVerified(t)
}

// TestResale: an offer above the cap (the face value by default, then the organizer's
// 120%) is refused; a bought offer moves the ticket to the buyer (old secret refused,
// new one admitted), credits the seller the price less the 10% fee, closes the offer;
// buying it again, buying a withdrawn offer and an offer whose ticket was reissued since
// are refused in words; only the owner lists the credits; verify replays it all.
func TestResale(t *testing.T) {
	h := openHolders(t, "1A", "1B", "2A")
	_, err := h.store.Selling.Reserve(h.shop, h.c.Address, ledger.Order{Sender: "customer:1", Tickets: []ledger.SealedTicket{
		secretTicket(t, "1A", "old-1A"), secretTicket(t, "1B", "old-1B"), secretTicket(t, "2A", "old-2A")}})
	mustNil(t, err, "Reserve")
	offer := func(seat, secret string, price int64) (ledger.ResaleOffer, error) {
		return h.store.Resale.OfferResale(h.other, h.c.Address, ledger.OfferRequest{Seat: parseSeats(t, seat)[0], Secret: secret, Price: price})
	}
	_, err = offer("1A", "old-1A", 101)
	wantCode(t, err, ledger.EREFUSED)
	_, err = offer("1A", "", 100)
	wantCode(t, err, ledger.EREFUSED) // the other shop without the secret
	_, err = h.store.Resale.SetResaleTerms(h.shop, h.c.Address, ledger.ResaleTerms{CapPercent: 120})
	wantCode(t, err, ledger.EFORBIDDEN)
	_, err = h.store.Resale.SetResaleTerms(h.org, h.c.Address, ledger.ResaleTerms{CapPercent: 120, FeePercent: 10})
	mustNil(t, err, "SetResaleTerms")
	_, err = offer("1A", "old-1A", 121)
	wantCode(t, err, ledger.EREFUSED)
	o, err := offer("1A", "old-1A", 120)
	mustNil(t, err, "OfferResale")
	_, err = offer("1A", "old-1A", 110)
	wantCode(t, err, ledger.ECONFLICT)
	buy := func(id int64, buyer, fresh string) (ledger.ResaleReceipt, error) {
		return h.store.Resale.BuyResale(h.shop, id, ledger.BuyRequest{Sender: buyer, Ticket: secretTicket(t, "1A", fresh)})
	}
	_, err = buy(o.ID, "customer:1", "own-1A")
	wantCode(t, err, ledger.EREFUSED)
	rc, err := buy(o.ID, "customer:9", "bought-1A")
	mustNil(t, err, "BuyResale")
	if rc.Offer.State != ledger.OfferSold || rc.Offer.Fee != 12 || rc.Offer.Credit != 108 || rc.Holder == o.Seller {
		t.Errorf("resale = %+v, want sold with fee 12 and credit 108 to a new holder", rc)
	}
	_, err = buy(o.ID, "customer:8", "again-1A")
	wantErrText(t, err, ledger.ECONFLICT, "already sold")
	if got := h.scanStatus(t, "1A", "old-1A").Status; got != ledger.StatusInvalid {
		t.Errorf("the seller's old secret: %s, want invalid", got)
	}
	if got := h.scanStatus(t, "1A", "bought-1A").Status; got != ledger.StatusAdmitted {
		t.Errorf("the buyer's secret: %s, want admitted", got)
	}

	w, err := offer("1B", "old-1B", 50)
	mustNil(t, err, "OfferResale 1B")
	_, err = h.store.Resale.WithdrawResale(h.shop, w.ID, ledger.WithdrawRequest{})
	mustNil(t, err, "WithdrawResale by the selling key")
	_, err = h.store.Resale.BuyResale(h.shop, w.ID, ledger.BuyRequest{Sender: "customer:9", Ticket: secretTicket(t, "1B", "x")})
	wantErrText(t, err, ledger.ECONFLICT, "withdrawn")

	v, err := offer("2A", "old-2A", 100)
	mustNil(t, err, "OfferResale 2A")
	_, err = h.store.Selling.Reissue(h.shop, h.c.Address, ledger.ReissueRequest{Ticket: secretTicket(t, "2A", "reissued-2A")})
	mustNil(t, err, "Reissue")
	_, err = h.store.Resale.BuyResale(h.shop, v.ID, ledger.BuyRequest{Sender: "customer:9", Ticket: secretTicket(t, "2A", "y")})
	wantErrText(t, err, ledger.ECONFLICT, "void")
	if got, err := h.store.Resale.ResaleOffer(h.shop, v.ID); err != nil || got.State != ledger.OfferVoid {
		t.Errorf("ResaleOffer of the reissued ticket = %+v, %v; want void", got, err)
	}
	if list, err := h.store.Resale.ResaleOffers(h.shop, h.c.Address); err != nil || len(list) != 0 {
		t.Errorf("open offers = %+v, %v; want none", list, err)
	}
	_, err = h.store.Resale.ResaleCredits(h.shop, h.c.Address)
	wantCode(t, err, ledger.EFORBIDDEN)
	credits, err := h.store.Resale.ResaleCredits(h.org, h.c.Address)
	mustNil(t, err, "ResaleCredits")
	if len(credits) != 1 || credits[0].Account != "customer:1" || credits[0].Credit != 108 || credits[0].Offer != o.ID {
		t.Errorf("credits = %+v, want customer:1 owed 108 for offer %d", credits, o.ID)
	}
	h.wantNoSender(t, h.shop, "customer:", rc.TransactionHash)
	h.wantVerified(t)
}

// wantErrText fails unless err has the code and its message contains text.
func wantErrText(t *testing.T, err error, code, text string) {
	t.Helper()
	wantCode(t, err, code)
	if err != nil && !strings.Contains(err.Error(), text) {
		t.Errorf("error %q does not say %q", err, text)
	}
}

// TestResaleRush: many buyers racing for one offer: exactly one buys it, every other is
// refused as sold, and the ledger verifies.
func TestResaleRush(t *testing.T) {
	h := openHolders(t, "1A")
	_, err := h.store.Selling.Reserve(h.shop, h.c.Address, ledger.Order{Sender: "customer:1", Tickets: []ledger.SealedTicket{
		secretTicket(t, "1A", "old-1A")}})
	mustNil(t, err, "Reserve")
	o, err := h.store.Resale.OfferResale(h.shop, h.c.Address, ledger.OfferRequest{Seat: parseSeats(t, "1A")[0], Price: 90})
	mustNil(t, err, "OfferResale")
	const buyers = 24
	errs := make([]error, buyers)
	var wg sync.WaitGroup
	for i := range buyers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = h.store.Resale.BuyResale(h.other, o.ID, ledger.BuyRequest{Sender: fmt.Sprintf("customer:%d", 100+i),
				Ticket: secretTicket(t, "1A", fmt.Sprintf("buyer-%d", i))})
		}()
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		if err == nil {
			won++
			continue
		}
		wantErrText(t, err, ledger.ECONFLICT, "already sold")
	}
	if won != 1 {
		t.Errorf("%d buyers bought the one offer, want exactly 1", won)
	}
	h.wantVerified(t)
}

// TestVerifyResaleTampering: a credit or an owner changed behind the store's back after a
// resale is reported by verify.
func TestVerifyResaleTampering(t *testing.T) {
	h := openHolders(t, "1A")
	_, err := h.store.Selling.Reserve(h.shop, h.c.Address, ledger.Order{Sender: "customer:1", Tickets: []ledger.SealedTicket{
		secretTicket(t, "1A", "old-1A")}})
	mustNil(t, err, "Reserve")
	o, err := h.store.Resale.OfferResale(h.shop, h.c.Address, ledger.OfferRequest{Seat: parseSeats(t, "1A")[0], Price: 90})
	mustNil(t, err, "OfferResale")
	_, err = h.store.Resale.BuyResale(h.other, o.ID, ledger.BuyRequest{Sender: "customer:2", Ticket: secretTicket(t, "1A", "new-1A")})
	mustNil(t, err, "BuyResale")
	h.wantVerified(t)
	raw := h.rawDB(t)
	mustExec(t, raw, `UPDATE resale_offers SET credit = 1000 WHERE id = ?`, o.ID)
	mustExec(t, raw, `UPDATE tickets SET owner = 'customer:1'`)
	rep := mustVerify(t, h.env)
	text := strings.Join(rep.Problems, "\n")
	if rep.OK || !strings.Contains(text, "credit is 1000") || !strings.Contains(text, "owner is not the sender") {
		t.Errorf("Verify after tampering = %+v", rep)
	}
}

// TestWalletHolder: a customer acting through their wallet link moves or offers a ticket
// only with its secret (the code the link keeps), and never buys an offer.
func TestWalletHolder(t *testing.T) {
	h := openHolders(t, "1A", "1B")
	_, err := h.store.Selling.Reserve(h.shop, h.c.Address, ledger.Order{Sender: "customer:1", Tickets: []ledger.SealedTicket{
		secretTicket(t, "1A", "old-1A"), secretTicket(t, "1B", "old-1B")}})
	mustNil(t, err, "Reserve")
	wallet := ledger.WithActor(context.Background(), ledger.WalletActor)
	_, err = h.store.Resale.Transfer(wallet, h.c.Address, ledger.TransferRequest{To: "customer:2", Ticket: secretTicket(t, "1A", "x")})
	wantCode(t, err, ledger.EFORBIDDEN)
	_, err = h.store.Resale.Transfer(wallet, h.c.Address, ledger.TransferRequest{Secret: "old-1B", To: "customer:2", Ticket: secretTicket(t, "1A", "x")})
	wantCode(t, err, ledger.EREFUSED)
	tr, err := h.store.Resale.Transfer(wallet, h.c.Address, ledger.TransferRequest{Secret: "old-1A", To: "customer:2", Ticket: secretTicket(t, "1A", "new-1A")})
	mustNil(t, err, "Transfer from the wallet")
	if tr.Actor != "wallet" {
		t.Errorf("the wallet's transfer journaled as %q", tr.Actor)
	}
	o, err := h.store.Resale.OfferResale(wallet, h.c.Address, ledger.OfferRequest{Seat: parseSeats(t, "1B")[0], Secret: "old-1B", Price: 50})
	mustNil(t, err, "OfferResale from the wallet")
	_, err = h.store.Resale.WithdrawResale(wallet, o.ID, ledger.WithdrawRequest{})
	wantCode(t, err, ledger.EFORBIDDEN)
	_, err = h.store.Resale.BuyResale(wallet, o.ID, ledger.BuyRequest{Sender: "customer:3", Ticket: secretTicket(t, "1B", "y")})
	wantCode(t, err, ledger.EFORBIDDEN)
	_, err = h.store.Resale.WithdrawResale(wallet, o.ID, ledger.WithdrawRequest{Secret: "old-1B"})
	mustNil(t, err, "WithdrawResale from the wallet")
	h.wantVerified(t)
}

// TestOfferRaceConflict (PostgreSQL): an offer whose check saw no open offer of the
// ticket, but whose insert then meets one a concurrent transaction committed meanwhile
// (the unique index on open offers), is refused as ECONFLICT in words, not a 500. The
// concurrent transaction is held open by the test (reopening a withdrawn offer) until the
// offer's insert waits on it, found in pg_locks, so the race is met every run.
func TestOfferRaceConflict(t *testing.T) {
	if !pgtest.OnPostgres() {
		t.Skip("SQLite runs one write at a time: two offers cannot race (run with TICKETBOOTH_TEST_DB=postgres)")
	}
	h := openHolders(t, "1A")
	_, err := h.store.Selling.Reserve(h.shop, h.c.Address, ledger.Order{Sender: "customer:1", Tickets: []ledger.SealedTicket{
		secretTicket(t, "1A", "old-1A")}})
	mustNil(t, err, "Reserve")
	offer := ledger.OfferRequest{Seat: parseSeats(t, "1A")[0], Price: 90}
	first, err := h.store.Resale.OfferResale(h.shop, h.c.Address, offer)
	mustNil(t, err, "OfferResale")
	_, err = h.store.Resale.WithdrawResale(h.shop, first.ID, ledger.WithdrawRequest{})
	mustNil(t, err, "WithdrawResale")
	raw := h.rawDB(t)
	tx, err := raw.db.Begin()
	mustNil(t, err, "Begin")
	defer tx.Rollback()
	_, err = tx.Exec(`UPDATE resale_offers SET state = 'open' WHERE id = $1`, first.ID)
	mustNil(t, err, "reopening the first offer")
	done := make(chan error, 1)
	go func() {
		_, err := h.store.Resale.OfferResale(h.shop, h.c.Address, offer)
		done <- err
	}()
	for waiting := 0; waiting == 0; {
		select {
		case err := <-done:
			t.Fatalf("the second offer did not wait for the open one: %v", err)
		default:
		}
		time.Sleep(5 * time.Millisecond) // between looks at pg_locks, not a timing assertion
		mustNil(t, raw.db.QueryRow(`SELECT count(*) FROM pg_locks WHERE NOT granted`).Scan(&waiting), "pg_locks")
	}
	mustNil(t, tx.Commit(), "Commit")
	err = <-done
	wantCode(t, err, ledger.ECONFLICT)
	if !strings.Contains(err.Error(), "already offered") {
		t.Errorf("the refusal reads %q", err)
	}
}
