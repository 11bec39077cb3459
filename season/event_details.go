package season

import (
	"context"
	"strings"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// The filter types of event_details: a list of event names, or of seasons.
const (
	FilterList   = "L"
	FilterSeason = "S"
)

// The bounds of event_details' page (count).
const (
	DefaultDetailsCount = 100
	MaxDetailsCount     = 1000
)

// eventDetails is event_details' request.
type eventDetails struct {
	EventFilter     names  `json:"event_filter"`
	EventFilterType string `json:"event_filter_type"`
	Count           whole  `json:"count"`
	PrevEventName   string `json:"prev_event_name"`
}

// eventDetailsCmd answers the events event_filter names (type L, the default), or the
// events of the seasons it names (type S: years), count at a time after prev_event_name.
// Names that are no event (no contract, or none whose sale is active) are left out; when
// none is left, the answer is ResultNoEvents.
func eventDetailsCmd(ctx context.Context, h *Handler, c *call) (map[string]any, error) {
	var q eventDetails
	if err := c.decode(&q); err != nil {
		return nil, err
	}
	if err := q.check(); err != nil {
		return nil, err
	}
	var events []ledger.SeasonEvent
	var more bool
	var err error
	if strings.EqualFold(q.EventFilterType, FilterSeason) {
		events, more, err = q.seasons(ctx, h)
	} else {
		events, more, err = q.listed(ctx, h)
	}
	if err != nil {
		return nil, err
	}
	if len(events) == 0 {
		return nil, failf(ResultNoEvents, "No events found for event_filter %q.", clipWords(strings.Join(q.EventFilter, ", ")))
	}
	return detailsAnswer(ctx, h, events, more)
}

// check checks the filter, its type and the count, filling the default count.
func (q *eventDetails) check() error {
	switch {
	case len(q.EventFilter) == 0:
		return failf(ResultMissingField, "command1 needs event_filter: event names separated by commas (or seasons, with event_filter_type S).")
	case q.EventFilterType != "" && !strings.EqualFold(q.EventFilterType, FilterList) && !strings.EqualFold(q.EventFilterType, FilterSeason):
		return failf(ResultInvalidField, "command1.event_filter_type must be L (a list of events) or S (seasons).")
	case len(q.EventFilter) > MaxDetailsCount:
		return failf(ResultInvalidField, "command1.event_filter names at most %d events.", MaxDetailsCount)
	case q.Count < 0 || q.Count > MaxDetailsCount:
		return failf(ResultInvalidField, "command1.count must be from 1 to %d.", MaxDetailsCount)
	case q.Count == 0:
		q.Count = DefaultDetailsCount
	}
	return nil
}

// listed reads the listed events in the list's order, from after prev_event_name on.
func (q eventDetails) listed(ctx context.Context, h *Handler) ([]ledger.SeasonEvent, bool, error) {
	names := []string(q.EventFilter)
	if q.PrevEventName != "" {
		i := indexOf(names, q.PrevEventName)
		if i < 0 {
			return nil, false, failf(ResultInvalidField, "command1.prev_event_name %q is not one of event_filter's events.", clipWords(q.PrevEventName))
		}
		names = names[i+1:]
	}
	var out []ledger.SeasonEvent
	for i, name := range names {
		if len(out) == int(q.Count) {
			return out, i < len(names), nil
		}
		e, err := h.svc.Records.SeasonEvent(ctx, name)
		if ledger.ErrorCode(err) == ledger.ENOTFOUND {
			continue
		}
		if err != nil {
			return nil, false, err
		}
		out = append(out, e)
	}
	return out, false, nil
}

// seasons reads the events of the seasons named (years), by show time, from after
// prev_event_name on.
func (q eventDetails) seasons(ctx context.Context, h *Handler) ([]ledger.SeasonEvent, bool, error) {
	var out []ledger.SeasonEvent
	after := q.PrevEventName
	for _, name := range q.EventFilter {
		year, err := time.Parse("2006", name)
		if err != nil {
			return nil, false, failf(ResultInvalidField, "Season %q is not a season of this server: a season is a year, such as 2026.", clipWords(name))
		}
		// A day either side: the year is the show's in its own time zone.
		found, err := h.svc.Records.SeasonEvents(ctx, ledger.SeasonEventQuery{From: year.AddDate(0, 0, -1), To: year.AddDate(1, 0, 1), Limit: ledger.MaxSeasonEvents})
		if err != nil {
			return nil, false, err
		}
		for _, e := range found {
			if seasonName(e.Contract) == name {
				out = append(out, e)
			}
		}
	}
	return pageAfter(out, after, int(q.Count))
}

// pageAfter is the page of count events after the event named after ("" from the first).
func pageAfter(events []ledger.SeasonEvent, after string, count int) ([]ledger.SeasonEvent, bool, error) {
	if after != "" {
		i := 0
		for i < len(events) && events[i].Contract.Address != after {
			i++
		}
		if i == len(events) {
			return nil, false, failf(ResultInvalidField, "command1.prev_event_name %q is not an event of these seasons.", clipWords(after))
		}
		events = events[i+1:]
	}
	if len(events) > count {
		return events[:count], true, nil
	}
	return events, false, nil
}

// indexOf is the index of name in list, or -1.
func indexOf(list []string, name string) int {
	for i, s := range list {
		if s == name {
			return i
		}
	}
	return -1
}

// detailsAnswer is event_details' answer: each event's details, and more_events "Y" when
// another page follows (ask for it with prev_event_name, the last event_name).
func detailsAnswer(ctx context.Context, h *Handler, events []ledger.SeasonEvent, more bool) (map[string]any, error) {
	info, err := h.svc.Ledger.Info(ctx)
	if err != nil {
		return nil, err
	}
	clock := ledger.Clock{Genesis: info.Genesis, Interval: time.Duration(info.BlockInterval)}
	out := make([]map[string]any, len(events))
	for i, e := range events {
		out[i] = eventDetail(e.Contract, clock)
	}
	moreEvents := "N"
	if more {
		moreEvents = "Y"
	}
	return map[string]any{"events": out, "more_events": moreEvents}, nil
}

// eventDetail is an event as event_details describes it. The ledger knows no
// performers, categories or durations: those fields are empty.
func eventDetail(c ledger.Contract, clock ledger.Clock) map[string]any {
	d := c.Sale.Details
	fields := eventHead(c)
	fields["performer"] = ""
	fields["season_name"] = seasonName(c)
	fields["organization"] = d.Organiser
	fields["major_cat"] = ""
	fields["minor_cat"] = ""
	fields["event_duration"] = ""
	onsale := clock.TimeOf(c.Sale.BegunHeight).In(d.Location())
	fields["event_onsale_date"] = onsale.Format(DateLayout + " 15:04")
	fields["currency"] = ledger.CurrencyOf(d)
	return fields
}
