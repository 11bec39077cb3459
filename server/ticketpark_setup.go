package server

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// The bodies of Ticketpark's setup records, as its cookbook "create event" sends them.
// Members that are numbers in Ticketpark's documents are pointers here, so that one left
// out is told apart from a zero.
type (
	tpVenueBody struct {
		Host string `json:"host"`
		Name string `json:"name"`
		City string `json:"city"`
	}
	tpSectorBody struct {
		Host          string `json:"host"` // the venue's pid, as Ticketpark names it
		Venue         string `json:"venue"`
		Name          string `json:"name"`
		PriceCategory *int64 `json:"price_category"`
		Capacity      *int64 `json:"capacity"`
	}
	tpEventBody struct {
		Host            string `json:"host"`
		Name            string `json:"name"`
		DigitalDispatch bool   `json:"allow_digital_dispatch"`
		Currency        string `json:"currency"`
	}
	tpShowBody struct {
		Event string `json:"event"`
		Venue string `json:"venue"`
		Start string `json:"start"`
	}
	tpPriceBody struct {
		Event         string       `json:"event"`
		Name          string       `json:"name"`
		PriceCategory *int64       `json:"price_category"`
		Price         *json.Number `json:"price"`
	}
)

// hostOf checks the host a setup body names: the caller's own (GET hosts/ lists it),
// or none. ENOTFOUND for another.
func hostOf(ctx context.Context, host string) error {
	a, err := ledger.Authorize(ctx, ledger.RoleOrganizer)
	if err != nil {
		return err
	}
	if host != "" && host != a.ID() {
		return ledger.Errorf(ledger.ENOTFOUND, "No host with pid %q: GET hosts/ names yours", clip(host))
	}
	return nil
}

func (h ticketpark) createVenues(w http.ResponseWriter, r *http.Request) {
	items, many, err := tpBody[tpVenueBody](r)
	var pids []string
	for i := 0; err == nil && i < len(items); i++ {
		var v ledger.TicketparkVenue
		if err = hostOf(r.Context(), items[i].Host); err == nil {
			v, err = h.records.AddVenue(r.Context(), ledger.TicketparkVenue{Name: items[i].Name, City: items[i].City})
			pids = append(pids, v.Pid)
		}
	}
	h.created(w, "venues", pids, many, err)
}

func (h ticketpark) createSectors(w http.ResponseWriter, r *http.Request) {
	items, many, err := tpBody[tpSectorBody](r)
	sectors := make([]ledger.TicketparkSector, len(items))
	for i := 0; err == nil && i < len(items); i++ {
		b := items[i]
		venue := b.Venue
		if venue == "" {
			venue = b.Host
		}
		switch {
		case venue == "":
			err = ledger.Errorf(ledger.EINVALID, "Sector %d needs its venue's pid as host", i+1)
		case b.PriceCategory == nil || b.Capacity == nil:
			err = ledger.Errorf(ledger.EINVALID, "Sector %d needs a price_category and a capacity", i+1)
		default:
			sectors[i] = ledger.TicketparkSector{Venue: venue, Name: b.Name, PriceCategory: *b.PriceCategory, Capacity: *b.Capacity}
		}
	}
	if err == nil {
		sectors, err = h.records.AddSectors(r.Context(), sectors)
	}
	h.created(w, "sectors", pidsOf(sectors, func(s ledger.TicketparkSector) string { return s.Pid }), many, err)
}

func (h ticketpark) createEvents(w http.ResponseWriter, r *http.Request) {
	items, many, err := tpBody[tpEventBody](r)
	events := make([]ledger.TicketparkEvent, len(items))
	for i := 0; err == nil && i < len(items); i++ {
		err = hostOf(r.Context(), items[i].Host)
		events[i] = ledger.TicketparkEvent{Name: items[i].Name, Currency: items[i].Currency, DigitalDispatch: items[i].DigitalDispatch}
	}
	if err == nil {
		events, err = h.records.AddEvents(r.Context(), events)
	}
	h.created(w, "events", pidsOf(events, func(e ledger.TicketparkEvent) string { return e.Pid }), many, err)
}

// createPrices records the event's prices, then puts on sale every show of theirs whose
// sectors' price categories all have a price now.
func (h ticketpark) createPrices(w http.ResponseWriter, r *http.Request) {
	items, many, err := tpBody[tpPriceBody](r)
	prices := make([]ledger.TicketparkPrice, len(items))
	for i := 0; err == nil && i < len(items); i++ {
		prices[i], err = h.price(r.Context(), i, items[i])
	}
	if err == nil {
		prices, err = h.records.AddPrices(r.Context(), prices)
	}
	if err == nil {
		err = h.startEventSales(r.Context(), prices)
	}
	h.created(w, "prices", pidsOf(prices, func(p ledger.TicketparkPrice) string { return p.Pid }), many, err)
}

