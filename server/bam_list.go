package server

import (
	"context"
	"net/http"
	"strconv"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// tickets answers GET /bam/v1/ticket: a page of the shop's ticket list (Services.
// TicketLists) of the owner the key acts for (owner_id), of an event (and timeslot), or
// of ids, filtered, sorted and paged as seed 002 asks (api.ParseBamTicketQuery), each
// ticket with the platform's numbers and the relations asked for; {"data": [...]}, the
// total in X-Total-Count and the next page in Link.
func (h bam) tickets(w http.ResponseWriter, r *http.Request) {
	if _, err := ledger.Authorize(r.Context(), ledger.RoleBoxOffice, ledger.RoleOrganizer); err != nil {
		h.error(w, err)
		return
	}
	v, err := listQuery(r)
	var q api.BamTicketQuery
	if err == nil {
		q, err = api.ParseBamTicketQuery(v)
	}
	if err == nil {
		q.List, err = h.scope(r.Context(), q)
	}
	var page ledger.TicketList
	if err == nil {
		page, err = h.lists.ListTickets(r.Context(), q.List)
	}
	var out []api.BamListedTicket
	if err == nil {
		out, err = h.listed(r.Context(), page.Tickets, q)
	}
	if err != nil {
		h.error(w, err)
		return
	}
	next := ""
	if page.Next != "" {
		next = api.Cursor(api.BamTicketListName(q.List.SortBy, q.List.Desc), page.Next)
	}
	pageHeaders(w, r, page.Total, q.List.Limit, next)
	writeJSON(w, http.StatusOK, api.BamData[[]api.BamListedTicket]{Data: out})
}

// scope fills the list query's scope from the platform's numbers: the owner's customer,
// the event's contract and the timeslot's sale (the latest without one), the tickets'
// ids; then checks it.
func (h bam) scope(ctx context.Context, q api.BamTicketQuery) (ledger.TicketQuery, error) {
	l := q.List
	l.Owner = q.Owner
	if q.Event != 0 {
		e, err := h.ids.BamEventByID(ctx, q.Event)
		if err != nil {
			return l, err
		}
		l.Contract = e.Contract
		if q.Timeslot != 0 {
			slot, ok := e.Timeslot(q.Timeslot)
			if !ok {
				return l, ledger.Errorf(ledger.ENOTFOUND, "Event %d has no timeslot %d", e.ID, q.Timeslot)
			}
			l.Sale = slot.Sale
		}
	}
	if len(q.IDs) > 0 {
		ts, err := h.ids.BamTickets(ctx, q.IDs)
		if err != nil {
			return l, err
		}
		for i, t := range ts {
			_, idx, _ := ledger.BamTicketSeat(q.IDs[i])
			l.IDs = append(l.IDs, ledger.TicketID{Contract: t.Contract, Sale: t.Sale, Index: idx})
		}
	}
	return l.Check()
}

// listed returns the tickets as the platform shows them, reading each contract's
// numbers once.
func (h bam) listed(ctx context.Context, ts []ledger.ListedTicket, q api.BamTicketQuery) ([]api.BamListedTicket, error) {
	events := map[string]ledger.BamEvent{}
	out := make([]api.BamListedTicket, 0, len(ts))
	for _, t := range ts {
		e, ok := events[t.Contract]
		if !ok {
			var err error
			if e, err = h.ids.BamEvent(ctx, t.Contract); err != nil {
				return nil, err
			}
			events[t.Contract] = e
		}
		out = append(out, bamListed(t, e, q))
	}
	return out, h.typed(ctx, out, events)
}

// typed sets the ticket config and price of the listed tickets held or issued as a
// ticket type, read by their ids, when their timeslot offers types at all.
func (h bam) typed(ctx context.Context, out []api.BamListedTicket, events map[string]ledger.BamEvent) error {
	var ids []int64
	var at []int
	for i, t := range out {
		for _, e := range events {
			if slot, ok := e.Timeslot(t.TimeslotID); ok && len(slot.TicketConfigs) > 1 && t.OwnerID != nil {
				ids, at = append(ids, t.ID), append(at, i)
			}
		}
	}
	if len(ids) == 0 {
		return nil
	}
	ts, err := h.ids.BamTickets(ctx, ids)
	for j, t := range ts {
		out[at[j]].TicketConfigID, out[at[j]].Price = t.TicketConfig, t.Price
		if out[at[j]].TicketConfig != nil {
			out[at[j]].TicketConfig.ID, out[at[j]].TicketConfig.Name = t.TicketConfig, t.Type
		}
	}
	return err
}

// bamListed is one listed ticket with the event's numbers and what q asks to add.
func bamListed(t ledger.ListedTicket, e ledger.BamEvent, q api.BamTicketQuery) api.BamListedTicket {
	bt := ledger.BamTicket{Event: e.ID, Contract: t.Contract, Sale: t.Sale, Seat: t.Seat, Price: t.Price, Status: t.Status,
		Format: t.Format, Booking: t.Booking, Customer: t.Customer}
	var slot ledger.BamTimeslot
	var sector ledger.BamSector
	var config ledger.BamTicketConfig
	for _, s := range e.Timeslots {
		if s.Sale == t.Sale {
			slot, bt.Timeslot, bt.ID = s, s.ID, ledger.BamTicketID(s.ID, t.Index)
			config, _ = s.TicketConfig(firstConfig(s))
			bt.TicketConfig = config.ID
		}
	}
	for _, s := range e.Sectors {
		if s.Section == t.Seat.Section {
			sector, bt.Sector = s, s.ID
		}
	}
	out := api.BamListedTicket{BamTicket: api.BamTicketOf(bt)}
	if q.EnrollmentID && out.OwnerID != nil {
		id := strconv.FormatInt(t.Customer, 10)
		out.EnrollmentID = &id
	}
	bamRelated(&out, t, e, q, slot, sector, config)
	return out
}

// firstConfig is the id of the timeslot's base ticket config (type ""), 0 if it has none.
func firstConfig(s ledger.BamTimeslot) int64 {
	for _, c := range s.TicketConfigs {
		if c.Type == "" {
			return c.ID
		}
	}
	return 0
}

// bamRelated adds the relations q asks for.
func bamRelated(out *api.BamListedTicket, t ledger.ListedTicket, e ledger.BamEvent, q api.BamTicketQuery,
	slot ledger.BamTimeslot, sector ledger.BamSector, config ledger.BamTicketConfig) {
	ev := api.BamEventOf(e)
	summary := &api.BamEventSummary{ID: ev.ID, Name: ev.Name, Contract: ev.Contract}
	if t.With != nil && q.Includes(api.BamRelTicketHolder) {
		out.TicketHolder = t.With.BookingCustomer
	}
	if t.With != nil && q.Includes(api.BamRelBooking) {
		out.Booking = t.With.Booking
	}
	if q.Includes(api.BamRelEvent) {
		out.Event = summary
	}
	if q.Includes(api.BamRelTimeslot) && slot.ID != 0 {
		out.Timeslot = &api.BamTimeslot{ID: slot.ID, Name: slot.Name, StartAt: slot.Time, OnSale: slot.OnSale}
	}
	if q.Includes(api.BamRelSector) && sector.ID != 0 {
		out.Sector = &api.BamSector{ID: sector.ID, Name: sector.Section}
	}
	if q.Includes(api.BamRelTicketConfig) && config.ID != 0 {
		out.TicketConfig = &api.BamTicketConfigWith{BamTicketConfig: api.BamTicketConfig{ID: config.ID, Name: config.Type, TimeslotID: slot.ID}}
		if q.Includes(api.BamRelTicketConfigEvent) {
			out.TicketConfig.Event = summary
		}
	}
}
