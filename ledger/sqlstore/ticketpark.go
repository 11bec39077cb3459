package sqlstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"math/big"
	"strings"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Ticketpark keeps the records of the /ticketpark/ facade (ledger.TicketparkRecords):
// Ticketpark's pids and the contracts, customers and bookings they stand for. Its writes
// touch no contract, sale or ticket (the facade creates contracts and sales through
// Contracts and holds through Bookings), and journal nothing: the ledger's own writes
// journal what they change.
type Ticketpark struct {
	*db
}

var _ ledger.TicketparkRecords = (*Ticketpark)(nil)

// newPid returns a fresh Ticketpark pid: 16 hex digits.
func newPid() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// newBookingPid returns a fresh booking pid: 12 decimal digits, the first not zero, as
// Ticketpark's are (its readable form groups them by four).
func newBookingPid() string {
	n, _ := rand.Int(rand.Reader, big.NewInt(9e11))
	return fmt.Sprintf("%012d", n.Int64()+1e11)
}

// tpWrite runs fn as one write of the actor's, with an organizer's key for setup records
// (setup) or a box-office or organizer key otherwise.
func (s *Ticketpark) tpWrite(ctx context.Context, what string, setup bool, fn func(*wtx) error) error {
	roles := ledger.CustomerRoles
	if setup {
		roles = []ledger.Role{ledger.RoleOrganizer}
	}
	actor, err := ledger.Authorize(ctx, roles...)
	if err != nil {
		return err
	}
	return s.update(ctx, what, actor, "", lockUnrelated, fn)
}

// AddVenue records a venue of the actor's host under a fresh pid.
func (s *Ticketpark) AddVenue(ctx context.Context, v ledger.TicketparkVenue) (ledger.TicketparkVenue, error) {
	if err := tpText("The venue's name", v.Name, 200, true); err != nil {
		return v, err
	}
	if err := tpText("The venue's city", v.City, 100, false); err != nil {
		return v, err
	}
	err := s.tpWrite(ctx, "recording the venue", true, func(w *wtx) error {
		v.Pid, v.Host = newPid(), w.actor.ID()
		_, err := w.exec(`INSERT INTO tp_venues (pid, seq, host, name, city) VALUES (?, `+nextSeq("tp_venues")+`, ?, ?, ?)`,
			v.Pid, v.Host, v.Name, v.City)
		return err
	})
	return v, err
}

