package webhook_test

import (
	"context"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/internal/pgtest"
	"github.com/ticketbooth-go/ticketbooth/internal/testclock"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
)

// TestSentBeforeTheBlockCloses: an event goes out as soon as its transaction commits, not
// when its block closes (an hour here); when the block does close, following the journal
// past it queues nothing twice.
func TestSentBeforeTheBlockCloses(t *testing.T) {
	clock := testclock.New(testclock.Start, time.Hour)
	st, err := sqlstore.Open(context.Background(), pgtest.LedgerDB(t), sqlstore.Options{BlockInterval: time.Hour, Now: clock.Now})
	must(t, err, "Open")
	t.Cleanup(func() { st.Close() })
	w := &world{t: t, st: st}
	alice := w.organizer("alice")
	rcv := newReceiver(t)
	h := w.register(alice, rcv.url(), ledger.EventNewPerson)
	d := dispatcher(st)
	d.Now = clock.Now
	stop := run(t, d)
	w.customer(alice, "Tom")
	w.customer(alice, "Tim")
	waitFor(t, "the deliveries, within the open block", func() bool { return len(rcv.requests()) == 2 })
	stop()

	clock.AdvanceBlocks(2)
	for {
		n, err := st.Webhooks.FollowJournal(alice, 500)
		must(t, err, "FollowJournal")
		if n == 0 {
			break
		}
	}
	if ds := w.deliveries(alice, h.ID); len(ds) != 2 {
		t.Errorf("%d deliveries after the block closed, want 2", len(ds))
	}
	claims, err := st.Webhooks.ClaimWebhookDeliveries(alice, 10, time.Minute)
	must(t, err, "ClaimWebhookDeliveries")
	if len(claims) != 0 {
		t.Errorf("%d deliveries due again after the block closed", len(claims))
	}
}

// TestOldDeliveriesPruned: delivered deliveries stay visible for KeepDeliveries, then
// following the journal deletes them with their attempts.
func TestOldDeliveriesPruned(t *testing.T) {
	clock := testclock.New(testclock.Start, time.Second)
	st, err := sqlstore.Open(context.Background(), pgtest.LedgerDB(t), sqlstore.Options{BlockInterval: time.Second, Now: clock.Now})
	must(t, err, "Open")
	t.Cleanup(func() { st.Close() })
	w := &world{t: t, st: st}
	alice := w.organizer("alice")
	rcv := newReceiver(t)
	h := w.register(alice, rcv.url(), ledger.EventNewPerson)
	d := dispatcher(st)
	d.Now = clock.Now
	stop := run(t, d)
	w.customer(alice, "Tom")
	waitFor(t, "the delivery", func() bool {
		ds := w.deliveries(alice, h.ID)
		return len(ds) == 1 && ds[0].State == ledger.DeliveryDelivered
	})
	stop()
	clock.Advance(sqlstore.KeepDeliveries - time.Hour)
	_, err = st.Webhooks.FollowJournal(alice, 500)
	must(t, err, "FollowJournal")
	if n := len(w.deliveries(alice, h.ID)); n != 1 {
		t.Fatalf("%d deliveries before KeepDeliveries, want 1", n)
	}
	clock.Advance(2 * time.Hour)
	_, err = st.Webhooks.FollowJournal(alice, 500)
	must(t, err, "FollowJournal")
	if n := len(w.deliveries(alice, h.ID)); n != 0 {
		t.Errorf("%d deliveries after KeepDeliveries, want 0", n)
	}
}
