package sqlstore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/crypto"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// holdersEnv is a contract with an open sale owned by org, and two shops' box-office keys.
type holdersEnv struct {
	*env
	c                ledger.Contract
	org, shop, other context.Context
}

func openHolders(t *testing.T, seats ...string) holdersEnv {
	t.Helper()
	e := openEnv(t)
	h := holdersEnv{env: e, org: e.actor(t, ledger.RoleOrganizer, "promoter"),
		shop: e.actor(t, ledger.RoleBoxOffice, "web shop"), other: e.actor(t, ledger.RoleBoxOffice, "other shop")}
	h.c = e.create(t, h.org, seats...)
	_, err := e.store.Contracts.BeginSale(h.org, h.c.Address, flatPrices(parseSeats(t, seats...), 100), e.details(t, 50))
	mustNil(t, err, "BeginSale")
	return h
}

// wantNoSender fails when any public answer (the ticket list for ctx, the receipts)
// carries the sender.
func (h holdersEnv) wantNoSender(t *testing.T, ctx context.Context, sender string, hashes ...string) {
	t.Helper()
	list, err := h.store.Contracts.Tickets(ctx, h.c.Address)
	mustNil(t, err, "Tickets")
	for _, tk := range list {
		if strings.Contains(tk.Address+tk.Sender, sender) {
			t.Errorf("ticket list shows seat %s held by %q (%q)", tk.Seat, tk.Address, tk.Sender)
		}
	}
	for _, hash := range hashes {
		rc, err := h.store.Journal.Receipt(context.Background(), hash)
		mustNil(t, err, "Receipt")
		if strings.Contains(string(rc.Effect), sender) || strings.Contains(rc.Actor, sender) {
			t.Errorf("receipt of %s %s shows the sender: %s", rc.Kind, hash, rc.Effect)
		}
	}
}

// TestHoldersArePseudonymous: the public ticket list and every receipt show a buyer's
// pseudonymous address, the one the purchase answered, never the sender; the contract's
// owner and the administrator see the sender; verify proves the history.
func TestHoldersArePseudonymous(t *testing.T) {
	h := openHolders(t, "1A", "1B", "2A")
	const alice = "alice@example.com"
	rc, err := h.store.Selling.Reserve(h.shop, h.c.Address, ledger.Order{Sender: alice, Tickets: []ledger.SealedTicket{
		secretTicket(t, "1A", "secret-1A"), secretTicket(t, "1B", "secret-1B")}})
	mustNil(t, err, "Reserve")
	if err := ledger.ValidateAddress(rc.Holder); err != nil || rc.Holder == ledger.ZeroAddress {
		t.Fatalf("holder %q is not a ledger address (%v)", rc.Holder, err)
	}
	rel, err := h.store.Selling.Release(h.shop, h.c.Address, ledger.ReleaseRequest{Seat: parseSeats(t, "1B")[0], Sender: alice})
	mustNil(t, err, "Release")
	re, err := h.store.Selling.Reissue(h.shop, h.c.Address, ledger.ReissueRequest{Ticket: secretTicket(t, "1A", "secret-1A-2")})
	mustNil(t, err, "Reissue")
	if re.Holder != rc.Holder {
		t.Errorf("reissue holder %q, want the purchase's %q", re.Holder, rc.Holder)
	}
	for _, ctx := range []context.Context{context.Background(), h.shop, h.other} {
		h.wantNoSender(t, ctx, alice, rc.TransactionHash, rel.TransactionHash, re.TransactionHash)
	}
	for name, ctx := range map[string]context.Context{"owner": h.org, "admin": h.admin} {
		list, err := h.store.Contracts.Tickets(ctx, h.c.Address)
		mustNil(t, err, "Tickets")
		if list[0].Sender != alice || list[0].Address != rc.Holder || list[1].Sender != "" || list[1].Address != ledger.ZeroAddress {
			t.Errorf("%s sees %+v and %+v, want 1A %s (%s) and 1B available", name, list[0], list[1], alice, rc.Holder)
		}
	}
	h.clock.AdvanceBlocks(1)
	if rep := mustVerify(t, h.env); !rep.OK || rep.Transactions != 5 {
		t.Errorf("Verify = %+v, want OK with 5 transactions", rep)
	}
}

// TestHolderAddressPerSeller: one sender buying through two shops, or on two contracts,
// gets unrelated addresses, so a shop cannot test another's customers by buying as them.
func TestHolderAddressPerSeller(t *testing.T) {
	h := openHolders(t, "1A", "1B")
	a, err := h.store.Selling.Reserve(h.shop, h.c.Address, ledger.Order{Sender: "customer-4711", Tickets: []ledger.SealedTicket{sealed(t, "1A")}})
	mustNil(t, err, "Reserve via shop")
	b, err := h.store.Selling.Reserve(h.other, h.c.Address, ledger.Order{Sender: "customer-4711", Tickets: []ledger.SealedTicket{sealed(t, "1B")}})
	mustNil(t, err, "Reserve via other")
	if a.Holder == b.Holder {
		t.Errorf("both shops' sales show holder %s", a.Holder)
	}
}

