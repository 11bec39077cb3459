package server

import (
	"context"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// startSale puts the show's contract on sale, unless it is already, and returns the
// contract: every place's base price the first of the event's prices of its sector's
// price category, each name of the event's prices a ticket type (saleTypes), the sale ending when the show starts, holds lasting the ledger's default
// (Ticketpark's 30 minutes). need: the caller wants to sell now, so a show that cannot
// go on sale (a price category without a price, a sale ended) is an error in words;
// otherwise such a show is left as it is.
func (h ticketpark) startSale(ctx context.Context, s ledger.TicketparkShow, need bool) (ledger.Contract, error) {
	c, err := h.ledger.Contract(ctx, s.Contract)
	switch {
	case err != nil:
		return c, err
	case c.Sale != nil && c.Sale.Active:
		return c, nil
	case c.Sale != nil && need:
		return c, ledger.Errorf(ledger.ECONFLICT, "The sale of show %s has ended", s.Pid)
	case c.Sale != nil:
		return c, nil
	}
	prices, details, err := h.salePrices(ctx, s)
	if err != nil || prices == nil {
		if err == nil && need {
			err = ledger.Errorf(ledger.ECONFLICT, "Show %s is not on sale: its event has no price for every price category of its sectors; POST prices/ first", s.Pid)
		}
		return c, err
	}
	if _, err := h.ledger.BeginSale(ctx, s.Contract, prices, details); err != nil && ledger.ErrorCode(err) != ledger.ECONFLICT {
		return c, err
	}
	return h.ledger.Contract(ctx, s.Contract)
}

// salePrices returns the price of every place of the show and its sale's details; nil
// prices when a price category of its sectors has no price.
func (h ticketpark) salePrices(ctx context.Context, s ledger.TicketparkShow) ([]ledger.SeatPrice, ledger.SaleDetails, error) {
	var d ledger.SaleDetails
	e, err := h.records.Event(ctx, s.Event)
	if err != nil {
		return nil, d, err
	}
	base, err := h.basePrices(ctx, s)
	if err != nil || base == nil {
		return nil, d, err
	}
	tickets, err := h.ledger.Tickets(ctx, s.Contract)
	if err != nil {
		return nil, d, err
	}
	prices := make([]ledger.SeatPrice, len(tickets))
	for i, t := range tickets {
		p, ok := base[t.Seat.Section]
		if !ok {
			return nil, d, nil
		}
		prices[i] = ledger.SeatPrice{Seat: t.Seat, Price: p}
	}
	d, err = h.saleDetails(ctx, e, s)
	if err == nil {
		d.TicketTypes, err = h.saleTypes(ctx, s)
	}
	return prices, d, err
}

// saleTypes are the ticket types of a show's sale: one for each name of the event's
// prices ("Normal price", "Children"), priced in each sector whose price category has a
// price of that name.
func (h ticketpark) saleTypes(ctx context.Context, s ledger.TicketparkShow) ([]ledger.TicketType, error) {
	prices, _, err := h.records.Prices(ctx, s.Event, all)
	if err != nil {
		return nil, err
	}
	sectors, _, err := h.records.Sectors(ctx, s.Venue, all)
	if err != nil {
		return nil, err
	}
	var types []ledger.TicketType
	index := map[string]int{}
	for _, p := range prices {
		i, ok := index[p.Name]
		if !ok {
			i, index[p.Name] = len(types), len(types)
			types = append(types, ledger.TicketType{Name: p.Name})
		}
		for _, sec := range sectors {
			if sec.PriceCategory == p.PriceCategory {
				types[i].Prices = append(types[i].Prices, ledger.PriceForSection(sec.Name, p.Price))
			}
		}
	}
	return types, nil
}

// basePrices maps each sector of the show's venue to the first price of its price
// category; nil when a category has none.
func (h ticketpark) basePrices(ctx context.Context, s ledger.TicketparkShow) (map[string]int64, error) {
	prices, _, err := h.records.Prices(ctx, s.Event, all)
	if err != nil {
		return nil, err
	}
	sectors, _, err := h.records.Sectors(ctx, s.Venue, all)
	if err != nil {
		return nil, err
	}
	base := make(map[string]int64, len(sectors))
	for _, sec := range sectors {
		p, ok := firstPrice(prices, sec.PriceCategory)
		if !ok {
			return nil, nil
		}
		base[sec.Name] = p.Price
	}
	return base, nil
}

func firstPrice(prices []ledger.TicketparkPrice, category int64) (ledger.TicketparkPrice, bool) {
	for _, p := range prices {
		if p.PriceCategory == category {
			return p, true
		}
	}
	return ledger.TicketparkPrice{}, false
}

// saleDetails are the show's sale's details: the event's name and currency, the host's
// name as organiser, the start, and the end of sale at the block of the start.
func (h ticketpark) saleDetails(ctx context.Context, e ledger.TicketparkEvent, s ledger.TicketparkShow) (ledger.SaleDetails, error) {
	info, err := h.ledger.Info(ctx)
	if err != nil {
		return ledger.SaleDetails{}, err
	}
	a, _ := ledger.ActorFrom(ctx)
	organiser := a.Name
	if organiser == "" {
		organiser = a.ID()
	}
	interval := time.Duration(info.BlockInterval)
	end := int64(s.Start.Sub(info.Genesis) / max(interval, time.Nanosecond))
	end = min(max(end, info.Height+1), info.Height+ledger.MaxSaleBlocks)
	return ledger.SaleDetails{Name: e.Name, Organiser: organiser, Time: s.Start.Unix(), EndOfSale: end,
		Currency: e.Currency, TimeZone: s.Zone}, nil
}
