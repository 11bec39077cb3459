package ledgertest

import (
	"testing"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// testReserve: an order sells its seats all at once at the sale's prices, pays back an
// over-payment, and the ticket list shows the seats under the holder's address.
func testReserve(t *testing.T, b Backend) {
	c := create(t, b, "1A", "1B", "2A")
	o := b.Organizer
	prices := []ledger.SeatPrice{{Seat: parseSeats(t, "1A")[0], Price: 700}, {Seat: parseSeats(t, "1B")[0], Price: 500},
		{Seat: parseSeats(t, "2A")[0], Price: 300}}
	_, err := o.Service.BeginSale(o.Ctx, c.Address, prices, details(t, b, 10))
	must(t, err, "BeginSale")
	ord, _ := order(t, "customer-4711", "", "1B", "1A")
	paid := int64(1500)
	ord.Amount = &paid
	rc, err := b.BoxOffice.Seller.Reserve(b.BoxOffice.Ctx, c.Address, ord)
	must(t, err, "Reserve")
	if rc.Kind != ledger.TxTicketsReserved || rc.Contract != c.Address || rc.Total != 1200 || rc.Refunded != 300 ||
		len(rc.Prices) != 2 || rc.Prices[0] != 500 || rc.Prices[1] != 700 || rc.Holder == "" || rc.Holder == ledger.ZeroAddress {
		t.Errorf("Reserve = %+v", rc)
	}
	tickets, err := b.Anonymous.Service.Tickets(b.Anonymous.Ctx, c.Address)
	must(t, err, "Tickets")
	for i, want := range []string{rc.Holder, rc.Holder, ledger.ZeroAddress} {
		if tickets[i].Address != want || tickets[i].Price != prices[i].Price {
			t.Errorf("ticket %s = %+v, want address %s, price %d", tickets[i].Seat, tickets[i], want, prices[i].Price)
		}
	}
	if tickets[0].Secret == "" || tickets[2].Secret != "" || tickets[0].Sender != "" {
		t.Errorf("tickets %+v: want the sold ones' ciphertexts, no sender for the public", tickets)
	}
}

// testReserveRefused: a taken seat, too little paid and a seat the hall lacks are refused
// (EREFUSED), an order outside a sale is ECONFLICT, an empty one EINVALID; a refused order
// sells nothing.
func testReserveRefused(t *testing.T, b Backend) {
	c := create(t, b, "1A", "1B")
	s := b.BoxOffice
	ord, _ := order(t, "ann", "", "1A")
	_, err := s.Seller.Reserve(s.Ctx, c.Address, ord)
	wantCode(t, err, ledger.ECONFLICT, "Reserve before the sale")
	_, err = b.Organizer.Service.BeginSale(b.Organizer.Ctx, c.Address, flatPrices(parseSeats(t, "1A", "1B"), 500), details(t, b, 3))
	must(t, err, "BeginSale")
	sell(t, b, c.Address, "ann", "", "1A")
	taken, _ := order(t, "bob", "", "1B", "1A")
	_, err = s.Seller.Reserve(s.Ctx, c.Address, taken)
	wantCode(t, err, ledger.EREFUSED, "Reserve of a taken seat")
	short, _ := order(t, "bob", "", "1B")
	paid := int64(499)
	short.Amount = &paid
	_, err = s.Seller.Reserve(s.Ctx, c.Address, short)
	wantCode(t, err, ledger.EREFUSED, "Reserve paying too little")
	lacking, _ := order(t, "bob", "", "9Z")
	_, err = s.Seller.Reserve(s.Ctx, c.Address, lacking)
	wantCode(t, err, ledger.EREFUSED, "Reserve of a seat the hall lacks")
	_, err = s.Seller.Reserve(s.Ctx, c.Address, ledger.Order{Sender: "bob"})
	wantCode(t, err, ledger.EINVALID, "Reserve of no seat")
	tickets, err := b.Anonymous.Service.Tickets(b.Anonymous.Ctx, c.Address)
	must(t, err, "Tickets")
	if tickets[1].Address != ledger.ZeroAddress {
		t.Errorf("seat 1B sold by a refused order: %+v", tickets[1])
	}
	b.AdvanceBlocks(3)
	late, _ := order(t, "bob", "", "1B")
	_, err = s.Seller.Reserve(s.Ctx, c.Address, late)
	wantCode(t, err, ledger.ECONFLICT, "Reserve at the sale's end height")
}

// testTicketSenders: the ticket list names a sold ticket's sender only to the contract's
// owner (and the administrator), never to anyone else.
func testTicketSenders(t *testing.T, b Backend) {
	c := onSale(t, b, 500, "1A", "1B")
	sell(t, b, c.Address, "customer-4711", "", "1A")
	parties := map[string]Party{"owner": b.Organizer, "administrator": b.Admin, "public": b.Anonymous, "rival": b.Rival,
		"box office": b.BoxOffice}
	for who, p := range parties {
		if p.Service == nil {
			continue
		}
		tickets, err := p.Service.Tickets(p.Ctx, c.Address)
		must(t, err, who+" Tickets")
		want := ""
		if who == "owner" || who == "administrator" {
			want = "customer-4711"
		}
		if tickets[0].Sender != want || tickets[1].Sender != "" {
			t.Errorf("%s sees senders %q, %q; want %q, none", who, tickets[0].Sender, tickets[1].Sender, want)
		}
	}
}

// testRelease: a ticket goes back on sale with its secret or by its sender (from the key
// that sold it), refunding its price less the fee; a wrong secret or sender is refused
// (EREFUSED), as is a seat no longer held.
func testRelease(t *testing.T, b Backend) {
	c := create(t, b, "1A", "1B")
	o := b.Organizer
	_, err := o.Service.SetReleaseFee(o.Ctx, c.Address, 150)
	must(t, err, "SetReleaseFee")
	_, err = o.Service.BeginSale(o.Ctx, c.Address, flatPrices(parseSeats(t, "1A", "1B"), 500), details(t, b, 10))
	must(t, err, "BeginSale")
	_, tickets := sell(t, b, c.Address, "customer-4711", "", "1A", "1B")
	s := b.BoxOffice
	a, bb := tickets[0].qr, tickets[1].qr
	_, err = s.Seller.Release(s.Ctx, c.Address, ledger.ReleaseRequest{Seat: a.Seat, Secret: bb.Secret})
	wantCode(t, err, ledger.EREFUSED, "Release with another ticket's secret")
	_, err = s.Seller.Release(s.Ctx, c.Address, ledger.ReleaseRequest{Seat: a.Seat, Sender: "customer-9999"})
	wantCode(t, err, ledger.EREFUSED, "Release naming another sender")
	_, err = s.Seller.Release(s.Ctx, c.Address, ledger.ReleaseRequest{Seat: a.Seat})
	wantCode(t, err, ledger.EINVALID, "Release with neither secret nor sender")
	rc, err := s.Seller.Release(s.Ctx, c.Address, ledger.ReleaseRequest{Seat: a.Seat, Secret: a.Secret})
	must(t, err, "Release with the secret")
	if rc.Kind != ledger.TxTicketReleased || rc.Refund != 350 {
		t.Errorf("Release = %+v, want a refund of 350", rc)
	}
	rc, err = s.Seller.Release(s.Ctx, c.Address, ledger.ReleaseRequest{Seat: bb.Seat, Sender: "customer-4711"})
	must(t, err, "Release by the sender")
	if rc.Refund != 350 {
		t.Errorf("Release by sender = %+v, want a refund of 350", rc)
	}
	_, err = s.Seller.Release(s.Ctx, c.Address, ledger.ReleaseRequest{Seat: a.Seat, Secret: a.Secret})
	wantCode(t, err, ledger.EREFUSED, "Release of a released seat")
	list, err := b.Anonymous.Service.Tickets(b.Anonymous.Ctx, c.Address)
	must(t, err, "Tickets")
	if list[0].Address != ledger.ZeroAddress || list[1].Address != ledger.ZeroAddress {
		t.Errorf("released seats still sold: %+v", list)
	}
	sell(t, b, c.Address, "customer-5000", "", "1A") // on sale again
}

// testReissue: a sold ticket gets a new secret for the same seat, price and holder, with
// its secret or from the key that sold it; a wrong secret and a free seat are refused
// (EREFUSED); from then on the old QR is invalid at the gate.
func testReissue(t *testing.T, b Backend) {
	c := onSale(t, b, 500, "1A", "1B")
	sold, tickets := sell(t, b, c.Address, "customer-4711", "", "1A")
	s := b.BoxOffice
	seat := tickets[0].qr.Seat
	_, err := s.Seller.Reissue(s.Ctx, c.Address, ledger.ReissueRequest{Secret: "WRONGWRONGWRONG", Ticket: seal(t, seat, "").sealed})
	wantCode(t, err, ledger.EREFUSED, "Reissue with a wrong secret")
	_, err = s.Seller.Reissue(s.Ctx, c.Address, ledger.ReissueRequest{Ticket: seal(t, parseSeats(t, "1B")[0], "").sealed})
	wantCode(t, err, ledger.EREFUSED, "Reissue of a free seat")
	rc, err := s.Seller.Reissue(s.Ctx, c.Address, ledger.ReissueRequest{Secret: tickets[0].qr.Secret, Ticket: seal(t, seat, "").sealed})
	must(t, err, "Reissue")
	if rc.Kind != ledger.TxTicketReissued || rc.Price != 500 || rc.Holder != sold.Holder {
		t.Errorf("Reissue = %+v, want price 500 for holder %s", rc, sold.Holder)
	}
	res, err := b.Scanner.Gate.CheckIn(b.Scanner.Ctx, c.Address, ledger.CheckInRequest{Tickets: []ledger.QRTicket{tickets[0].qr}, Gate: "north", Nonce: "old"})
	must(t, err, "CheckIn of the old QR")
	if len(res) != 1 || res[0].Status != ledger.StatusInvalid {
		t.Errorf("old QR after the reissue: %+v, want %s", res, ledger.StatusInvalid)
	}
}

// testReissuedTicketAdmitted: the reissued ticket's own QR is admitted, and a checked-in
// ticket is no longer reissued (ECONFLICT).
func testReissuedTicketAdmitted(t *testing.T, b Backend) {
	c := onSale(t, b, 500, "1A")
	_, tickets := sell(t, b, c.Address, "customer-4711", "", "1A")
	s := b.BoxOffice
	fresh := seal(t, tickets[0].qr.Seat, "")
	_, err := s.Seller.Reissue(s.Ctx, c.Address, ledger.ReissueRequest{Secret: tickets[0].qr.Secret, Ticket: fresh.sealed})
	must(t, err, "Reissue")
	res, err := b.Scanner.Gate.CheckIn(b.Scanner.Ctx, c.Address, ledger.CheckInRequest{Tickets: []ledger.QRTicket{fresh.qr}, Gate: "north", Nonce: "new"})
	must(t, err, "CheckIn of the new QR")
	if len(res) != 1 || res[0].Status != ledger.StatusAdmitted {
		t.Errorf("new QR: %+v, want %s", res, ledger.StatusAdmitted)
	}
	_, err = s.Seller.Reissue(s.Ctx, c.Address, ledger.ReissueRequest{Secret: fresh.qr.Secret, Ticket: seal(t, fresh.qr.Seat, "").sealed})
	wantCode(t, err, ledger.ECONFLICT, "Reissue of a checked-in ticket")
}