// TestReleaseNeedsProof: another shop's key cannot release a ticket by its sender, and
// its refusal does not say whether the sender matched; the key that sold it and the
// contract's owner can, and anyone may with the ticket's secret.
func TestReleaseNeedsProof(t *testing.T) {
	h := openHolders(t, "1A", "1B", "1C", "2A")
	order := ledger.Order{Sender: "customer-4711"}
	for _, s := range []string{"1A", "1B", "1C", "2A"} {
		order.Tickets = append(order.Tickets, secretTicket(t, s, "secret-"+s))
	}
	_, err := h.store.Selling.Reserve(h.shop, h.c.Address, order)
	mustNil(t, err, "Reserve")
	seat := func(s string) ledger.Seat { return parseSeats(t, s)[0] }
	for _, sender := range []string{"customer-4711", "customer-9"} {
		_, err = h.store.Selling.Release(h.other, h.c.Address, ledger.ReleaseRequest{Seat: seat("1A"), Sender: sender})
		wantCode(t, err, ledger.EREFUSED)
		if msg := ledger.ErrorMessage(err); !strings.HasPrefix(msg, "Ticket for seat 1A not owned by") || strings.Contains(msg, "customer-") {
			t.Errorf("refusal to another shop: %q", msg)
		}
	}
	_, err = h.store.Selling.Release(h.shop, h.c.Address, ledger.ReleaseRequest{Seat: seat("1A"), Sender: "customer-9"})
	wantCode(t, err, ledger.EREFUSED)
	if msg := ledger.ErrorMessage(err); msg != "Ticket for seat 1A not owned by customer-9" {
		t.Errorf("wrong sender to the selling key: %q", msg)
	}
	_, err = h.store.Selling.Release(h.other, h.c.Address, ledger.ReleaseRequest{Seat: seat("1A"), Secret: "secret-1B"})
	wantCode(t, err, ledger.EREFUSED)
	for who, r := range map[string]struct {
		ctx context.Context
		req ledger.ReleaseRequest
	}{
		"seller by sender":        {h.shop, ledger.ReleaseRequest{Seat: seat("1A"), Sender: "customer-4711"}},
		"owner by sender":         {h.org, ledger.ReleaseRequest{Seat: seat("1B"), Sender: "customer-4711"}},
		"other shop with secret":  {h.other, ledger.ReleaseRequest{Seat: seat("1C"), Secret: "secret-1C"}},
		"administrator by sender": {h.admin, ledger.ReleaseRequest{Seat: seat("2A"), Sender: "customer-4711"}},
	} {
		if _, err := h.store.Selling.Release(r.ctx, h.c.Address, r.req); err != nil {
			t.Errorf("%s: %v", who, err)
		}
	}
	h.clock.AdvanceBlocks(1)
	if rep := mustVerify(t, h.env); !rep.OK {
		t.Errorf("Verify = %+v", rep)
	}
}

