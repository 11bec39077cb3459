package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// tpKind is one table of the facade's records: how to read its rows and name it.
type tpKind[T any] struct {
	table, cols, what string
	scan              func(scanner) (T, error)
	parent            string // the condition keeping a collection to a parent ("venue = ?")
}

var (
	tpVenues = tpKind[ledger.TicketparkVenue]{table: "tp_venues", cols: "pid, host, name, city", what: "venue",
		scan: func(r scanner) (v ledger.TicketparkVenue, err error) {
			return v, r.Scan(&v.Pid, &v.Host, &v.Name, &v.City)
		}}
	tpSectors = tpKind[ledger.TicketparkSector]{table: "tp_sectors", cols: "pid, venue, name, price_category, capacity", what: "sector",
		parent: "venue = ?", scan: func(r scanner) (s ledger.TicketparkSector, err error) {
			return s, r.Scan(&s.Pid, &s.Venue, &s.Name, &s.PriceCategory, &s.Capacity)
		}}
	tpEvents = tpKind[ledger.TicketparkEvent]{table: "tp_events", cols: "pid, host, name, currency, digital", what: "event",
		scan: func(r scanner) (e ledger.TicketparkEvent, err error) {
			var digital int
			err = r.Scan(&e.Pid, &e.Host, &e.Name, &e.Currency, &digital)
			e.DigitalDispatch = digital != 0
			return e, err
		}}
	tpShows = tpKind[ledger.TicketparkShow]{table: "tp_shows", cols: "pid, event, venue, start_at, zone, contract", what: "show",
		parent: "event = ?", scan: func(r scanner) (s ledger.TicketparkShow, err error) {
			var start int64
			err = r.Scan(&s.Pid, &s.Event, &s.Venue, &start, &s.Zone, &s.Contract)
			s.Start = time.Unix(start, 0).UTC()
			return s, err
		}}
	tpPrices = tpKind[ledger.TicketparkPrice]{table: "tp_prices", cols: "pid, event, name, price_category, price", what: "price",
		parent: "event = ?", scan: func(r scanner) (p ledger.TicketparkPrice, err error) {
			return p, r.Scan(&p.Pid, &p.Event, &p.Name, &p.PriceCategory, &p.Price)
		}}
	tpBookings = tpKind[ledger.TicketparkBooking]{table: "tp_bookings", cols: "pid, host, customer, show_pid, booking, delivery, created_at",
		what: "booking", parent: "show_pid IN (SELECT pid FROM tp_shows WHERE event = ?)", scan: func(r scanner) (b ledger.TicketparkBooking, err error) {
			var delivery int
			var created int64
			err = r.Scan(&b.Pid, &b.Host, &b.Customer, &b.Show, &b.Booking, &delivery, &created)
			b.Delivery, b.Created = delivery != 0, time.Unix(0, created).UTC()
			return b, err
		}}
)

// tpSeesAll reports whether the actor sees every host's records: all but organizer keys.
func tpSeesAll(a ledger.Actor) bool { return a.Admin || a.Role != ledger.RoleOrganizer }