// price reads the i-th price of a request in its event's currency.
func (h ticketpark) price(ctx context.Context, i int, b tpPriceBody) (ledger.TicketparkPrice, error) {
	if b.Event == "" || b.PriceCategory == nil || b.Price == nil {
		return ledger.TicketparkPrice{}, ledger.Errorf(ledger.EINVALID, "Price %d needs an event, a price_category and a price", i+1)
	}
	e, err := h.records.Event(ctx, b.Event)
	if err != nil {
		return ledger.TicketparkPrice{}, err
	}
	minor, err := ledger.ParseAmount(e.Currency, b.Price.String())
	if err != nil {
		return ledger.TicketparkPrice{}, ledger.Errorf(ledger.EINVALID, "Price %d: %s", i+1, ledger.ErrorMessage(err))
	}
	return ledger.TicketparkPrice{Event: e.Pid, Name: b.Name, PriceCategory: *b.PriceCategory, Price: minor}, nil
}

// startEventSales puts on sale the shows of the events of the prices that can be.
func (h ticketpark) startEventSales(ctx context.Context, prices []ledger.TicketparkPrice) error {
	done := map[string]bool{}
	for _, p := range prices {
		if done[p.Event] {
			continue
		}
		done[p.Event] = true
		shows, _, err := h.records.Shows(ctx, p.Event, all)
		for _, s := range shows {
			if err == nil {
				_, err = h.startSale(ctx, s, false)
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// createShows makes each show's contract from its venue's sectors (each sector a
// standing section of as many places as its capacity), records the show, and puts it on sale when its
// event has its prices.
func (h ticketpark) createShows(w http.ResponseWriter, r *http.Request) {
	items, many, err := tpBody[tpShowBody](r)
	var pids []string
	for i := 0; err == nil && i < len(items); i++ {
		var s ledger.TicketparkShow
		if s, err = h.createShow(r.Context(), i, items[i]); err == nil {
			pids = append(pids, s.Pid)
			_, err = h.startSale(r.Context(), s, false)
		}
	}
	h.created(w, "shows", pids, many, err)
}

func (h ticketpark) createShow(ctx context.Context, i int, b tpShowBody) (ledger.TicketparkShow, error) {
	if _, err := ledger.Authorize(ctx, ledger.RoleOrganizer); err != nil {
		return ledger.TicketparkShow{}, err
	}
	info, err := h.ledger.Info(ctx)
	if err != nil {
		return ledger.TicketparkShow{}, err
	}
	now := info.Genesis.Add(time.Duration(info.Height) * time.Duration(info.BlockInterval))
	start, zone, err := tpStart(i, b.Start, now)
	if err != nil {
		return ledger.TicketparkShow{}, err
	}
	if _, err := h.records.Event(ctx, b.Event); err != nil {
		return ledger.TicketparkShow{}, err
	}
	v, err := h.records.Venue(ctx, b.Venue)
	if err != nil {
		return ledger.TicketparkShow{}, err
	}
	standing, err := h.showPlaces(ctx, v)
	if err != nil {
		return ledger.TicketparkShow{}, err
	}
	c, _, err := h.ledger.CreateContract(ctx, v.Name, nil, standing...)
	if err != nil {
		return ledger.TicketparkShow{}, err
	}
	return h.records.AddShow(ctx, ledger.TicketparkShow{Event: b.Event, Venue: v.Pid, Start: start, Zone: zone, Contract: c.Address})
}

// showPlaces lays out a show's places: each sector of the venue a standing
// (general-admission) section of as many places as its capacity.
func (h ticketpark) showPlaces(ctx context.Context, v ledger.TicketparkVenue) ([]ledger.StandingSection, error) {
	sectors, _, err := h.records.Sectors(ctx, v.Pid, all)
	if err != nil {
		return nil, err
	}
	if len(sectors) == 0 {
		return nil, ledger.Errorf(ledger.ECONFLICT, "Venue %s has no sectors: POST sectors/ first", v.Pid)
	}
	standing := make([]ledger.StandingSection, len(sectors))
	total := int64(0)
	for i, s := range sectors {
		if total += s.Capacity; total > ledger.MaxContractSeats {
			return nil, ledger.Errorf(ledger.EINVALID, "Venue %s holds more than %d places in all: a show's places must fit one contract", v.Pid, ledger.MaxContractSeats)
		}
		standing[i] = ledger.StandingSection{Section: s.Name, Capacity: int(s.Capacity)}
	}
	return standing, nil
}

// tpStart reads a show's start, "2020-06-01 12:00:00" in tpZone (Ticketpark's), or
// with an offset (RFC 3339): it must be after now (the ledger's clock), for its sale
// must end by then.
func tpStart(i int, text string, now time.Time) (time.Time, string, error) {
	loc, _ := time.LoadLocation(tpZone)
	t, err := time.ParseInLocation("2006-01-02 15:04:05", text, loc)
	if err != nil {
		t, err = time.Parse(time.RFC3339, text)
	}
	switch {
	case err != nil:
		return t, "", ledger.Errorf(ledger.EINVALID, "Show %d needs a start such as \"2030-06-01 12:00:00\" (%s), not %q", i+1, tpZone, clip(text))
	case !t.After(now):
		return t, "", ledger.Errorf(ledger.EINVALID, "Show %d starts at %s, which has passed: a show is sold before it starts", i+1, text)
	}
	return t, tpZone, nil
}

func pidsOf[T any](items []T, pid func(T) string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = pid(it)
	}
	return out
}

// clip shortens a text for a message.
func clip(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "..."
	}
	return s
}
