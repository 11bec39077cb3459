package season

import (
	"context"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// holdSpecificRequest is seats_hold_specific's command1: a block of seats named as the
// real API names them (section_name, row_name, the first seat_num and num_seats
// following numbers, 1 unless given), their price code (ticket_type_code, BASE unless
// given), and the cart as for seats_hold (order_num_in, or acct_id for a new cart).
type holdSpecificRequest struct {
	EventName      string `json:"event_name"`
	SectionName    string `json:"section_name"`
	RowName        string `json:"row_name"`
	SeatNum        whole  `json:"seat_num"`
	NumSeats       whole  `json:"num_seats"`
	TicketTypeCode string `json:"ticket_type_code"`
	OrderNumIn     whole  `json:"order_num_in"`
	AcctID         whole  `json:"acct_id"`
}

// seatsHoldSpecific holds the named seats for the cart, all or none (a seat taken is a
// refusal naming it), and answers as seats_hold.
func seatsHoldSpecific(ctx context.Context, h *Handler, c *call) (map[string]any, error) {
	var req holdSpecificRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	contract, err := h.eventOnSale(ctx, req.EventName)
	if err != nil {
		return nil, err
	}
	items, err := specificItems(contract, req)
	if err != nil {
		return nil, err
	}
	cart, err := h.openCart(ctx, contract, int64(req.OrderNumIn), int64(req.AcctID))
	if err != nil {
		return nil, err
	}
	rc, err := h.svc.Bookings.Hold(ctx, cart.booking.ID, items)
	if err != nil {
		h.undoHold(ctx, cart)
		return nil, err
	}
	return heldFields(cart, rc.Booking, contract), nil
}

// specificItems are the hold items of the request's block of seats.
func specificItems(c ledger.Contract, req holdSpecificRequest) ([]ledger.HoldItem, error) {
	typ, err := typeOfCode(c, req.TicketTypeCode)
	if err != nil {
		return nil, err
	}
	n, first := req.NumSeats, req.SeatNum
	if n == 0 {
		n = 1
	}
	switch {
	case first < 1 || first > ledger.MaxSeatNumber:
		return nil, failf(ResultMissingField, "command1 needs seat_num: the number (1 to %d) of the (first) seat to hold.", ledger.MaxSeatNumber)
	case n < 1 || n > ledger.MaxTicketsInBooking:
		return nil, failf(ResultInvalidField, "command1.num_seats must be from 1 to %d.", ledger.MaxTicketsInBooking)
	}
	items := make([]ledger.HoldItem, n)
	for i := range items {
		items[i] = ledger.HoldItem{Seat: seatOf(req.SectionName, req.RowName, int(first)+i), Type: typ}
	}
	return items, ledger.ValidateHold(items)
}