// one reads the record with the pid as the actor may see it: ENOTFOUND otherwise.
func (k tpKind[T]) one(r runner, actor ledger.Actor, pid string) (T, error) {
	q, args := `SELECT `+k.cols+` FROM `+k.table+` WHERE pid = ?`, []any{pid}
	if !tpSeesAll(actor) {
		q, args = q+` AND host = ?`, append(args, actor.ID())
	}
	v, err := k.scan(r.row(q, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return v, ledger.Errorf(ledger.ENOTFOUND, "No %s with pid %q", k.what, clipText(pid))
	}
	return v, err
}

// page reads a page of the records the actor may see (of the parent, when given) in the
// order they were created, and how many there are.
func (k tpKind[T]) page(r runner, actor ledger.Actor, parent string, p ledger.TicketparkPage) ([]T, int, error) {
	where, args := ` FROM `+k.table+` WHERE 1 = 1`, []any{}
	if !tpSeesAll(actor) {
		where, args = where+` AND host = ?`, append(args, actor.ID())
	}
	if parent != "" {
		where, args = where+` AND `+k.parent, append(args, parent)
	}
	var total int
	if err := r.row(`SELECT COUNT(*)`+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := r.rows(`SELECT `+k.cols+where+` ORDER BY seq, pid LIMIT ? OFFSET ?`,
		append(args, p.MaxResults, int64(p.Page)*int64(p.MaxResults))...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := k.scan(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, v)
	}
	return out, total, rows.Err()
}

// readVenue, readEvent and readTPBooking read a record inside a write.
func readVenue(r runner, a ledger.Actor, pid string) (ledger.TicketparkVenue, error) {
	return tpVenues.one(r, a, pid)
}
func readEvent(r runner, a ledger.Actor, pid string) (ledger.TicketparkEvent, error) {
	return tpEvents.one(r, a, pid)
}
func readTPBooking(r runner, a ledger.Actor, pid string) (ledger.TicketparkBooking, error) {
	return tpBookings.one(r, a, pid)
}

// tpRead authorizes a read (any key for setup records; a box-office or organizer key for
// bookings) and runs fn with the actor.
func tpRead[T any](s *Ticketpark, ctx context.Context, bookings bool, fn func(runner, ledger.Actor) (T, error)) (T, error) {
	roles := []ledger.Role{ledger.RoleOrganizer, ledger.RoleBoxOffice, ledger.RoleScanner}
	if bookings {
		roles = ledger.CustomerRoles
	}
	var zero T
	actor, err := ledger.Authorize(ctx, roles...)
	if err != nil {
		return zero, err
	}
	v, err := fn(s.reader(ctx), actor)
	if err != nil {
		return zero, s.internal("reading Ticketpark records", err)
	}
	return v, nil
}

// one and page read a kind's record or page for the store's methods.
func tpOne[T any](s *Ticketpark, ctx context.Context, k tpKind[T], pid string) (T, error) {
	return tpRead(s, ctx, k.what == "booking", func(r runner, a ledger.Actor) (T, error) { return k.one(r, a, pid) })
}

type tpList[T any] struct {
	items []T
	total int
}

func tpPage[T any](s *Ticketpark, ctx context.Context, k tpKind[T], parent string, p ledger.TicketparkPage) ([]T, int, error) {
	l, err := tpRead(s, ctx, k.what == "booking", func(r runner, a ledger.Actor) (tpList[T], error) {
		items, total, err := k.page(r, a, parent, p)
		return tpList[T]{items, total}, err
	})
	return l.items, l.total, err
}

// Venue reads a venue: ENOTFOUND for an unknown pid or another host's.
func (s *Ticketpark) Venue(ctx context.Context, pid string) (ledger.TicketparkVenue, error) {
	return tpOne(s, ctx, tpVenues, pid)
}

// Sector reads a sector.
func (s *Ticketpark) Sector(ctx context.Context, pid string) (ledger.TicketparkSector, error) {
	return tpOne(s, ctx, tpSectors, pid)
}

// Event reads an event.
func (s *Ticketpark) Event(ctx context.Context, pid string) (ledger.TicketparkEvent, error) {
	return tpOne(s, ctx, tpEvents, pid)
}

// Show reads a show.
func (s *Ticketpark) Show(ctx context.Context, pid string) (ledger.TicketparkShow, error) {
	return tpOne(s, ctx, tpShows, pid)
}

// Price reads a price.
func (s *Ticketpark) Price(ctx context.Context, pid string) (ledger.TicketparkPrice, error) {
	return tpOne(s, ctx, tpPrices, pid)
}

// Booking reads a booking (box-office and organizer keys).
func (s *Ticketpark) Booking(ctx context.Context, pid string) (ledger.TicketparkBooking, error) {
	return tpOne(s, ctx, tpBookings, pid)
}

// Venues reads a page of the venues.
func (s *Ticketpark) Venues(ctx context.Context, p ledger.TicketparkPage) ([]ledger.TicketparkVenue, int, error) {
	return tpPage(s, ctx, tpVenues, "", p)
}

// Sectors reads a page of the sectors, of the venue when given.
func (s *Ticketpark) Sectors(ctx context.Context, venue string, p ledger.TicketparkPage) ([]ledger.TicketparkSector, int, error) {
	return tpPage(s, ctx, tpSectors, venue, p)
}

// Events reads a page of the events.
func (s *Ticketpark) Events(ctx context.Context, p ledger.TicketparkPage) ([]ledger.TicketparkEvent, int, error) {
	return tpPage(s, ctx, tpEvents, "", p)
}

// Shows reads a page of the shows, of the event when given.
func (s *Ticketpark) Shows(ctx context.Context, event string, p ledger.TicketparkPage) ([]ledger.TicketparkShow, int, error) {
	return tpPage(s, ctx, tpShows, event, p)
}

// Prices reads a page of the prices, of the event when given.
func (s *Ticketpark) Prices(ctx context.Context, event string, p ledger.TicketparkPage) ([]ledger.TicketparkPrice, int, error) {
	return tpPage(s, ctx, tpPrices, event, p)
}

// Bookings reads a page of the bookings, of the event when given (box-office and
// organizer keys).
func (s *Ticketpark) Bookings(ctx context.Context, event string, p ledger.TicketparkPage) ([]ledger.TicketparkBooking, int, error) {
	return tpPage(s, ctx, tpBookings, event, p)
}

// Capacity counts a show contract's places: all of them, and those sold in its latest
// sale or held by an open booking whose hold has not run out.
func (s *Ticketpark) Capacity(ctx context.Context, contract string) (ledger.TicketparkCapacity, error) {
	return tpRead(s, ctx, false, func(r runner, _ ledger.Actor) (ledger.TicketparkCapacity, error) {
		var c ledger.TicketparkCapacity
		if err := r.row(`SELECT COUNT(*) FROM seats WHERE contract = ?`, contract).Scan(&c.Total); err != nil {
			return c, err
		}
		err := r.row(`SELECT COUNT(*) FROM tickets t WHERE t.contract = ?
			AND t.sale = (SELECT COALESCE(MAX(number), 0) FROM sales WHERE contract = ?)
			AND (t.owner IS NOT NULL OR t.booking <> 0 AND EXISTS (SELECT 1 FROM bookings b
				WHERE b.id = t.booking AND b.state = ? AND b.expires_at > ?))`,
			contract, contract, ledger.BookingOpen, s.now().UnixNano()).Scan(&c.Sold)
		return c, err
	})
}
