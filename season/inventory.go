package season

import (
	"context"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// availSeats is get_avail_seats' request.
type availSeats struct {
	EventName   string `json:"event_name"`
	SummaryFlag *flag  `json:"summary_flag"`
}

// getAvailSeatsCmd answers the event's open seats (for sale now: neither sold nor held
// in a cart): section_summary, each section's open seats and their lowest and highest
// base price, and unless summary_flag is Y, avail_seats, the open seats in blocks of
// consecutive numbers of one row at one base price.
func getAvailSeatsCmd(ctx context.Context, h *Handler, c *call) (map[string]any, error) {
	var q availSeats
	if err := c.decode(&q); err != nil {
		return nil, err
	}
	ev, err := h.eventOnSale(ctx, q.EventName)
	if err != nil {
		return nil, err
	}
	tickets, err := h.svc.Ledger.Tickets(ctx, ev.Address)
	if err != nil {
		return nil, err
	}
	var open []ledger.Ticket
	for _, t := range tickets {
		if t.Available() {
			open = append(open, t)
		}
	}
	currency := ledger.CurrencyOf(ev.Sale.Details)
	out := map[string]any{"event_name": ev.Address, "currency": currency, "num_seats": len(open),
		"section_summary": sectionSummary(open, currency)}
	if q.SummaryFlag == nil || !bool(*q.SummaryFlag) {
		out["avail_seats"] = openBlocks(open, currency)
	}
	return out, nil
}

// sectionSummary counts the open seats of each section, in the order of the seats, with
// their lowest and highest base price.
func sectionSummary(open []ledger.Ticket, currency string) []map[string]any {
	type summary struct {
		n        int
		min, max int64
	}
	var order []string
	sections := map[string]*summary{}
	for _, t := range open {
		s, ok := sections[t.Seat.Section]
		if !ok {
			s = &summary{min: t.Price, max: t.Price}
			sections[t.Seat.Section] = s
			order = append(order, t.Seat.Section)
		}
		s.n++
		s.min, s.max = min(s.min, t.Price), max(s.max, t.Price)
	}
	out := make([]map[string]any, len(order))
	for i, name := range order {
		s := sections[name]
		out[i] = map[string]any{"section_name": seatFields(ledger.Seat{Section: name})["section_name"], "num_seats": s.n,
			"min_price": amount(currency, s.min), "max_price": amount(currency, s.max)}
	}
	return out
}

// openBlocks groups open seats (in seat order) into blocks of consecutive numbers of one
// row of one section at one price.
func openBlocks(open []ledger.Ticket, currency string) []map[string]any {
	blocks := []map[string]any{}
	for i, t := range open {
		if i > 0 {
			p := open[i-1]
			if p.Seat.Section == t.Seat.Section && p.Seat.Letter == t.Seat.Letter && p.Seat.Number+1 == t.Seat.Number && p.Price == t.Price {
				b := blocks[len(blocks)-1]
				b["num_seats"], b["last_seat"] = b["num_seats"].(int)+1, t.Seat.Number
				continue
			}
		}
		b := seatFields(t.Seat)
		b["num_seats"], b["last_seat"], b["price"] = 1, t.Seat.Number, amount(currency, t.Price)
		blocks = append(blocks, b)
	}
	return blocks
}

// priceInfo is event_price_info's request.
type priceInfo struct {
	EventName string `json:"event_name"`
}

// eventPriceInfoCmd answers the event's price codes: BASE (each seat's base price) and
// each of the sale's ticket types, with the prices each has by section (a price, and how
// many seats of the section have it; a type not offered for a seat leaves it out).
func eventPriceInfoCmd(ctx context.Context, h *Handler, c *call) (map[string]any, error) {
	var q priceInfo
	if err := c.decode(&q); err != nil {
		return nil, err
	}
	ev, err := h.eventOnSale(ctx, q.EventName)
	if err != nil {
		return nil, err
	}
	tickets, err := h.svc.Ledger.Tickets(ctx, ev.Address)
	if err != nil {
		return nil, err
	}
	currency := ledger.CurrencyOf(ev.Sale.Details)
	codes := []map[string]any{priceCodeInfo(basePriceCode, "the seat's base price", tickets, currency, nil)}
	for _, tt := range ev.Sale.Details.TicketTypes {
		codes = append(codes, priceCodeInfo(tt.Name, tt.Name, tickets, currency, &tt))
	}
	return map[string]any{"event_name": ev.Address, "currency": currency, "price_codes": codes}, nil
}

// priceCodeInfo is one price code with its prices by section: the seats' base prices,
// or the ticket type's.
func priceCodeInfo(code, desc string, tickets []ledger.Ticket, currency string, tt *ledger.TicketType) map[string]any {
	type key struct {
		section string
		price   int64
	}
	var order []key
	counts := map[key]int{}
	for _, t := range tickets {
		price := t.Price
		if tt != nil {
			var ok bool
			if price, ok = tt.PriceOf(t.Seat, t.Price); !ok {
				continue
			}
		}
		k := key{t.Seat.Section, price}
		if counts[k] == 0 {
			order = append(order, k)
		}
		counts[k]++
	}
	prices := make([]map[string]any, len(order))
	for i, k := range order {
		prices[i] = map[string]any{"section_name": seatFields(ledger.Seat{Section: k.section})["section_name"],
			"price": amount(currency, k.price), "num_seats": counts[k]}
	}
	return map[string]any{"price_code": code, "price_code_desc": desc, "prices": prices}
}
