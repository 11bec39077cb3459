package server

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// The records as the Ticketpark API answers them: snake_case, pids as strings, child
// records only when asked for with properties[child]=1.
type (
	tpVenue struct {
		Pid     string     `json:"pid"`
		Host    string     `json:"host"`
		Name    string     `json:"name"`
		City    string     `json:"city"`
		Sectors []tpSector `json:"sectors,omitempty"`
	}
	tpSector struct {
		Pid           string `json:"pid"`
		Host          string `json:"host"` // the venue, as Ticketpark names a sector's parent
		Venue         string `json:"venue"`
		Name          string `json:"name"`
		PriceCategory int64  `json:"price_category"`
		Capacity      int64  `json:"capacity"`
	}
	tpEvent struct {
		Pid             string    `json:"pid"`
		Host            string    `json:"host"`
		Name            string    `json:"name"`
		DigitalDispatch bool      `json:"allow_digital_dispatch"`
		Currency        string    `json:"currency"`
		Shows           []tpShow  `json:"shows,omitempty"`
		Prices          []tpPrice `json:"prices,omitempty"`
	}
	tpShow struct {
		Pid      string      `json:"pid"`
		Event    string      `json:"event"`
		Venue    string      `json:"venue"`
		Start    string      `json:"start"`
		Contract string      `json:"contract"` // the ledger contract its tickets are checked in on
		Capacity *tpCapacity `json:"capacity,omitempty"`
	}
	tpPrice struct {
		Pid           string      `json:"pid"`
		Event         string      `json:"event"`
		Name          string      `json:"name"`
		PriceCategory int64       `json:"price_category"`
		Price         json.Number `json:"price"`
		Currency      string      `json:"currency"`
	}
	tpCount struct {
		Total     int64 `json:"total"`
		Sold      int64 `json:"sold"`
		Available int64 `json:"available"`
	}
	// tpCapacity is a show's places: this project has no allocations per channel, so
	// every place is public.
	tpCapacity struct {
		Total  tpCount `json:"total"`
		Public tpCount `json:"public"`
	}
	tpHost struct {
		Pid  string `json:"pid"`
		Name string `json:"name"`
	}
)

// tpShowStart writes a show's start as Ticketpark's bookings do: ISO 8601 with the
// offset of its zone.
func tpShowStart(s ledger.TicketparkShow) string {
	t := s.Start
	if loc, err := time.LoadLocation(s.Zone); err == nil {
		t = t.In(loc)
	}
	return t.Format("2006-01-02T15:04:05-0700")
}

func viewSector(s ledger.TicketparkSector) tpSector {
	return tpSector{Pid: s.Pid, Host: s.Venue, Venue: s.Venue, Name: s.Name, PriceCategory: s.PriceCategory, Capacity: s.Capacity}
}

func viewShow(s ledger.TicketparkShow) tpShow {
	return tpShow{Pid: s.Pid, Event: s.Event, Venue: s.Venue, Start: tpShowStart(s), Contract: s.Contract}
}

func viewPrice(p ledger.TicketparkPrice, currency string) tpPrice {
	return tpPrice{Pid: p.Pid, Event: p.Event, Name: p.Name, PriceCategory: p.PriceCategory, Price: tpAmount(currency, p.Price), Currency: currency}
}

func (h ticketpark) readVenue(w http.ResponseWriter, r *http.Request) {
	v, err := h.records.Venue(r.Context(), r.PathValue("pid"))
	out := tpVenue{Pid: v.Pid, Host: v.Host, Name: v.Name, City: v.City}
	if err == nil && wants(r, "sectors") {
		var sectors []ledger.TicketparkSector
		sectors, _, err = h.records.Sectors(r.Context(), v.Pid, all)
		out.Sectors = mapped(sectors, viewSector)
	}
	h.reply(w, http.StatusOK, out, err)
}

func (h ticketpark) listVenues(w http.ResponseWriter, r *http.Request) {
	p, err := tpPage(r)
	var venues []ledger.TicketparkVenue
	total := 0
	if err == nil {
		venues, total, err = h.records.Venues(r.Context(), p)
	}
	h.listed(w, mapped(venues, func(v ledger.TicketparkVenue) tpVenue {
		return tpVenue{Pid: v.Pid, Host: v.Host, Name: v.Name, City: v.City}
	}), total, err)
}

func (h ticketpark) readSector(w http.ResponseWriter, r *http.Request) {
	s, err := h.records.Sector(r.Context(), r.PathValue("pid"))
	h.reply(w, http.StatusOK, viewSector(s), err)
}

func (h ticketpark) listSectors(w http.ResponseWriter, r *http.Request) {
	p, err := tpPage(r)
	var sectors []ledger.TicketparkSector
	total := 0
	if err == nil {
		sectors, total, err = h.records.Sectors(r.Context(), r.URL.Query().Get("venue"), p)
	}
	h.listed(w, mapped(sectors, viewSector), total, err)
}

func (h ticketpark) readEvent(w http.ResponseWriter, r *http.Request) {
	e, err := h.records.Event(r.Context(), r.PathValue("pid"))
	var out tpEvent
	if err == nil {
		out, err = h.eventView(r.Context(), e, wants(r, "shows"), wants(r, "prices"))
	}
	h.reply(w, http.StatusOK, out, err)
}

