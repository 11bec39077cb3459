package sqlstore_test

import (
	"testing"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// TestGateCopyFollowsTheLog: the whole copy lists every seat of the sale, sold or not,
// with what the gate needs; an increment lists only the seats changed since its cursor
// (a sale), nothing when nothing changed; a cursor of an earlier sale gives
// the whole copy again; every answer carries the sale's gate policy. A box-office key and another organizer may not read it, a
// cursor the store did not give is EINVALID. On SQLite and PostgreSQL.
func TestGateCopyFollowsTheLog(t *testing.T) {
	e := openEnv(t)
	org := e.actor(t, ledger.RoleOrganizer, "org")
	gate := e.actor(t, ledger.RoleScanner, "gate")
	c := e.create(t, org, "1A", "1B", "1C")
	_, err := e.store.Contracts.BeginSale(org, c.Address, flatPrices(parseSeats(t, "1A", "1B", "1C"), 5), e.details(t, 100))
	mustNil(t, err, "BeginSale")
	_, err = e.store.Selling.Reserve(org, c.Address, ledger.Order{Sender: "ann", Tickets: []ledger.SealedTicket{sealed(t, "1A")}})
	mustNil(t, err, "Reserve")
	full, err := e.store.GateCopies.GateCopy(gate, c.Address, "")
	mustNil(t, err, "GateCopy")
	if !full.Full || full.Sale != 1 || len(full.Tickets) != 3 || !full.Tickets[0].Sold || full.Tickets[1].Sold ||
		string(full.Tickets[0].SecretDigest) != "\x02" || full.Venue != "Test Hall" {
		t.Fatalf("whole copy = %+v", full)
	}
	none, err := e.store.GateCopies.GateCopy(gate, c.Address, full.Cursor)
	mustNil(t, err, "GateCopy since")
	if none.Full || len(none.Tickets) != 0 || none.Cursor != full.Cursor {
		t.Fatalf("nothing changed: %+v, want an empty increment at the same cursor", none)
	}
	_, err = e.store.Selling.Reserve(org, c.Address, ledger.Order{Sender: "bob", Tickets: []ledger.SealedTicket{sealed(t, "1C")}})
	mustNil(t, err, "Reserve 1C")
	inc, err := e.store.GateCopies.GateCopy(gate, c.Address, full.Cursor)
	mustNil(t, err, "GateCopy increment")
	if inc.Full || len(inc.Tickets) != 1 || inc.Tickets[0].Seat.String() != "1C" || !inc.Tickets[0].Sold || inc.Cursor == full.Cursor {
		t.Fatalf("increment = %+v, want 1C sold", inc)
	}
	if full.GatePolicy != ledger.DefaultGatePolicy() {
		t.Errorf("whole copy's policy %+v, want the default", full.GatePolicy)
	}
	off := false
	_, err = e.store.Door.SetGatePolicy(org, c.Address, ledger.GatePolicyChange{OfflineAdmission: &off})
	mustNil(t, err, "SetGatePolicy")
	if inc, _ := e.store.GateCopies.GateCopy(gate, c.Address, inc.Cursor); inc.GatePolicy.OfflineAdmission {
		t.Errorf("the increment after the policy changed: %+v, want offline admission forbidden", inc.GatePolicy)
	}
	if again, _ := e.store.GateCopies.GateCopy(gate, c.Address, "0.0"); !again.Full || len(again.Tickets) != 3 {
		t.Errorf("a cursor of another sale: %+v, want the whole copy", again)
	}
	_, err = e.store.GateCopies.GateCopy(gate, c.Address, "1;DROP")
	wantCode(t, err, ledger.EINVALID)
	_, err = e.store.GateCopies.GateCopy(e.actor(t, ledger.RoleBoxOffice, "till"), c.Address, "")
	if code := ledger.ErrorCode(err); code != ledger.EFORBIDDEN && code != ledger.EUNAUTHORIZED {
		t.Errorf("a box-office key: %v, want refused", err)
	}
	_, err = e.store.GateCopies.GateCopy(e.actor(t, ledger.RoleOrganizer, "other"), c.Address, "")
	wantCode(t, err, ledger.EFORBIDDEN)
}
