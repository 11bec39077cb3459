package sqlstore_test

import (
	"sync"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// TestBamNumbers: a contract's numbers are given once and kept: asked again, or by
// several requests at once, the same; a new sale gets a timeslot of its own beside the
// old one; a ticket's number reads back to its seat; another organizer may not see them.
func TestBamNumbers(t *testing.T) {
	e := openEnv(t)
	alice := e.actor(t, ledger.RoleOrganizer, "alice")
	c := e.create(t, alice, "Stalls/1A", "Stalls/2A", "Balcony/1A")
	_, err := e.store.Contracts.BeginSale(alice, c.Address, flatPrices(parseSeats(t, "Stalls/1A", "Stalls/2A", "Balcony/1A"), 10), e.details(t, 100))
	mustNil(t, err, "BeginSale")
	events := make([]ledger.BamEvent, 4)
	var wg sync.WaitGroup
	for i := range events {
		wg.Go(func() {
			events[i], err = e.store.Bam.BamEvent(alice, c.Address)
			mustNil(t, err, "BamEvent")
		})
	}
	wg.Wait()
	ev := events[0]
	if ev.ID <= 0 || ev.ID >= ledger.BamMaxRecordID || len(ev.Sectors) != 2 || len(ev.Timeslots) != 1 || !ev.Timeslots[0].OnSale ||
		len(ev.Timeslots[0].TicketConfigs) != 1 || ev.Timeslots[0].Name != "Hamlet" {
		t.Fatalf("event %+v", ev)
	}
	for _, other := range events[1:] {
		if other.ID != ev.ID || other.Sectors[0] != ev.Sectors[0] || other.Timeslots[0].ID != ev.Timeslots[0].ID {
			t.Fatalf("numbered twice: %+v and %+v", ev, other)
		}
	}
	byID, err := e.store.Bam.BamEventByID(alice, ev.ID)
	mustNil(t, err, "BamEventByID")
	if byID.Contract != c.Address {
		t.Errorf("event %d is %s, want %s", ev.ID, byID.Contract, c.Address)
	}
	id := ledger.BamTicketID(ev.Timeslots[0].ID, 2)
	ts, err := e.store.Bam.BamTickets(alice, []int64{id})
	mustNil(t, err, "BamTickets")
	if ts[0].ID != id || ts[0].Seat.String() != "Balcony/1A" || ts[0].Status != ledger.TicketAvailable || ts[0].Event != ev.ID {
		t.Errorf("ticket %d is %+v", id, ts[0])
	}
	_, err = e.store.Bam.BamEvent(e.actor(t, ledger.RoleOrganizer, "bob"), c.Address)
	wantCode(t, err, ledger.EFORBIDDEN)
	_, err = e.store.Bam.BamEventByID(alice, 12345)
	wantCode(t, err, ledger.ENOTFOUND)
	e.clock.Advance(200 * testInterval)
	_, err = e.store.Contracts.EndSale(alice, c.Address)
	mustNil(t, err, "EndSale")
	_, err = e.store.Contracts.BeginSale(alice, c.Address, flatPrices(parseSeats(t, "Stalls/1A", "Stalls/2A", "Balcony/1A"), 20), e.details(t, 100))
	mustNil(t, err, "BeginSale again")
	next, err := e.store.Bam.BamEvent(alice, c.Address)
	mustNil(t, err, "BamEvent after a new sale")
	if next.ID != ev.ID || len(next.Timeslots) != 2 || next.Timeslots[0].ID != ev.Timeslots[0].ID || next.Timeslots[0].OnSale || !next.Timeslots[1].OnSale {
		t.Errorf("after a new sale: %+v", next)
	}
}