// eventView is the event with its shows and prices when asked for.
func (h ticketpark) eventView(ctx context.Context, e ledger.TicketparkEvent, shows, prices bool) (tpEvent, error) {
	out := tpEvent{Pid: e.Pid, Host: e.Host, Name: e.Name, DigitalDispatch: e.DigitalDispatch, Currency: e.Currency}
	if shows {
		list, _, err := h.records.Shows(ctx, e.Pid, all)
		if err != nil {
			return out, err
		}
		out.Shows = mapped(list, viewShow)
	}
	if prices {
		list, _, err := h.records.Prices(ctx, e.Pid, all)
		if err != nil {
			return out, err
		}
		out.Prices = mapped(list, func(p ledger.TicketparkPrice) tpPrice { return viewPrice(p, e.Currency) })
	}
	return out, nil
}

func (h ticketpark) listEvents(w http.ResponseWriter, r *http.Request) {
	p, err := tpPage(r)
	var events []ledger.TicketparkEvent
	total := 0
	if err == nil {
		events, total, err = h.records.Events(r.Context(), p)
	}
	out := make([]tpEvent, len(events))
	for i := 0; err == nil && i < len(events); i++ {
		out[i], err = h.eventView(r.Context(), events[i], wants(r, "shows"), wants(r, "prices"))
	}
	h.listed(w, out, total, err)
}

// readShow answers the show, naming its ledger contract, and its capacity when asked
// for (properties[capacity]=1): places in all, sold or held, and available.
func (h ticketpark) readShow(w http.ResponseWriter, r *http.Request) {
	s, err := h.records.Show(r.Context(), r.PathValue("pid"))
	out := viewShow(s)
	if err == nil && wants(r, "capacity") {
		var c ledger.TicketparkCapacity
		c, err = h.records.Capacity(r.Context(), s.Contract)
		n := tpCount{Total: c.Total, Sold: c.Sold, Available: c.Total - c.Sold}
		out.Capacity = &tpCapacity{Total: n, Public: n}
	}
	h.reply(w, http.StatusOK, out, err)
}

func (h ticketpark) listShows(w http.ResponseWriter, r *http.Request) {
	p, err := tpPage(r)
	var shows []ledger.TicketparkShow
	total := 0
	if err == nil {
		shows, total, err = h.records.Shows(r.Context(), r.URL.Query().Get("event"), p)
	}
	h.listed(w, mapped(shows, viewShow), total, err)
}

func (h ticketpark) readPrice(w http.ResponseWriter, r *http.Request) {
	p, err := h.records.Price(r.Context(), r.PathValue("pid"))
	var e ledger.TicketparkEvent
	if err == nil {
		e, err = h.records.Event(r.Context(), p.Event)
	}
	h.reply(w, http.StatusOK, viewPrice(p, e.Currency), err)
}

func (h ticketpark) listPrices(w http.ResponseWriter, r *http.Request) {
	p, err := tpPage(r)
	var prices []ledger.TicketparkPrice
	total := 0
	if err == nil {
		prices, total, err = h.records.Prices(r.Context(), r.URL.Query().Get("event"), p)
	}
	out := make([]tpPrice, len(prices))
	currencies := map[string]string{}
	for i := 0; err == nil && i < len(prices); i++ {
		cur, ok := currencies[prices[i].Event]
		if !ok {
			var e ledger.TicketparkEvent
			e, err = h.records.Event(r.Context(), prices[i].Event)
			cur, currencies[prices[i].Event] = e.Currency, e.Currency
		}
		out[i] = viewPrice(prices[i], cur)
	}
	h.listed(w, out, total, err)
}

// listHosts answers the organizer behind the key: the host its records belong to. Other
// keys are no host, and see an empty list.
func (h ticketpark) listHosts(w http.ResponseWriter, r *http.Request) {
	a, err := ledger.Authorize(r.Context(), ledger.RoleOrganizer, ledger.RoleBoxOffice, ledger.RoleScanner)
	out := []tpHost{}
	if err == nil && (a.Admin || a.Role == ledger.RoleOrganizer) {
		out = append(out, hostView(a))
	}
	h.listed(w, out, len(out), err)
}

func (h ticketpark) readHost(w http.ResponseWriter, r *http.Request) {
	a, err := ledger.Authorize(r.Context(), ledger.RoleOrganizer)
	if err == nil && r.PathValue("pid") != a.ID() {
		err = ledger.Errorf(ledger.ENOTFOUND, "No host with pid %q: GET hosts/ names yours", clip(r.PathValue("pid")))
	}
	h.reply(w, http.StatusOK, hostView(a), err)
}

func hostView(a ledger.Actor) tpHost {
	name := a.Name
	if name == "" {
		name = a.ID()
	}
	return tpHost{Pid: a.ID(), Name: name}
}

func mapped[T, U any](items []T, f func(T) U) []U {
	out := make([]U, len(items))
	for i, it := range items {
		out[i] = f(it)
	}
	return out
}
