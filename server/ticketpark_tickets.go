package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// tpTicketBody is one ticket of POST tickets/: a booking, a show, a price, and a sector
// (any free place of it) or a seat (one place: "{sector pid}-{number}").
type tpTicketBody struct {
	Booking string `json:"booking"`
	Show    string `json:"show"`
	Price   string `json:"price"`
	Sector  string `json:"sector"`
	Seat    string `json:"seat"`
}

// tpWant is a ticket of a request, read and checked: its sector, its price, and the place
// asked for (0: any free place of the sector).
type tpWant struct {
	sector ledger.TicketparkSector
	price  ledger.TicketparkPrice
	place  int
}

// createTickets holds the tickets for their booking, all or none: they must all be of
// one booking and one show (the booking's, once it has tickets). The show goes on sale
// first if it can. Answers 201, each ticket's pid in a Location header.
func (h ticketpark) createTickets(w http.ResponseWriter, r *http.Request) {
	items, many, err := tpBody[tpTicketBody](r)
	var pids []string
	if err == nil {
		pids, err = h.holdTickets(r.Context(), items)
	}
	h.created(w, "tickets", pids, many, err)
}

func (h ticketpark) holdTickets(ctx context.Context, items []tpTicketBody) ([]string, error) {
	if _, err := ledger.Authorize(ctx, ledger.CustomerRoles...); err != nil {
		return nil, err
	}
	b, s, err := h.ticketsTarget(items)
	if err != nil {
		return nil, err
	}
	booking, err := h.records.Booking(ctx, b)
	if err != nil {
		return nil, err
	}
	show, err := h.records.Show(ctx, s)
	if err != nil {
		return nil, err
	}
	wants, err := h.ticketWants(ctx, show, items)
	if err != nil {
		return nil, err
	}
	id, err := h.ledgerBooking(ctx, booking, show)
	if err != nil {
		return nil, err
	}
	return h.holdWants(ctx, booking, id, wants)
}

// ticketsTarget returns the one booking and show the request's tickets name: EINVALID
// in words when one lacks them or they differ.
func (h ticketpark) ticketsTarget(items []tpTicketBody) (booking, show string, err error) {
	for i, it := range items {
		switch {
		case it.Booking == "" || it.Show == "" || it.Price == "":
			return "", "", ledger.Errorf(ledger.EINVALID, "Ticket %d needs a booking, a show and a price", i+1)
		case (it.Sector == "") == (it.Seat == ""):
			return "", "", ledger.Errorf(ledger.EINVALID, "Ticket %d needs a sector or a seat: one of the two", i+1)
		case i > 0 && (it.Booking != booking || it.Show != show):
			return "", "", ledger.Errorf(ledger.EINVALID, "Ticket %d is of another booking or show than ticket 1: add the tickets of one booking and one show at a time", i+1)
		}
		booking, show = it.Booking, it.Show
	}
	return booking, show, nil
}

