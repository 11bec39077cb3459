package season

import (
	"context"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// seatsSold is seats_sold's request.
type seatsSold struct {
	AcctID      whole  `json:"acct_id"`
	EventFilter names  `json:"event_filter"`
	Count       whole  `json:"count"`
	PageKey     string `json:"page_key"`
}

// seatsSoldCmd answers the seats sold to the account, of the events event_filter names
// (all without it), in blocks: consecutive seats of one row of one event bought in one
// order at one price code and price. count bounds the seats of a page (500 by default);
// next_page_key, when more follow, asks for the next page as page_key. Count is the
// number of seats sold to the account in all (of the events named).
func seatsSoldCmd(ctx context.Context, h *Handler, c *call) (map[string]any, error) {
	var q seatsSold
	if err := c.decode(&q); err != nil {
		return nil, err
	}
	if q.AcctID == 0 {
		return nil, failf(ResultMissingField, "command1 needs acct_id.")
	}
	if _, err := account(ctx, h, int64(q.AcctID)); err != nil {
		return nil, err
	}
	if q.Count < 0 || q.Count > ledger.MaxSoldSeats {
		return nil, failf(ResultInvalidField, "command1.count must be from 1 to %d.", ledger.MaxSoldSeats)
	}
	page, err := h.svc.Records.SoldSeats(ctx, ledger.SoldSeatQuery{Customer: int64(q.AcctID),
		Contracts: q.EventFilter, After: q.PageKey, Limit: int(q.Count)})
	if ledger.ErrorCode(err) == ledger.EINVALID {
		return nil, failf(ResultInvalidField, "%s.", ledger.ErrorMessage(err))
	}
	if err != nil {
		return nil, err
	}
	out := map[string]any{"seats_array": seatBlocks(page.Seats), "Count": page.Total}
	if page.Next != "" {
		out["next_page_key"] = page.Next
	}
	return out, nil
}

// seatBlocks groups the sold seats (in ticket order) into the real API's blocks.
func seatBlocks(seats []ledger.SoldSeat) []map[string]any {
	blocks := []map[string]any{}
	var atomic []map[string]any
	for i, s := range seats {
		if i == 0 || !follows(seats[i-1], s) {
			atomic = []map[string]any{}
			blocks = append(blocks, soldBlock(s))
		}
		status := "sold"
		if s.CheckedIn {
			status = "checked_in"
		}
		atomic = append(atomic, map[string]any{"atomic_seat": s.Seat.Number, "ticket_status": status})
		b := blocks[len(blocks)-1]
		b["num_seat"], b["last_seat"], b["atomic_seats"] = len(atomic), s.Seat.Number, atomic
	}
	return blocks
}

// follows says whether s is the seat after prev in one block: the same event, order, row,
// price code and price, and the next number.
func follows(prev, s ledger.SoldSeat) bool {
	return prev.Ticket.Contract == s.Ticket.Contract && prev.Ticket.Sale == s.Ticket.Sale && prev.Booking == s.Booking &&
		prev.Seat.Section == s.Seat.Section && prev.Seat.Letter == s.Seat.Letter && prev.Seat.Number+1 == s.Seat.Number &&
		prev.Type == s.Type && prev.Paid == s.Paid && prev.FullPrice == s.FullPrice
}

// soldBlock is the block that begins with the seat.
func soldBlock(s ledger.SoldSeat) map[string]any {
	b := seatFields(s.Seat)
	b["event_name"] = s.Ticket.Contract
	b["order_num"] = s.Booking
	b["price_code"] = priceCode(s.Type)
	b["full_price"] = amount(s.Currency, s.FullPrice)
	b["purchase_price"] = amount(s.Currency, s.Paid)
	b["currency"] = ledger.CurrencyOf(ledger.SaleDetails{Currency: s.Currency})
	b["purchase_date"] = s.Ordered.Format(DateLayout)
	return b
}