// TestReissue: a reissue by the selling key, the owner, or whoever holds the secret gives
// the ticket a new secret: the old QR is refused at the gate from then on and the new one
// admitted; another shop without the secret, a free seat and a ticket checked in are refused.
func TestReissue(t *testing.T) {
	h := openHolders(t, "1A", "1B", "2A")
	rc, err := h.store.Selling.Reserve(h.shop, h.c.Address, ledger.Order{Sender: "customer-4711", Tickets: []ledger.SealedTicket{
		secretTicket(t, "1A", "old-1A"), secretTicket(t, "1B", "old-1B")}})
	mustNil(t, err, "Reserve")
	reissue := func(ctx context.Context, seat, secret, fresh string) (ledger.ReissueReceipt, error) {
		return h.store.Selling.Reissue(ctx, h.c.Address, ledger.ReissueRequest{Secret: secret, Ticket: secretTicket(t, seat, fresh)})
	}
	_, err = reissue(h.other, "1A", "", "stolen-1A")
	wantCode(t, err, ledger.EREFUSED)
	_, err = reissue(h.other, "1A", "old-1B", "stolen-1A")
	wantCode(t, err, ledger.EREFUSED)
	_, err = reissue(h.shop, "2A", "", "free-2A")
	wantCode(t, err, ledger.EREFUSED)
	re, err := reissue(h.other, "1A", "old-1A", "new-1A")
	mustNil(t, err, "Reissue with the secret")
	if re.Holder != rc.Holder || re.Price != 100 {
		t.Errorf("reissue = %+v, want holder %s at price 100", re, rc.Holder)
	}
	_, err = reissue(h.org, "1A", "", "newer-1A")
	mustNil(t, err, "Reissue by the owner")
	_, err = reissue(h.shop, "1B", "", "new-1B")
	mustNil(t, err, "Reissue by the seller")

	scan := func(seat, secret string) string {
		res, err := h.store.Gate.CheckIn(h.org, h.c.Address, ledger.CheckInRequest{Gate: "north",
			Tickets: []ledger.QRTicket{{Seat: parseSeats(t, seat)[0], Secret: secret}}})
		mustNil(t, err, "CheckIn")
		return res[0].Status
	}
	for _, old := range []string{"old-1A", "new-1A"} {
		if got := scan("1A", old); got != ledger.StatusInvalid {
			t.Errorf("scan of 1A's replaced secret %s: %s, want %s", old, got, ledger.StatusInvalid)
		}
	}
	if got := scan("1A", "newer-1A"); got != ledger.StatusAdmitted {
		t.Errorf("scan of 1A's new secret: %s, want admitted", got)
	}
	_, err = reissue(h.org, "1A", "", "late-1A")
	wantCode(t, err, ledger.ECONFLICT)
	h.clock.AdvanceBlocks(1)
	if rep := mustVerify(t, h.env); !rep.OK {
		t.Errorf("Verify = %+v", rep)
	}
}

// TestOldSenderJournal: a ticket sold before holders were pseudonymous (its journal row
// names the sender, its row has no holder) gets its holder address when the ledger opens,
// verifies, and can be released by the owner; the release journals the address.
func TestOldSenderJournal(t *testing.T) {
	h := openHolders(t, "1A", "1B")
	raw := h.rawDB(t)
	digest := fmt.Sprintf("%x", crypto.SecretDigest("old-1A"))
	effect := fmt.Sprintf(`{"sale":1,"sender":"bob","amount":100,"total":100,"refunded":0,"tickets":[{"index":0,`+
		`"seat":{"number":1,"letter":"A"},"price":100,"secretDigest":"%s","secretCiphertext":"0102"}]}`, digest)
	body := ledger.TxBody{Kind: ledger.TxTicketsReserved, Contract: h.c.Address, Height: h.height(t),
		Time: h.clock.Now().UnixNano(), Actor: "admin", Nonce: "0011223344556677", Effect: json.RawMessage(effect)}
	data, hash, err := body.Encode()
	mustNil(t, err, "Encode")
	seq := "(SELECT COALESCE(MAX(seq), 0) + 1 FROM journal)"
	if raw.postgres {
		seq = "nextval('journal_seq')"
	}
	mustExec(t, raw, `INSERT INTO journal (seq, hash, height, contract, kind, body) VALUES (`+seq+`, ?, ?, ?, ?, ?)`,
		hash, body.Height, h.c.Address, body.Kind, string(data))
	mustExec(t, raw, `UPDATE tickets SET owner = 'bob', secret_ct = '0102', secret_digest = ?, paid = 100 WHERE contract = ? AND idx = 0`,
		digest, h.c.Address)
	mustExec(t, raw, `DELETE FROM meta WHERE name = 'holders_filled'`) // as in a ledger from before holders
	mustNil(t, h.store.Close(), "Close")
	h.store = mustOpen(t, h.db, sqlstore.Options{Now: h.clock.Now})

	h.wantNoSender(t, context.Background(), "bob")
	list, err := h.store.Contracts.Tickets(h.admin, h.c.Address)
	mustNil(t, err, "Tickets")
	if list[0].Sender != "bob" || ledger.ValidateAddress(list[0].Address) != nil {
		t.Errorf("administrator sees %+v, want bob under an address", list[0])
	}
	h.clock.AdvanceBlocks(1)
	if rep := mustVerify(t, h.env); !rep.OK {
		t.Fatalf("Verify of the old journal = %+v", rep)
	}
	_, err = h.store.Selling.Release(h.shop, h.c.Address, ledger.ReleaseRequest{Seat: list[0].Seat, Sender: "bob"})
	wantCode(t, err, ledger.EREFUSED) // the key that sold it is not recorded: only the owner may
	rel, err := h.store.Selling.Release(h.org, h.c.Address, ledger.ReleaseRequest{Seat: list[0].Seat, Sender: "bob"})
	mustNil(t, err, "Release by the owner")
	h.wantNoSender(t, context.Background(), "bob", rel.TransactionHash)
	h.clock.AdvanceBlocks(1)
	if rep := mustVerify(t, h.env); !rep.OK {
		t.Errorf("Verify after the release = %+v", rep)
	}
}
