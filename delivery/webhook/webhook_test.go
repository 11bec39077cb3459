package webhook_test

import (
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// TestEveryEventDelivered drives a booking through its life and checks that each of the
// eight events reaches the endpoint, signed with the endpoint's secret (checked without
// the package's code), with ids and no personal data.
func TestEveryEventDelivered(t *testing.T) {
	w := newWorld(t)
	rcv := newReceiver(t)
	h := w.register(w.alice, rcv.url())
	run(t, dispatcher(w.st))

	cu := w.customer(w.alice, "Zoë")
	addr := w.onSale(w.alice, "1A", "1B", "1C")
	bk := w.booking(w.alice, addr, cu.ID, "1A", "1B")
	_, err := w.st.Bookings.Free(w.alice, bk.ID, parseSeats(t, "1B")[0])
	must(t, err, "Free")
	qr := w.confirm(w.alice, bk.ID)
	w.checkIn(w.alice, addr, qr[0])
	other := w.booking(w.alice, addr, cu.ID, "1C")
	_, err = w.st.Bookings.Cancel(w.alice, other.ID)
	must(t, err, "Cancel")

	waitFor(t, "every event", func() bool { return len(rcv.requests()) >= 13 })
	got := map[string]int{}
	for _, g := range rcv.requests() {
		verifySignature(t, h.Secret, g)
		got[g.payload.Event]++
		if e := g.header.Get("X-Ticketbooth-Event"); e != g.payload.Event {
			t.Errorf("event header %q, body %q", e, g.payload.Event)
		}
		for _, personal := range []string{"Zoë", "Zo\\u00eb", "Tomson", "tomsons.com"} {
			if strings.Contains(string(g.body), personal) {
				t.Errorf("%s body carries personal data %q: %s", g.payload.Event, personal, g.body)
			}
		}
	}
	want := map[string]int{ledger.EventNewPerson: 1, ledger.EventNewBooking: 2, ledger.EventBookingTicketsUpdated: 4,
		ledger.EventBookingTicketsDeleted: 2, ledger.EventBookingConfirmed: 1, ledger.EventNewPayment: 1,
		ledger.EventTicketCheckedIn: 1, ledger.EventBookingCancelled: 1}
	for _, e := range ledger.WebhookEventNames {
		if got[e] != want[e] {
			t.Errorf("%s delivered %d times, want %d (all: %v)", e, got[e], want[e], got)
		}
	}
	for id, n := range rcv.byDelivery() {
		if n != 1 {
			t.Errorf("delivery %d sent %d times", id, n)
		}
	}
}

// TestOwnEventsOnly: an organizer's endpoint hears of its own contracts and customers,
// never of another organizer's.
func TestOwnEventsOnly(t *testing.T) {
	w := newWorld(t)
	alices, bobs := newReceiver(t), newReceiver(t)
	w.register(w.alice, alices.url())
	w.register(w.bob, bobs.url())
	run(t, dispatcher(w.st))

	bobCustomer := w.customer(w.bob, "Bob")
	bobSale := w.onSale(w.bob, "1A")
	w.booking(w.bob, bobSale, bobCustomer.ID, "1A")
	aliceCustomer := w.customer(w.alice, "Alice")
	aliceSale := w.onSale(w.alice, "1A")
	w.booking(w.alice, aliceSale, aliceCustomer.ID, "1A")

	waitFor(t, "both organizers' events", func() bool { return len(alices.requests()) >= 3 && len(bobs.requests()) >= 3 })
	for name, r := range map[string]struct {
		rcv                *receiver
		contract, stranger string
		person             int64
	}{"alice": {alices, aliceSale, bobSale, aliceCustomer.ID}, "bob": {bobs, bobSale, aliceSale, bobCustomer.ID}} {
		for _, g := range r.rcv.requests() {
			if strings.Contains(string(g.body), r.stranger) {
				t.Errorf("%s's endpoint got the other organizer's %s: %s", name, g.payload.Event, g.body)
			}
			if g.payload.Event == ledger.EventNewPerson && !strings.Contains(string(g.body), itoa(r.person)) {
				t.Errorf("%s's endpoint got another organizer's person: %s", name, g.body)
			}
		}
		if n := len(r.rcv.requests()); n != 3 {
			t.Errorf("%s's endpoint got %d deliveries, want 3 (new-person, new-booking, booking-tickets-updated)", name, n)
		}
	}
}

// TestEndpointDownThenBack: an endpoint that refuses connections gets the delivery once
// it listens again, once.
func TestEndpointDownThenBack(t *testing.T) {
	w := newWorld(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err, "Listen")
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	h := w.register(w.alice, "http://"+addr+"/hooks", ledger.EventNewPerson)
	stop := run(t, dispatcher(w.st))
	w.customer(w.alice, "Tom")

	waitFor(t, "a failed attempt", func() bool {
		ds := w.deliveries(w.alice, h.ID)
		return len(ds) == 1 && len(ds[0].Attempts) >= 2
	})
	rcv := startReceiverOn(t, addr)
	waitFor(t, "the delivery", func() bool {
		ds := w.deliveries(w.alice, h.ID)
		return ds[0].State == ledger.DeliveryDelivered
	})
	stop()
	if n := len(rcv.requests()); n != 1 {
		t.Fatalf("the endpoint got %d requests, want 1", n)
	}
	verifySignature(t, h.Secret, rcv.requests()[0])
	d := w.deliveries(w.alice, h.ID)[0]
	first, last := d.Attempts[0], d.Attempts[len(d.Attempts)-1]
	if first.Status != 0 || !strings.Contains(first.Error, "refused the connection") {
		t.Errorf("first attempt = %+v, want a refused connection in words", first)
	}
	if last.Status != http.StatusOK || last.Error != "" || last.Number != len(d.Attempts) {
		t.Errorf("last attempt = %+v, want 200", last)
	}
}

// TestRetriedAfter500: a 500 is an attempt that failed; the next one delivers.
func TestRetriedAfter500(t *testing.T) {
	w := newWorld(t)
	rcv := newReceiver(t, http.StatusInternalServerError)
	h := w.register(w.alice, rcv.url(), ledger.EventNewPerson)
	stop := run(t, dispatcher(w.st))
	w.customer(w.alice, "Tom")
	waitFor(t, "the delivery", func() bool {
		ds := w.deliveries(w.alice, h.ID)
		return len(ds) == 1 && ds[0].State == ledger.DeliveryDelivered
	})
	stop()
	d := w.deliveries(w.alice, h.ID)[0]
	statuses := []int{}
	for _, a := range d.Attempts {
		statuses = append(statuses, a.Status)
	}
	if !slices.Equal(statuses, []int{500, 200}) || !strings.Contains(d.Attempts[0].Error, "500") {
		t.Errorf("attempts = %+v, want 500 then 200", d.Attempts)
	}
	got := rcv.requests()
	if len(got) != 2 || got[0].payload.Delivery != got[1].payload.Delivery || got[0].payload.Delivery != d.ID {
		t.Errorf("requests = %d, want the same delivery %d twice", len(got), d.ID)
	}
}

// TestRestartLosesNothing stops the dispatcher and closes its store mid-queue, then
// starts again on a fresh store: every delivery arrives, none twice.
func TestRestartLosesNothing(t *testing.T) {
	w := newWorld(t)
	rcv := newReceiver(t)
	w.register(w.alice, rcv.url(), ledger.EventNewPerson)
	const people = 30
	for i := range people {
		w.customer(w.alice, "Tom"+itoa(int64(i)))
	}
	first := w.open()
	d := dispatcher(first)
	d.Workers = 1
	stop := run(t, d)
	waitFor(t, "some deliveries", func() bool { return len(rcv.requests()) >= 5 })
	stop()
	first.Close()
	sent := len(rcv.requests())

	stop = run(t, dispatcher(w.open()))
	waitFor(t, "every delivery", func() bool { return len(rcv.byDelivery()) == people })
	stop()
	if sent == people {
		t.Logf("every delivery was sent before the restart; the test proved less than it should")
	}
	for id, n := range rcv.byDelivery() {
		if n != 1 {
			t.Errorf("delivery %d sent %d times", id, n)
		}
	}
}

// TestTwoDispatchersDeliverOnce runs two dispatchers on two stores of one database (two
// servers on one PostgreSQL under TICKETBOOTH_TEST_DB=postgres): each delivery once.
func TestTwoDispatchersDeliverOnce(t *testing.T) {
	w := newWorld(t)
	rcv := newReceiver(t)
	w.register(w.alice, rcv.url(), ledger.EventNewPerson, ledger.EventNewBooking)
	stop1, stop2 := run(t, dispatcher(w.open())), run(t, dispatcher(w.open()))
	const people = 40
	for i := range people {
		w.customer(w.alice, "Tom"+itoa(int64(i)))
	}
	waitFor(t, "every delivery", func() bool { return len(rcv.byDelivery()) == people })
	stop1()
	stop2()
	for id, n := range rcv.byDelivery() {
		if n != 1 {
			t.Errorf("delivery %d sent %d times", id, n)
		}
	}
	if n := len(rcv.requests()); n != people {
		t.Errorf("%d requests for %d deliveries", n, people)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
