package server

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// bamPlan is a reservation with the platform's numbers resolved: its booking (contract,
// customer, format), the seats its items name (each as its item's ticket type), and the items left to the ledger
// to choose (by quantity).
type bamPlan struct {
	booking ledger.BookingRequest
	seats   []ledger.HoldItem
	picks   []bamPick
}

// bamPick is an item by quantity: that many tickets of a type in a section ("" for the
// seats without a section: the pick then chooses from the whole sale).
type bamPick struct {
	item     int
	section  string
	typ      string
	quantity int
}

// reserve opens a booking for the owner on the event's open sale, holds the tickets the
// items ask for, and answers 201 with them, reserved: all or nothing (a booking whose
// holds failed part way is cancelled, its seats back on sale).
func (h bam) reserve(w http.ResponseWriter, r *http.Request) {
	var body api.BamReserveRequest
	err := h.request(r, &body)
	if err == nil {
		body, err = body.Check()
	}
	var p bamPlan
	if err == nil {
		p, err = h.plan(r.Context(), body)
	}
	if err != nil {
		h.error(w, err)
		return
	}
	ts, err := h.hold(r.Context(), p)
	h.answerTickets(w, http.StatusCreated, ts, err)
}

// plan resolves the body's numbers: the event, its timeslot on sale, each item's sector
// and ticket config. ENOTFOUND naming an unknown one, ECONFLICT for a timeslot not on sale.
func (h bam) plan(ctx context.Context, body api.BamReserveRequest) (bamPlan, error) {
	e, err := h.ids.BamEventByID(ctx, body.EventID)
	if err != nil {
		return bamPlan{}, err
	}
	slot, ok := e.Timeslot(body.Items[0].TimeslotID)
	if !ok {
		return bamPlan{}, ledger.Errorf(ledger.ENOTFOUND, "Event %d has no timeslot %d", e.ID, body.Items[0].TimeslotID)
	}
	if !slot.OnSale {
		return bamPlan{}, ledger.Errorf(ledger.ECONFLICT, "Timeslot %d of event %d is not on sale now", slot.ID, e.ID)
	}
	p := bamPlan{booking: ledger.BookingRequest{Customer: int64(body.OwnerID), Contract: e.Contract, Format: body.Format}}
	for i, it := range body.Items {
		sector, ok := e.Sector(it.SectorID)
		if !ok {
			return bamPlan{}, ledger.Errorf(ledger.ENOTFOUND, "Item %d: event %d has no sector %d", i+1, e.ID, it.SectorID)
		}
		config, ok := slot.TicketConfig(it.TicketConfigID)
		if !ok {
			return bamPlan{}, ledger.Errorf(ledger.ENOTFOUND, "Item %d: timeslot %d has no ticket config %d", i+1, slot.ID, it.TicketConfigID)
		}
		if err := p.add(i+1, it, sector, config); err != nil {
			return bamPlan{}, err
		}
	}
	return p, nil
}

// add adds item n: its seats, which must be in the sector (a seat without a section is
// taken to be in it), or a pick of its quantity.
func (p *bamPlan) add(n int, it api.BamReservationItem, sector ledger.BamSector, config ledger.BamTicketConfig) error {
	if len(it.Seats) == 0 {
		p.picks = append(p.picks, bamPick{item: n, section: sector.Section, typ: config.Type, quantity: it.Quantity})
		return nil
	}
	for _, s := range it.Seats {
		if s.Section == "" {
			s.Section = sector.Section
		}
		if s.Section != sector.Section {
			return ledger.Errorf(ledger.EINVALID, "Item %d: seat %s is not in sector %d", n, s, sector.ID)
		}
		p.seats = append(p.seats, ledger.HoldItem{Seat: s, Type: config.Type})
	}
	return ledger.ValidateHold(p.seats)
}

// hold opens the booking and holds the plan's tickets, cancelling the booking when a
// hold fails, and returns the booking's tickets.
func (h bam) hold(ctx context.Context, p bamPlan) ([]ledger.BamTicket, error) {
	b, err := h.bookings.OpenBooking(ctx, p.booking)
	if err != nil {
		return nil, err
	}
	if err := h.holdAll(ctx, b.ID, p); err != nil {
		if _, cerr := h.bookings.Cancel(context.WithoutCancel(ctx), b.ID); cerr != nil && ledger.ErrorCode(cerr) == ledger.EINTERNAL {
			h.log.Error("cancelling a reservation whose holds failed", "booking", b.ID, "err", cerr)
		}
		return nil, err
	}
	return h.ids.BamBookingTickets(ctx, b.ID)
}

// holdAll holds the plan's seats, then its picks (each the best available of its
// quantity in its sector, chosen and held by the ledger in one transaction), for the
// booking.
func (h bam) holdAll(ctx context.Context, booking int64, p bamPlan) error {
	if len(p.seats) > 0 {
		if _, err := h.bookings.Hold(ctx, booking, p.seats); err != nil {
			return err
		}
	}
	for _, pk := range p.picks {
		if _, err := h.bookings.HoldBest(ctx, booking, ledger.Pick{Section: pk.section, Quantity: pk.quantity, Type: pk.typ}); err != nil {
			return itemError(pk.item, err)
		}
	}
	return nil
}

// itemError prefixes the refusal of item n's pick with the item, keeping its code.
func itemError(n int, err error) error {
	if code := ledger.ErrorCode(err); code != ledger.EINTERNAL {
		return ledger.Errorf(code, "Item %d: %s", n, ledger.ErrorMessage(err))
	}
	return err
}