// ticketWants reads each ticket's sector (of the show's venue) and price (of the show's
// event, for the sector's price category).
func (h ticketpark) ticketWants(ctx context.Context, show ledger.TicketparkShow, items []tpTicketBody) ([]tpWant, error) {
	out := make([]tpWant, len(items))
	for i, it := range items {
		w := &out[i]
		sectorPid := it.Sector
		if it.Seat != "" {
			var err error
			if sectorPid, w.place, err = parseSeatPid(it.Seat); err != nil {
				return nil, err
			}
		}
		var err error
		if w.sector, err = h.records.Sector(ctx, sectorPid); err != nil {
			return nil, err
		}
		if w.price, err = h.records.Price(ctx, it.Price); err != nil {
			return nil, err
		}
		if err := checkWant(i, show, *w); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// checkWant checks that a ticket's sector, place and price fit its show.
func checkWant(i int, show ledger.TicketparkShow, w tpWant) error {
	switch {
	case w.sector.Venue != show.Venue:
		return ledger.Errorf(ledger.EINVALID, "Ticket %d: sector %s is not in the venue of show %s", i+1, w.sector.Pid, show.Pid)
	case w.place > int(w.sector.Capacity):
		return ledger.Errorf(ledger.ENOTFOUND, "Ticket %d: sector %s has places 1 to %d, no place %d", i+1, w.sector.Pid, w.sector.Capacity, w.place)
	case w.price.Event != show.Event:
		return ledger.Errorf(ledger.EINVALID, "Ticket %d: price %s is not a price of the event of show %s", i+1, w.price.Pid, show.Pid)
	case w.price.PriceCategory != w.sector.PriceCategory:
		return ledger.Errorf(ledger.EINVALID, "Ticket %d: price %s is for price category %d, and sector %s is in category %d",
			i+1, w.price.Pid, w.price.PriceCategory, w.sector.Pid, w.sector.PriceCategory)
	}
	return nil
}

// parseSeatPid reads a seat's pid, "{sector pid}-{place number}": ENOTFOUND in words for
// one of another form, as for any unknown pid.
func parseSeatPid(pid string) (string, int, error) {
	i := strings.LastIndexByte(pid, '-')
	n, err := strconv.Atoi(pid[i+1:])
	if i <= 0 || err != nil || n < 1 || n > ledger.MaxContractSeats {
		return "", 0, ledger.Errorf(ledger.ENOTFOUND, "No seat with pid %q: a seat's pid is its sector's pid, a dash and the place's number", clip(pid))
	}
	return pid[:i], n, nil
}

// ledgerBooking returns the ledger booking of the Ticketpark booking's tickets, opening
// it on the show's contract (putting the show on sale first if it can) with the first
// ticket. A booking holds the tickets of one show.
func (h ticketpark) ledgerBooking(ctx context.Context, b ledger.TicketparkBooking, show ledger.TicketparkShow) (int64, error) {
	if b.Booking != 0 {
		if b.Show != show.Pid {
			return 0, ledger.Errorf(ledger.ECONFLICT, "Booking %s holds tickets of show %s: open another booking for show %s", b.Pid, b.Show, show.Pid)
		}
		return b.Booking, nil
	}
	if _, err := h.startSale(ctx, show, true); err != nil {
		return 0, err
	}
	lb, err := h.bookings.NewBooking(ctx, show.Contract, b.Customer)
	if err != nil {
		return 0, err
	}
	if err := h.records.AttachBooking(ctx, b.Pid, show.Pid, lb.ID); err != nil {
		h.bookings.Cancel(ctx, lb.ID) // another request attached its own first: ours holds nothing
		if again, rerr := h.records.Booking(ctx, b.Pid); rerr == nil && again.Booking != 0 {
			return h.ledgerBooking(ctx, again, show)
		}
		return 0, err
	}
	return lb.ID, nil
}

// holdWants holds the wanted tickets for the ledger booking id, all or none: the places
// named at once, then each sector's picks (the store chooses free places). When one is
// refused, the places this request held are freed again. It returns the new tickets'
// pids.
func (h ticketpark) holdWants(ctx context.Context, b ledger.TicketparkBooking, id int64, wants []tpWant) ([]string, error) {
	var held []ledger.Seat
	err := h.holdNamed(ctx, id, wants, &held)
	if err == nil {
		err = h.holdPicked(ctx, id, wants, &held)
	}
	if err != nil {
		for _, s := range held {
			h.bookings.Free(ctx, id, s)
		}
		return nil, tpBookingError(b.Pid, err)
	}
	return mapped(held, func(s ledger.Seat) string { return tpTicketPid(id, s) }), nil
}

// holdNamed holds the places the tickets name, in one hold, each as the ticket type of
// its price (named as the price).
func (h ticketpark) holdNamed(ctx context.Context, id int64, wants []tpWant, held *[]ledger.Seat) error {
	var items []ledger.HoldItem
	for _, w := range wants {
		if w.place != 0 {
			items = append(items, ledger.HoldItem{Seat: ledger.Seat{Number: w.place, Section: w.sector.Name}, Type: w.price.Name})
		}
	}
	if len(items) == 0 {
		return nil
	}
	if _, err := h.bookings.Hold(ctx, id, items); err != nil {
		return err
	}
	*held = append(*held, ledger.HeldSeats(items)...)
	return nil
}

// tpTicketPid is a ticket's pid: derived from its ledger booking and its place, so it is
// the same on every read.
func tpTicketPid(booking int64, s ledger.Seat) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("%d/%s", booking, s.Key())))
	return hex.EncodeToString(sum[:8])
}

// holdPicked holds, for the tickets that name a sector, that many free places of it at
// their price, chosen by the store (a sector is a standing section of the show's
// contract, a price the ticket type named as it).
func (h ticketpark) holdPicked(ctx context.Context, id int64, wants []tpWant, held *[]ledger.Seat) error {
	var picks []ledger.Pick
	for _, w := range wants {
		if w.place == 0 {
			picks = addPick(picks, w.sector.Name, w.price.Name)
		}
	}
	if len(picks) == 0 {
		return nil
	}
	b, err := h.bookings.Booking(ctx, id)
	if err != nil {
		return err
	}
	had := seatSet(b.Tickets)
	for _, p := range picks {
		rc, err := h.bookings.HoldBest(ctx, id, p)
		if err != nil {
			return err
		}
		for _, t := range rc.Booking.Tickets {
			if !had[t.Seat.Key()] {
				had[t.Seat.Key()] = true
				*held = append(*held, t.Seat)
			}
		}
	}
	return nil
}

// addPick counts one more place of the section at the type into picks.
func addPick(picks []ledger.Pick, section, typ string) []ledger.Pick {
	for i := range picks {
		if picks[i].Section == section && picks[i].Type == typ {
			picks[i].Quantity++
			return picks
		}
	}
	return append(picks, ledger.Pick{Section: section, Type: typ, Quantity: 1})
}

func seatSet(tickets []ledger.BookedTicket) map[string]bool {
	set := make(map[string]bool, len(tickets))
	for _, t := range tickets {
		set[t.Seat.Key()] = true
	}
	return set
}
