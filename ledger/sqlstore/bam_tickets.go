package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// bamTicketColumns are what scanBamRow reads of a ticket: its seat, price (its type's
// when it is held or issued as one), format, type, sale
// state, booking and that booking's customer, state and expiry.
const bamTicketColumns = `t.contract, t.sale, t.idx, s.section, s.number, s.letter,
	CASE WHEN t.ticket_type = '' THEN t.price ELSE t.type_price END, t.format, t.ticket_type,
	CASE WHEN t.owner IS NULL THEN 0 ELSE 1 END, t.checked_in_at, t.booking,
	COALESCE(b.customer, 0), COALESCE(b.state, ''), COALESCE(b.expires_at, 0)
	FROM tickets t JOIN seats s ON s.contract = t.contract AND s.idx = t.idx
	LEFT JOIN bookings b ON b.id = t.booking AND t.booking <> 0`

// bamRow is one ticket as bamTicketColumns read it, before its numbers are added.
type bamRow struct {
	t   ledger.BamTicket
	idx int
}

// scanBamRow reads one row of bamTicketColumns; the status is the ticket's at now (a
// ticket of a booking whose hold passed is available).
func scanBamRow(row scanner, now time.Time) (bamRow, error) {
	var b bamRow
	var sold, checkedIn int64
	var bk bookingRow
	t := &b.t
	err := row.Scan(&t.Contract, &t.Sale, &b.idx, &t.Seat.Section, &t.Seat.Number, &t.Seat.Letter, &t.Price, &t.Format, &t.Type,
		&sold, &checkedIn, &t.Booking, &bk.customer, &bk.state, &bk.expires)
	switch {
	case err != nil:
	case checkedIn != 0:
		t.Status, t.Customer = ledger.TicketCheckedIn, bk.customer
	case sold != 0:
		t.Status, t.Customer = ledger.TicketIssued, bk.customer
	case t.Booking != 0 && bookingState(bk, now) == ledger.BookingOpen:
		t.Status, t.Customer = ledger.TicketReserved, bk.customer
	case t.Booking != 0 && bookingState(bk, now) == ledger.BookingExpired:
		t.Status, t.Format, t.Type, t.Expired = ledger.TicketAvailable, ledger.FormatPDF, "", true
	default:
		t.Status, t.Booking, t.Format, t.Type = ledger.TicketAvailable, 0, ledger.FormatPDF, ""
	}
	return b, err
}

// BamTickets reads the tickets with the ids, in their order: EINVALID for a number that
// is no ticket id, ENOTFOUND for an unknown one, EFORBIDDEN for another organizer's.
func (s *Bam) BamTickets(ctx context.Context, ids []int64) ([]ledger.BamTicket, error) {
	actor, err := ledger.Authorize(ctx, ledger.RoleBoxOffice, ledger.RoleOrganizer)
	if err != nil {
		return nil, err
	}
	n := bamNamer{s: s, r: s.reader(ctx), actor: actor}
	out := make([]ledger.BamTicket, 0, len(ids))
	for _, id := range ids {
		t, err := n.ticket(id)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// BamBookingTickets reads the tickets the booking holds or was issued, in seat order.
func (s *Bam) BamBookingTickets(ctx context.Context, booking int64) ([]ledger.BamTicket, error) {
	actor, err := ledger.Authorize(ctx, ledger.RoleBoxOffice, ledger.RoleOrganizer)
	if err != nil {
		return nil, err
	}
	if err := ledger.ValidateBookingID(booking); err != nil {
		return nil, err
	}
	rows, err := s.reader(ctx).rows(`SELECT `+bamTicketColumns+` WHERE t.booking = ? AND t.booking <> 0 ORDER BY t.idx`, booking)
	if err != nil {
		return nil, s.internal("reading the booking's tickets", err)
	}
	var found []bamRow
	now := s.now()
	for rows.Next() {
		b, err := scanBamRow(rows, now)
		if err != nil {
			rows.Close()
			return nil, s.internal("reading the booking's tickets", err)
		}
		found = append(found, b)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, s.internal("reading the booking's tickets", err)
	}
	n := bamNamer{s: s, r: s.reader(ctx), actor: actor}
	out := make([]ledger.BamTicket, 0, len(found))
	for _, b := range found {
		t, err := n.name(b)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// bamNamer adds the platform's numbers to tickets, reading each contract's once and
// checking that the actor may sell on it.
type bamNamer struct {
	s      *Bam
	r      runner
	actor  ledger.Actor
	events map[string][]bamRecord
}

// ticket reads the ticket numbered id.
func (n *bamNamer) ticket(id int64) (ledger.BamTicket, error) {
	slot, idx, err := ledger.BamTicketSeat(id)
	if err != nil {
		return ledger.BamTicket{}, err
	}
	var address string
	var sale int64
	err = n.r.row(`SELECT contract, sale FROM bam_ids WHERE id = ? AND kind = 'timeslot'`, slot).Scan(&address, &sale)
	if errors.Is(err, sql.ErrNoRows) {
		return ledger.BamTicket{}, errNoBamTicket(id)
	}
	if err != nil {
		return ledger.BamTicket{}, n.s.internal("reading the ticket", err)
	}
	b, err := scanBamRow(n.r.row(`SELECT `+bamTicketColumns+` WHERE t.contract = ? AND t.sale = ? AND t.idx = ?`, address, sale, idx), n.s.now())
	if errors.Is(err, sql.ErrNoRows) {
		return ledger.BamTicket{}, errNoBamTicket(id)
	}
	if err != nil {
		return ledger.BamTicket{}, n.s.internal("reading the ticket", err)
	}
	return n.name(b)
}

func errNoBamTicket(id int64) error {
	return ledger.Errorf(ledger.ENOTFOUND, "No ticket with id %d", id)
}

// name adds the numbers of the ticket's event, timeslot, sector and ticket config and its own.
func (n *bamNamer) name(b bamRow) (ledger.BamTicket, error) {
	recs, err := n.records(b.t.Contract)
	if err != nil {
		return ledger.BamTicket{}, err
	}
	t := b.t
	for _, r := range recs {
		switch {
		case r.kind == bamEvent:
			t.Event = r.id
		case r.kind == bamSector && r.name == t.Seat.Section:
			t.Sector = r.id
		case r.kind == bamTimeslot && r.sale == t.Sale:
			t.Timeslot, t.ID = r.id, ledger.BamTicketID(r.id, b.idx)
		case r.kind == bamTicketConfig && r.sale == t.Sale && r.name == t.Type:
			t.TicketConfig = r.id
		}
	}
	return t, nil
}

// records returns the contract's numbered records, once the actor may sell on it.
func (n *bamNamer) records(address string) ([]bamRecord, error) {
	if recs, ok := n.events[address]; ok {
		return recs, nil
	}
	if _, err := n.s.sellerContract(n.r, n.actor, address); err != nil {
		return nil, err
	}
	recs, err := bamRecords(n.r, address)
	if err != nil {
		return nil, n.s.internal("reading the event", err)
	}
	if n.events == nil {
		n.events = map[string][]bamRecord{}
	}
	n.events[address] = recs
	return recs, nil
}