// free returns reserved tickets to sale: a booking all of whose reserved tickets are
// freed is cancelled, in one transaction; otherwise each ticket is freed. It answers the
// tickets as they now are (available). A ticket that is not reserved is refused before
// anything changes.
func (h bam) free(w http.ResponseWriter, r *http.Request) {
	ids, err := h.ticketIDs(r)
	var ts []ledger.BamTicket
	if err == nil {
		ts, err = h.reserved(r.Context(), ids, "freed")
	}
	if err == nil {
		err = h.freeAll(r.Context(), ts)
	}
	if err == nil {
		ts, err = h.ids.BamTickets(r.Context(), ids)
	}
	h.answerTickets(w, http.StatusOK, ts, err)
}

// reserved reads the tickets, which must all be reserved: ECONFLICT naming the first that
// is not, for the action (freed, issued).
func (h bam) reserved(ctx context.Context, ids []int64, action string) ([]ledger.BamTicket, error) {
	ts, err := h.ids.BamTickets(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, t := range ts {
		switch t.Status {
		case ledger.TicketReserved:
		case ledger.TicketAvailable:
			if t.Expired {
				return nil, ledger.Errorf(ledger.ECONFLICT, "Ticket %d's reservation expired before it was issued: its seat is on sale again; reserve it anew", t.ID)
			}
			return nil, ledger.Errorf(ledger.ECONFLICT, "Ticket %d is not reserved (it is available): only a reserved ticket can be %s", t.ID, action)
		default:
			return nil, ledger.Errorf(ledger.ECONFLICT, "Ticket %d is already %s: only a reserved ticket can be %s", t.ID, ledger.BamStatus(t.Status), action)
		}
	}
	return ts, nil
}

// freeAll frees the reserved tickets, booking by booking.
func (h bam) freeAll(ctx context.Context, ts []ledger.BamTicket) error {
	for booking, group := range byBooking(ts) {
		held, err := h.bookingTickets(ctx, booking, ledger.TicketReserved)
		if err != nil {
			return err
		}
		if len(held) == len(group) {
			_, err = h.bookings.Cancel(ctx, booking)
			if err != nil {
				return err
			}
			continue
		}
		for _, t := range group {
			if _, err := h.bookings.Free(ctx, booking, t.Seat); err != nil {
				return err
			}
		}
	}
	return nil
}

// byBooking groups the tickets by their booking.
func byBooking(ts []ledger.BamTicket) map[int64][]ledger.BamTicket {
	out := map[int64][]ledger.BamTicket{}
	for _, t := range ts {
		out[t.Booking] = append(out[t.Booking], t)
	}
	return out
}

// issue confirms the booking of the reserved tickets through the issuer: fresh secrets,
// keys and QR texts, as any purchase. The tickets must be all the reserved tickets of one
// reservation (its booking is confirmed as a whole): EREFUSED naming those left out, or
// the second reservation, before anything changes. It answers 201 with the tickets
// issued, each with its QR text and secret, shown this once.
func (h bam) issue(w http.ResponseWriter, r *http.Request) {
	ids, err := h.ticketIDs(r)
	var ts []ledger.BamTicket
	if err == nil {
		ts, err = h.reserved(r.Context(), ids, "issued")
	}
	if err == nil {
		err = h.wholeBooking(r.Context(), ts)
	}
	var p issuer.Purchase
	if err == nil {
		p, err = h.confirmer.ConfirmBooking(r.Context(), ts[0].Booking, issuer.ConfirmRequest{TicketsPerQR: 1})
	}
	if err == nil {
		ts, err = h.ids.BamTickets(r.Context(), ids)
		w.Header().Set("X-Transaction-Hash", p.TransactionHash)
	}
	if err != nil {
		h.error(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, api.BamData[[]api.BamTicket]{Data: issuedTickets(ts, p)})
}

// wholeBooking checks that the tickets are every reserved ticket of one booking.
func (h bam) wholeBooking(ctx context.Context, ts []ledger.BamTicket) error {
	for _, t := range ts[1:] {
		if t.Booking != ts[0].Booking {
			return ledger.Errorf(ledger.EREFUSED, "Tickets %d and %d were reserved in two reservations: issue each reservation's tickets in a request of its own", ts[0].ID, t.ID)
		}
	}
	held, err := h.bookingTickets(ctx, ts[0].Booking, ledger.TicketReserved)
	if err != nil {
		return err
	}
	var left []string
	for _, t := range held {
		if !slices.ContainsFunc(ts, func(u ledger.BamTicket) bool { return u.ID == t.ID }) {
			left = append(left, strconv.FormatInt(t.ID, 10))
		}
	}
	if len(left) > 0 {
		return ledger.Errorf(ledger.EREFUSED, "Ticket %d was reserved together with ticket(s) %s, and a reservation is issued as a whole: issue them together, or free the ones not wanted first",
			ts[0].ID, strings.Join(left, ", "))
	}
	return nil
}

// issuedTickets are the tickets with the QR text and secret the purchase made for each
// one's seat.
func issuedTickets(ts []ledger.BamTicket, p issuer.Purchase) []api.BamTicket {
	out := make([]api.BamTicket, len(ts))
	for i, t := range ts {
		out[i] = api.BamTicketOf(t)
		for j, it := range p.Tickets {
			if it.Seat.Key() == t.Seat.Key() && j < len(p.QR) {
				out[i].QR, out[i].Secret = p.QR[j], &it.Secret
			}
		}
	}
	return out
}