// AddSectors records sectors of the actor's venues, all or none: each named as a
// section may be (at most 40 characters, no '/'), once in its venue, with a capacity of
// 1 to ledger.MaxContractSeats places.
func (s *Ticketpark) AddSectors(ctx context.Context, in []ledger.TicketparkSector) ([]ledger.TicketparkSector, error) {
	out := append([]ledger.TicketparkSector(nil), in...)
	for i, sec := range out {
		if err := validSector(i, sec); err != nil {
			return nil, err
		}
	}
	err := s.tpWrite(ctx, "recording the sectors", true, func(w *wtx) error {
		for i := range out {
			if err := addSector(w, &out[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// validSector checks the i-th sector of a request before anything is read.
func validSector(i int, sec ledger.TicketparkSector) error {
	name := strings.TrimSpace(sec.Name)
	if name == "" {
		return ledger.Errorf(ledger.EINVALID, "Sector %d needs a name", i+1)
	}
	if err := (ledger.Seat{Number: 1, Section: sec.Name}).Validate(); err != nil {
		return ledger.Errorf(ledger.EINVALID, "Sector %d's name %q must be at most %d characters, without '/' or surrounding spaces: it names the section of the show's places",
			i+1, clipText(sec.Name), ledger.MaxSectionLen)
	}
	switch {
	case sec.Capacity < 1 || sec.Capacity > ledger.MaxContractSeats:
		return ledger.Errorf(ledger.EINVALID, "Sector %q needs a capacity of 1 to %d places", clipText(sec.Name), ledger.MaxContractSeats)
	case sec.PriceCategory < 0 || sec.PriceCategory > 999999:
		return ledger.Errorf(ledger.EINVALID, "Sector %q needs a price category from 0 to 999999", clipText(sec.Name))
	}
	return nil
}

// addSector records one sector in its venue, which must be the actor's, under a name not
// taken there yet.
func addSector(w *wtx, sec *ledger.TicketparkSector) error {
	v, err := readVenue(w.runner, w.actor, sec.Venue)
	if err != nil {
		return err
	}
	var taken int
	if err := w.row(`SELECT COUNT(*) FROM tp_sectors WHERE venue = ? AND name = ?`, v.Pid, sec.Name).Scan(&taken); err != nil {
		return err
	}
	if taken > 0 {
		return ledger.Errorf(ledger.EINVALID, "Venue %s has a sector named %q already: a venue's sectors need names of their own", v.Pid, clipText(sec.Name))
	}
	sec.Pid = newPid()
	_, err = w.exec(`INSERT INTO tp_sectors (pid, seq, host, venue, name, price_category, capacity) VALUES (?, `+nextSeq("tp_sectors")+`, ?, ?, ?, ?, ?)`,
		sec.Pid, v.Host, v.Pid, sec.Name, sec.PriceCategory, sec.Capacity)
	return err
}

// AddEvents records events of the actor's host, all or none: each with a name and a
// currency code (written in capitals).
func (s *Ticketpark) AddEvents(ctx context.Context, in []ledger.TicketparkEvent) ([]ledger.TicketparkEvent, error) {
	out := append([]ledger.TicketparkEvent(nil), in...)
	for i := range out {
		e := &out[i]
		e.Currency = strings.ToUpper(strings.TrimSpace(e.Currency))
		if err := tpText("The event's name", e.Name, 200, true); err != nil {
			return nil, err
		}
		if len(e.Currency) != 3 || strings.Trim(e.Currency, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
			return nil, ledger.Errorf(ledger.EINVALID, "Event %q needs a currency: a code of three letters such as CHF", clipText(e.Name))
		}
	}
	err := s.tpWrite(ctx, "recording the events", true, func(w *wtx) error {
		for i := range out {
			e := &out[i]
			e.Pid, e.Host = newPid(), w.actor.ID()
			if _, err := w.exec(`INSERT INTO tp_events (pid, seq, host, name, currency, digital) VALUES (?, `+nextSeq("tp_events")+`, ?, ?, ?, ?)`,
				e.Pid, e.Host, e.Name, e.Currency, boolInt(e.DigitalDispatch)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// AddShow records a show of the actor's event in the actor's venue, sold on the contract
// the caller made for it.
func (s *Ticketpark) AddShow(ctx context.Context, sh ledger.TicketparkShow) (ledger.TicketparkShow, error) {
	err := s.tpWrite(ctx, "recording the show", true, func(w *wtx) error {
		e, err := readEvent(w.runner, w.actor, sh.Event)
		if err != nil {
			return err
		}
		if _, err := readVenue(w.runner, w.actor, sh.Venue); err != nil {
			return err
		}
		sh.Pid = newPid()
		_, err = w.exec(`INSERT INTO tp_shows (pid, seq, host, event, venue, start_at, zone, contract) VALUES (?, `+nextSeq("tp_shows")+`, ?, ?, ?, ?, ?, ?)`,
			sh.Pid, e.Host, sh.Event, sh.Venue, sh.Start.Unix(), sh.Zone, sh.Contract)
		return err
	})
	return sh, err
}

// AddPrices records prices of the actor's events, all or none: each named (at most 40
// characters: the name is the ticket type it is sold as), once per name and price
// category, not negative; ECONFLICT when a show of the event is on sale.
func (s *Ticketpark) AddPrices(ctx context.Context, in []ledger.TicketparkPrice) ([]ledger.TicketparkPrice, error) {
	out := append([]ledger.TicketparkPrice(nil), in...)
	for i := range out {
		p := &out[i]
		p.Name = strings.TrimSpace(p.Name)
		if err := tpText("A price's name", p.Name, ledger.MaxSectionLen, true); err != nil {
			return nil, err
		}
		if p.Price < 0 || p.Price > ledger.MaxPrice || p.PriceCategory < 0 || p.PriceCategory > 999999 {
			return nil, ledger.Errorf(ledger.EINVALID, "Price %q needs a price category from 0 to 999999 and a price that is not negative", clipText(p.Name))
		}
	}
	err := s.tpWrite(ctx, "recording the prices", true, func(w *wtx) error {
		for i := range out {
			if err := addPrice(w, &out[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// addPrice records one price of an event of the actor's none of whose shows is on sale.
func addPrice(w *wtx, p *ledger.TicketparkPrice) error {
	e, err := readEvent(w.runner, w.actor, p.Event)
	if err != nil {
		return err
	}
	var onSale, taken int
	if err := w.row(`SELECT COUNT(*) FROM tp_shows s JOIN sales x ON x.contract = s.contract WHERE s.event = ?`, e.Pid).Scan(&onSale); err != nil {
		return err
	}
	if onSale > 0 {
		return ledger.Errorf(ledger.ECONFLICT, "Event %s has a show on sale already: its prices are fixed; create a new event for other prices", e.Pid)
	}
	if err := w.row(`SELECT COUNT(*) FROM tp_prices WHERE event = ? AND name = ? AND price_category = ?`, e.Pid, p.Name, p.PriceCategory).Scan(&taken); err != nil {
		return err
	}
	if taken > 0 {
		return ledger.Errorf(ledger.EINVALID, "Event %s has a price %q in price category %d already", e.Pid, clipText(p.Name), p.PriceCategory)
	}
	p.Pid = newPid()
	_, err = w.exec(`INSERT INTO tp_prices (pid, seq, host, event, name, price_category, price) VALUES (?, `+nextSeq("tp_prices")+`, ?, ?, ?, ?, ?)`,
		p.Pid, e.Host, e.Pid, p.Name, p.PriceCategory, p.Price)
	return err
}

// AddBooking records a booking of the customer (whom the caller checked) without tickets.
func (s *Ticketpark) AddBooking(ctx context.Context, b ledger.TicketparkBooking) (ledger.TicketparkBooking, error) {
	err := s.tpWrite(ctx, "recording the booking", false, func(w *wtx) error {
		b.Pid, b.Host, b.Created, b.Show, b.Booking = newBookingPid(), w.actor.ID(), w.now.UTC(), "", 0
		_, err := w.exec(`INSERT INTO tp_bookings (pid, seq, host, customer, delivery, created_at) VALUES (?, `+nextSeq("tp_bookings")+`, ?, ?, ?, ?)`,
			b.Pid, b.Host, b.Customer, boolInt(b.Delivery), b.Created.UnixNano())
		return err
	})
	return b, err
}

// AttachBooking names the ledger booking and show of a booking that has none yet:
// ECONFLICT when it has one already (another request attached it first).
func (s *Ticketpark) AttachBooking(ctx context.Context, pid, show string, booking int64) error {
	return s.tpWrite(ctx, "attaching the booking", false, func(w *wtx) error {
		if _, err := readTPBooking(w.runner, w.actor, pid); err != nil {
			return err
		}
		res, err := w.exec(`UPDATE tp_bookings SET show_pid = ?, booking = ? WHERE pid = ? AND booking = 0`, show, booking, pid)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return ledger.Errorf(ledger.ECONFLICT, "Booking %s holds tickets already", pid)
		}
		return nil
	})
}

// SetDelivery records whether the booking is delivered by post.
func (s *Ticketpark) SetDelivery(ctx context.Context, pid string, delivery bool) error {
	return s.tpWrite(ctx, "changing the booking", false, func(w *wtx) error {
		if _, err := readTPBooking(w.runner, w.actor, pid); err != nil {
			return err
		}
		_, err := w.exec(`UPDATE tp_bookings SET delivery = ? WHERE pid = ?`, boolInt(delivery), pid)
		return err
	})
}

// RecordEmail records that the mail of the kind was asked for the booking, for the mail
// sender of a later issue.
func (s *Ticketpark) RecordEmail(ctx context.Context, pid, kind string) error {
	return s.tpWrite(ctx, "recording the mail", false, func(w *wtx) error {
		if _, err := readTPBooking(w.runner, w.actor, pid); err != nil {
			return err
		}
		_, err := w.exec(`INSERT INTO tp_emails (booking, type, requested_by, requested_at) VALUES (?, ?, ?, ?)`,
			pid, kind, w.actor.ID(), w.now.UnixNano())
		return err
	})
}

// nextSeq is the SQL that numbers a new row of the table after its others, for the
// collections' order. Two rows written at once on PostgreSQL may share a number; their
// pids order them then.
func nextSeq(table string) string {
	return `(SELECT COALESCE(MAX(seq), 0) + 1 FROM ` + table + `)`
}

// tpText checks a text field: valid text of at most max characters, not empty when
// required.
func tpText(field, text string, max int, required bool) error {
	switch {
	case required && strings.TrimSpace(text) == "":
		return ledger.Errorf(ledger.EINVALID, "%s must be given", field)
	case len([]rune(text)) > max:
		return ledger.Errorf(ledger.EINVALID, "%s must be at most %d characters", field, max)
	}
	return ledger.CheckText(field, text)
}

// clipText shortens a text for a message.
func clipText(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "..."
	}
	return s
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
