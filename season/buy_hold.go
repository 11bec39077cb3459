package season

import (
	"context"
	"strings"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// holdRequest is seats_hold's command1: the event, how many seats of which price codes,
// the cart to add them to (order_num_in) or the account a new cart is for (acct_id), and
// optionally the section (section_name) and base price (price_level, "50.00") to choose
// from.
type holdRequest struct {
	EventName  string `json:"event_name"`
	TicketType []struct {
		NumSeats       whole  `json:"num_seats"`
		TicketTypeCode string `json:"ticket_type_code"`
	} `json:"ticket_type"`
	OrderNumIn  whole  `json:"order_num_in"`
	AcctID      whole  `json:"acct_id"`
	SectionName string `json:"section_name"`
	PriceLevel  string `json:"price_level"`
}

// seatsHold holds the best available seats for the cart, one pick a ticket_type, and
// answers the cart with the seats this call held. No seats to hold: result 5069 in words;
// a failed pick returns the seats this call held to sale.
func seatsHold(ctx context.Context, h *Handler, c *call) (map[string]any, error) {
	var req holdRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	picks, contract, err := h.holdPicks(ctx, req)
	if err != nil {
		return nil, err
	}
	cart, err := h.openCart(ctx, contract, int64(req.OrderNumIn), int64(req.AcctID))
	if err != nil {
		return nil, err
	}
	b := cart.booking
	for _, p := range picks {
		rc, err := h.svc.Bookings.HoldBest(ctx, b.ID, p)
		if err != nil {
			h.undoHold(ctx, cart)
			return nil, noBlocks(err, p)
		}
		b = rc.Booking
	}
	return heldFields(cart, b, contract), nil
}

// holdPicks reads the event and turns the request's ticket types into picks.
func (h *Handler) holdPicks(ctx context.Context, req holdRequest) ([]ledger.Pick, ledger.Contract, error) {
	contract, err := h.eventOnSale(ctx, req.EventName)
	if err != nil {
		return nil, contract, err
	}
	if len(req.TicketType) == 0 {
		return nil, contract, failf(ResultMissingField, "command1 needs ticket_type: a list of {num_seats, ticket_type_code}.")
	}
	var level int64
	if req.PriceLevel != "" {
		if level, err = ledger.ParseAmount(saleCurrency(contract), req.PriceLevel); err != nil {
			return nil, contract, failf(ResultInvalidField, "command1.price_level: %s.", ledger.ErrorMessage(err))
		}
	}
	picks, total := make([]ledger.Pick, len(req.TicketType)), 0
	for i, tt := range req.TicketType {
		typ, err := typeOfCode(contract, tt.TicketTypeCode)
		if err != nil {
			return nil, contract, err
		}
		if tt.NumSeats < 1 {
			return nil, contract, failf(ResultInvalidField, "command1.ticket_type[%d].num_seats must be 1 or more.", i)
		}
		if tt.NumSeats > ledger.MaxTicketsInBooking {
			return nil, contract, failf(ResultInvalidField, "A cart holds at most %d seats; this asks for %d.", ledger.MaxTicketsInBooking, tt.NumSeats)
		}
		total += int(tt.NumSeats)
		picks[i] = ledger.Pick{Section: sectionOf(req.SectionName), PriceLevel: level, Quantity: int(tt.NumSeats), Type: typ}
	}
	if total > ledger.MaxTicketsInBooking {
		return nil, contract, failf(ResultInvalidField, "A cart holds at most %d seats; this asks for %d.", ledger.MaxTicketsInBooking, total)
	}
	return picks, contract, nil
}

// sectionOf is the ledger's section of a section_name ("MAIN": the seats of no section).
func sectionOf(name string) string {
	if strings.EqualFold(name, mainSection) {
		return ""
	}
	return name
}

// typeOfCode is the sale's ticket type a price code names ("" and "BASE": the base
// price); an unknown code is result 10535, naming the codes there are.
func typeOfCode(c ledger.Contract, code string) (string, error) {
	if code == "" || strings.EqualFold(code, basePriceCode) {
		return "", nil
	}
	codes := []string{basePriceCode}
	for _, t := range c.Sale.Details.TicketTypes {
		if strings.EqualFold(t.Name, code) {
			return t.Name, nil
		}
		codes = append(codes, t.Name)
	}
	return "", failf(ResultNoClasses, "No valid classes: event %s has no price code %q (it has %s).", c.Address, clipped(code), strings.Join(codes, ", "))
}

// noBlocks words a pick the ledger could not fill as result 5069 (no seats to hold).
func noBlocks(err error, p ledger.Pick) error {
	switch ledger.ErrorCode(err) {
	case ledger.EREFUSED, ledger.ENOTFOUND:
		return failf(ResultNoBlocks, "No blocks found: %s.", strings.TrimSuffix(ledger.ErrorMessage(err), "."))
	}
	return err
}

// heldCart is the cart a hold adds to: the booking before the hold, and whether the hold
// opened it.
type heldCart struct {
	booking ledger.Booking
	opened  bool
}

// openCart returns the cart order_num_in names (open, of the event, the account's when
// acct_id is given too), or opens a new one for the account acct_id.
func (h *Handler) openCart(ctx context.Context, c ledger.Contract, orderNum, acct int64) (heldCart, error) {
	if orderNum != 0 {
		b, _, err := h.cartOf(ctx, orderNum)
		if err == nil {
			err = addable(b, c, acct)
		}
		return heldCart{booking: b}, err
	}
	if acct <= 0 {
		return heldCart{}, failf(ResultMissingField, "command1 needs acct_id (the account a new cart is for) or order_num_in (a cart to add to).")
	}
	if _, err := account(ctx, h, acct); err != nil {
		return heldCart{}, err
	}
	b, err := h.svc.Bookings.NewBooking(ctx, c.Address, acct)
	return heldCart{booking: b, opened: true}, err
}

// addable checks that seats of the event may be added to the cart.
func addable(b ledger.Booking, c ledger.Contract, acct int64) error {
	if b.Contract != c.Address {
		return failf(ResultInvalidField, "Order %d is a cart of event %s: a cart holds the seats of one event.", b.ID, b.Contract)
	}
	if err := ownCart(b, acct); err != nil {
		return err
	}
	if b.State != ledger.BookingOpen {
		return ledger.BookingRefusal(b)
	}
	return nil
}

// undoHold returns what a failed hold call held: the cart it opened is cancelled, the
// seats it added to a cart are freed. A failure is logged (the hold expires anyway).
func (h *Handler) undoHold(ctx context.Context, cart heldCart) {
	if cart.opened {
		if _, err := h.svc.Bookings.Cancel(ctx, cart.booking.ID); err != nil && ledger.ErrorCode(err) != ledger.EREFUSED {
			h.log.Error("cancelling a cart after a failed hold", "order", cart.booking.ID, "err", err)
		}
		return
	}
	b, err := h.svc.Bookings.Booking(ctx, cart.booking.ID)
	for _, s := range addedSeats(cart.booking, b) {
		if err == nil {
			_, err = h.svc.Bookings.Free(ctx, b.ID, s.Seat)
		}
	}
	if err != nil {
		h.log.Error("freeing the seats of a failed hold", "order", cart.booking.ID, "err", err)
	}
}

// addedSeats are the tickets of after that before did not hold.
func addedSeats(before, after ledger.Booking) []ledger.BookedTicket {
	had := make(map[string]bool, len(before.Tickets))
	for _, t := range before.Tickets {
		had[t.Seat.Key()] = true
	}
	var added []ledger.BookedTicket
	for _, t := range after.Tickets {
		if !had[t.Seat.Key()] {
			added = append(added, t)
		}
	}
	return added
}

// heldFields answer a hold: the cart (see cartFields) with order_num_out and the seats
// this call held, each with its price code and price.
func heldFields(cart heldCart, b ledger.Booking, c ledger.Contract) map[string]any {
	f := cartFields(b, c)
	f["order_num_out"] = b.ID
	currency := saleCurrency(c)
	added := addedSeats(cart.booking, b)
	seats := make([]map[string]any, len(added))
	for i, t := range added {
		s := seatFields(t.Seat)
		s["price_code"], s["price"] = priceCode(t.Type), amount(currency, t.Price)
		seats[i] = s
	}
	f["seats"] = seats
	return f
}
