package season

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// The hold classes of the command API: a seat is OPEN (for sale), HELD (in a cart whose
// hold runs) or SOLD (issued, or checked in at the gate).
const (
	ClassOpen = "OPEN"
	ClassHeld = "HELD"
	ClassSold = "SOLD"
)

// holdClasses are the classes event_search lists, with what each means.
var holdClasses = []map[string]any{
	{"class_name": ClassOpen, "class_desc": "for sale"},
	{"class_name": ClassHeld, "class_desc": "held in a cart"},
	{"class_name": ClassSold, "class_desc": "sold"},
}

// classCounts are an event's seats by hold class.
func classCounts(e ledger.SeasonEvent) map[string]int {
	return map[string]int{
		ClassOpen: e.Counts[ledger.TicketAvailable],
		ClassHeld: e.Counts[ledger.TicketReserved],
		ClassSold: e.Counts[ledger.TicketIssued] + e.Counts[ledger.TicketCheckedIn],
	}
}

// SearchDays is how far event_search looks after its start_date without an end_date.
const SearchDays = 90

// eventSearch is event_search's request.
type eventSearch struct {
	StartDate  string `json:"start_date"`
	EndDate    string `json:"end_date"`
	VenueName  string `json:"venue_name"`
	SeasonName string `json:"season_name"`
	HoldClass  string `json:"hold_class"`
	NumSeats   whole  `json:"num_seats"`
	AcctID     whole  `json:"acct_id"`
}

// eventSearchCmd lists the events whose show falls between start_date (default today)
// and end_date (default start_date + 90 days), both whole days in UTC, that have the
// venue, season, hold class and number of open seats asked for.
func eventSearchCmd(ctx context.Context, h *Handler, c *call) (map[string]any, error) {
	var q eventSearch
	if err := c.decode(&q); err != nil {
		return nil, err
	}
	from, to, err := q.window(time.Now())
	if err != nil {
		return nil, err
	}
	if err := q.check(ctx, h); err != nil {
		return nil, err
	}
	found, err := h.svc.Records.SeasonEvents(ctx, ledger.SeasonEventQuery{From: from, To: to, Venue: strings.TrimSpace(q.VenueName), Limit: ledger.MaxSeasonEvents})
	if err != nil {
		return nil, err
	}
	events := []map[string]any{}
	for _, e := range found {
		if q.keeps(e) {
			events = append(events, searchedEvent(e))
		}
	}
	if len(events) == 0 {
		return nil, failf(ResultNoEvents, "No events found between %s and %s%s.", from.Format(DateLayout), to.AddDate(0, 0, -1).Format(DateLayout), q.narrowedWords())
	}
	return map[string]any{"hold_classes": holdClasses, "events": events}, nil
}

// window is the search's days: [start, end + 1 day) in UTC.
func (q eventSearch) window(now time.Time) (time.Time, time.Time, error) {
	from := now.UTC().Truncate(24 * time.Hour)
	var err error
	if q.StartDate != "" {
		if from, err = parseDate("start_date", q.StartDate); err != nil {
			return from, from, err
		}
	}
	to := from.AddDate(0, 0, SearchDays)
	if q.EndDate != "" {
		if to, err = parseDate("end_date", q.EndDate); err != nil {
			return from, to, err
		}
	}
	if to.Before(from) {
		return from, to, failf(ResultInvalidField, "command1.end_date %s is before start_date %s.", to.Format(DateLayout), from.Format(DateLayout))
	}
	return from, to.AddDate(0, 0, 1), nil
}

// check checks the search's hold class, number of seats and account.
func (q eventSearch) check(ctx context.Context, h *Handler) error {
	if q.HoldClass != "" && !slices.Contains([]string{ClassOpen, ClassHeld, ClassSold}, strings.ToUpper(q.HoldClass)) {
		return failf(ResultInvalidField, "command1.hold_class %q is not a hold class: use %s, %s or %s.", clipWords(q.HoldClass), ClassOpen, ClassHeld, ClassSold)
	}
	if q.NumSeats < 0 {
		return failf(ResultInvalidField, "command1.num_seats must be 0 or more.")
	}
	if q.AcctID != 0 {
		_, err := account(ctx, h, int64(q.AcctID))
		return err
	}
	return nil
}

// keeps says whether the event has the season, hold class and open seats asked for.
func (q eventSearch) keeps(e ledger.SeasonEvent) bool {
	counts := classCounts(e)
	if q.SeasonName != "" && !strings.EqualFold(strings.TrimSpace(q.SeasonName), seasonName(e.Contract)) {
		return false
	}
	if q.HoldClass != "" && counts[strings.ToUpper(q.HoldClass)] == 0 {
		return false
	}
	return counts[ClassOpen] >= int(q.NumSeats)
}

// narrowedWords says what else narrowed a search that found nothing.
func (q eventSearch) narrowedWords() string {
	var parts []string
	if q.VenueName != "" {
		parts = append(parts, "at "+strconv.Quote(clipWords(q.VenueName)))
	}
	if q.SeasonName != "" {
		parts = append(parts, "of season "+strconv.Quote(clipWords(q.SeasonName)))
	}
	if q.HoldClass != "" {
		parts = append(parts, "with seats "+strings.ToUpper(q.HoldClass))
	}
	if q.NumSeats > 0 {
		parts = append(parts, "with "+strconv.FormatInt(int64(q.NumSeats), 10)+" open seats")
	}
	if len(parts) == 0 {
		return ""
	}
	return " " + strings.Join(parts, ", ")
}

// searchedEvent is an event as event_search lists it.
func searchedEvent(e ledger.SeasonEvent) map[string]any {
	counts := classCounts(e)
	avail := make([]map[string]any, 0, 3)
	for _, class := range []string{ClassOpen, ClassHeld, ClassSold} {
		avail = append(avail, map[string]any{"class_name": class, "num_seats": counts[class]})
	}
	fields := eventHead(e.Contract)
	fields["avail_class"] = avail
	fields["availability"] = counts[ClassOpen]
	return fields
}

// eventHead is what every answer says of an event: its name (the contract's address),
// description (the sale's name), date and time in the sale's time zone, and venue.
func eventHead(c ledger.Contract) map[string]any {
	d := c.Sale.Details
	show := time.Unix(d.Time, 0).In(d.Location())
	return map[string]any{
		"event_name":        c.Address,
		"event_description": d.Name,
		"event_date":        show.Format(DateLayout),
		"event_time":        show.Format("15:04"),
		"venue_name":        c.Venue,
	}
}

// seasonName is the season an event belongs to: the year of its show, in the sale's
// time zone ("2026").
func seasonName(c ledger.Contract) string {
	d := c.Sale.Details
	return strconv.Itoa(time.Unix(d.Time, 0).In(d.Location()).Year())
}

// clipWords shortens text a partner sent for a sentence.
func clipWords(text string) string {
	if len(text) <= 40 {
		return text
	}
	cut := 40
	for cut > 0 && !isRuneStart(text[cut]) {
		cut--
	}
	return text[:cut] + "…"
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }
