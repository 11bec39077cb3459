package api

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// BamTicketParams are the parameters of GET /bam/v1/ticket besides limit and cursor.
var BamTicketParams = []string{"owner_id", "event_id", "timeslot_id", "ids", "status", "format", "with_enrollment_id", "sort_by", "direction", "with"}

// BamSorts maps the columns the platform's clients sort by onto the ticket list's.
var BamSorts = map[string]string{"id": ledger.SortSeat, "seat": ledger.SortSeat, "price": ledger.SortPrice,
	"status": ledger.SortStatus, "format": ledger.SortFormat, "timeslot_id": ledger.SortSale}

// BamStatuses maps the platform's ticket statuses onto the ledger's.
var BamStatuses = map[string]string{ledger.BamAvailable: ledger.TicketAvailable, ledger.BamReserved: ledger.TicketReserved,
	ledger.BamIssued: ledger.TicketIssued, ledger.BamActivated: ledger.TicketCheckedIn}

// The relations a listed ticket of the facade may include (with): the owner's customer
// record (ticket_holder), its booking, and its event, timeslot, sector and ticket config
// (ticket_config.event: the config with its event).
const (
	BamRelTicketHolder      = "ticket_holder"
	BamRelBooking           = "booking"
	BamRelEvent             = "event"
	BamRelTimeslot          = "timeslot"
	BamRelSector            = "sector"
	BamRelTicketConfig      = "ticket_config"
	BamRelTicketConfigEvent = "ticket_config.event"
)

// BamRelations are the facade's ticket relations.
var BamRelations = []string{BamRelTicketHolder, BamRelBooking, BamRelEvent, BamRelTimeslot, BamRelSector, BamRelTicketConfig, BamRelTicketConfigEvent}

// BamTicketQuery is the query of GET /bam/v1/ticket as read: whose tickets (an owner, an
// event and maybe its timeslot, or ids), the ticket list's filters, order and page in
// List (its scope left for the server to fill from these numbers), whether to add the
// enrollment id, and the relations asked for (complete: ticket_config.event adds
// ticket_config).
type BamTicketQuery struct {
	Owner        int64
	Event        int64
	Timeslot     int64
	IDs          []int64
	List         ledger.TicketQuery
	EnrollmentID bool
	With         []string
}

// Includes reports whether the query asks for the relation.
func (q BamTicketQuery) Includes(rel string) bool { return slices.Contains(q.With, rel) }

// BamTicketListName is the name the facade's list cursors carry, per order.
func BamTicketListName(sortBy string, desc bool) string { return "bam/" + TicketListName(sortBy, desc) }

// ParseBamTicketQuery reads GET /bam/v1/ticket's query string: every parameter at most
// once, none but BamTicketParams, limit and cursor; an owner_id, event_id or ids to say
// whose tickets: EINVALID in words otherwise.
func ParseBamTicketQuery(v url.Values) (BamTicketQuery, error) {
	if err := onlyParams(v, BamTicketParams); err != nil {
		return BamTicketQuery{}, err
	}
	var q BamTicketQuery
	var err error
	for _, step := range []func(url.Values, *BamTicketQuery) error{bamScope, bamFilters, bamOrder, bamWith} {
		if err = step(v, &q); err != nil {
			return BamTicketQuery{}, err
		}
	}
	return q, nil
}

// onlyParams refuses a parameter not in known (limit and cursor aside) or given twice.
func onlyParams(v url.Values, known []string) error {
	for name, values := range v {
		if name != "limit" && name != "cursor" && !slices.Contains(known, name) {
			return ledger.Errorf(ledger.EINVALID, "Parameter %q is not one of this list's: %s, limit, cursor", clip(name, 30), strings.Join(known, ", "))
		}
		if len(values) > 1 {
			return ledger.Errorf(ledger.EINVALID, "Parameter %s is given %d times; give it once", name, len(values))
		}
	}
	return nil
}

func bamScope(v url.Values, q *BamTicketQuery) error {
	var err error
	for _, n := range []struct {
		name string
		to   *int64
	}{{"owner_id", &q.Owner}, {"event_id", &q.Event}, {"timeslot_id", &q.Timeslot}} {
		if *n.to, err = positiveParam(v, n.name); err != nil {
			return err
		}
	}
	if q.IDs, err = bamTicketIDs(v.Get("ids")); err != nil {
		return err
	}
	switch {
	case q.Timeslot != 0 && q.Event == 0:
		return ledger.Errorf(ledger.EINVALID, "Parameter timeslot_id needs the event_id of its event")
	case q.Owner == 0 && q.Event == 0 && len(q.IDs) == 0:
		return ledger.Errorf(ledger.EINVALID, "Say whose tickets to list: owner_id (the enrollment this key acts for), event_id or ids")
	}
	return nil
}

// bamTicketIDs reads comma-separated ticket ids.
func bamTicketIDs(text string) ([]int64, error) {
	if text == "" {
		return nil, nil
	}
	parts := strings.Split(strings.Trim(text, "[]"), ",")
	if len(parts) > ledger.MaxTicketIDs {
		return nil, ledger.Errorf(ledger.EINVALID, "Parameter ids names at most %d tickets, not %d", ledger.MaxTicketIDs, len(parts))
	}
	ids := make([]int64, len(parts))
	for i, p := range parts {
		id, err := strconv.ParseInt(strings.TrimSpace(p), 10, 64)
		if err != nil {
			return nil, ledger.Errorf(ledger.EINVALID, "Parameter ids must be ticket ids separated by commas, not %q", clip(text, 40))
		}
		if _, _, err := ledger.BamTicketSeat(id); err != nil {
			return nil, err
		}
		ids[i] = id
	}
	return ids, nil
}

func bamFilters(v url.Values, q *BamTicketQuery) error {
	if s := v.Get("status"); s != "" {
		status, ok := BamStatuses[strings.ToLower(s)]
		if !ok {
			return ledger.Errorf(ledger.EINVALID, "Parameter status %q is not one of available, reserved, issued, activated", clip(s, 30))
		}
		q.List.Status = status
	}
	if f := v.Get("format"); f != "" {
		format, err := ledger.ParseTicketFormat(f)
		if err != nil {
			return err
		}
		q.List.Format = format
	}
	switch strings.ToLower(v.Get("with_enrollment_id")) {
	case "", "false", "0":
	case "true", "1":
		q.EnrollmentID = true
	default:
		return ledger.Errorf(ledger.EINVALID, "Parameter with_enrollment_id must be true or false, not %q", clip(v.Get("with_enrollment_id"), 30))
	}
	return nil
}

func bamOrder(v url.Values, q *BamTicketQuery) error {
	sortBy := ledger.SortSeat
	if s := v.Get("sort_by"); s != "" {
		var ok bool
		if sortBy, ok = BamSorts[s]; !ok {
			return ledger.Errorf(ledger.EINVALID, "Parameter sort_by %q is not a column tickets sort by: use id, price, status, format or timeslot_id", clip(s, 30))
		}
	}
	desc, err := ParseDirection(v.Get("direction"))
	if err != nil {
		return err
	}
	p, err := ParsePage(v, BamTicketListName(sortBy, desc), ledger.DefaultTicketLimit, ledger.MaxTicketListLimit)
	q.List.SortBy, q.List.Desc, q.List.Limit, q.List.After = sortBy, desc, p.Limit, p.After
	return err
}

func bamWith(v url.Values, q *BamTicketQuery) error {
	paths, err := ParseRelations(v.Get("with"))
	if err != nil {
		return err
	}
	if q.With, err = ledger.CompleteRelations(paths, BamRelations); err != nil {
		return err
	}
	if q.Includes(BamRelTicketHolder) {
		q.List.With = append(q.List.With, ledger.RelBookingCustomer)
	}
	if q.Includes(BamRelBooking) {
		q.List.With = append(q.List.With, ledger.RelBooking)
	}
	return nil
}

// BamListedTicket is a ticket of GET /bam/v1/ticket: the ticket, and what the query
// asked to add (the enrollment id, the relations).
type BamListedTicket struct {
	BamTicket
	TicketHolder *ledger.Customer       `json:"ticket_holder,omitempty"`
	Booking      *ledger.BookingSummary `json:"booking,omitempty"`
	Event        *BamEventSummary       `json:"event,omitempty"`
	Timeslot     *BamTimeslot           `json:"timeslot,omitempty"`
	Sector       *BamSector             `json:"sector,omitempty"`
	TicketConfig *BamTicketConfigWith   `json:"ticket_config,omitempty"`
}

// BamEventSummary is an event as a listed ticket includes it.
type BamEventSummary struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Contract string `json:"contract"`
}

// BamTicketConfigWith is a ticket config as a listed ticket includes it, with its event
// when asked for (ticket_config.event).
type BamTicketConfigWith struct {
	BamTicketConfig
	Event *BamEventSummary `json:"event,omitempty"`
}
