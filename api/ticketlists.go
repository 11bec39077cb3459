package api

import (
	"cmp"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// TicketsPath is the shop's ticket list: GET with the parameters of TicketQueryParams.
const TicketsPath = "/api/v1.0/tickets"

// TicketQueryParams are the parameters of the ticket list besides limit and cursor.
var TicketQueryParams = []string{"contract", "sale", "booking", "owner", "ids", "status", "format", "sort_by", "direction", "with"}

// TicketListName is the name a ticket list's cursors carry: the list sorted by sortBy in
// the direction, so a cursor of another order is refused.
func TicketListName(sortBy string, desc bool) string {
	if desc {
		return "tickets/" + sortBy + "/desc"
	}
	return "tickets/" + sortBy + "/asc"
}

// ParseTicketQuery reads the ticket list's query string: every parameter at most once,
// none but TicketQueryParams, limit and cursor. It checks the query (ledger.TicketQuery
// Check): EINVALID in words for anything wrong. Compatible facades read their own
// parameters and reuse the parts (ParseRelations, ParseDirection, ParsePage).
func ParseTicketQuery(v url.Values) (ledger.TicketQuery, error) {
	for name, values := range v {
		if name != "limit" && name != "cursor" && !slices.Contains(TicketQueryParams, name) {
			return ledger.TicketQuery{}, ledger.Errorf(ledger.EINVALID, "Parameter %q is not one of the ticket list's: %s, limit, cursor",
				clip(name, 30), strings.Join(TicketQueryParams, ", "))
		}
		if len(values) > 1 {
			return ledger.TicketQuery{}, ledger.Errorf(ledger.EINVALID, "Parameter %s is given %d times; give it once", name, len(values))
		}
	}
	var q ledger.TicketQuery
	var err error
	q.Contract, q.Status, q.Format, q.SortBy = v.Get("contract"), v.Get("status"), v.Get("format"), v.Get("sort_by")
	for _, n := range []struct {
		name string
		to   *int64
	}{{"sale", &q.Sale}, {"booking", &q.Booking}, {"owner", &q.Owner}} {
		if *n.to, err = positiveParam(v, n.name); err != nil {
			return ledger.TicketQuery{}, err
		}
	}
	if q.IDs, err = parseTicketIDs(v.Get("ids")); err != nil {
		return ledger.TicketQuery{}, err
	}
	if q.Desc, err = ParseDirection(v.Get("direction")); err != nil {
		return ledger.TicketQuery{}, err
	}
	if q.With, err = ParseRelations(v.Get("with")); err != nil {
		return ledger.TicketQuery{}, err
	}
	if q, err = paged(q, v); err != nil {
		return ledger.TicketQuery{}, err
	}
	return q.Check()
}

// paged reads limit and cursor into q, for the list of q's order.
func paged(q ledger.TicketQuery, v url.Values) (ledger.TicketQuery, error) {
	sortBy := q.SortBy
	if sortBy == "" {
		sortBy = ledger.SortSeat
	}
	p, err := ParsePage(v, TicketListName(sortBy, q.Desc), ledger.DefaultTicketLimit, ledger.MaxTicketListLimit)
	q.Limit, q.After = p.Limit, p.After
	return q, err
}

// ParseDirection reads a sort direction: "asc" (or none) and "desc", in any case.
func ParseDirection(text string) (bool, error) {
	switch strings.ToLower(text) {
	case "", "asc":
		return false, nil
	case "desc":
		return true, nil
	}
	return false, ledger.Errorf(ledger.EINVALID, "Parameter direction %q is not asc or desc", clip(text, 30))
}

// positiveParam reads an optional whole positive number; 0 when absent.
func positiveParam(v url.Values, name string) (int64, error) {
	if !v.Has(name) {
		return 0, nil
	}
	n, err := strconv.ParseInt(v.Get(name), 10, 64)
	if err != nil || n < 1 {
		return 0, ledger.Errorf(ledger.EINVALID, "Parameter %s must be a positive whole number, not %q", name, clip(v.Get(name), 30))
	}
	return n, nil
}

// parseTicketIDs reads comma-separated ticket ids (ledger.TicketID's text form).
func parseTicketIDs(text string) ([]ledger.TicketID, error) {
	if text == "" {
		return nil, nil
	}
	parts := strings.Split(text, ",")
	if len(parts) > ledger.MaxTicketIDs {
		return nil, ledger.Errorf(ledger.EINVALID, "Parameter ids names at most %d tickets, not %d", ledger.MaxTicketIDs, len(parts))
	}
	ids := make([]ledger.TicketID, len(parts))
	for i, p := range parts {
		id, err := ledger.ParseTicketID(strings.TrimSpace(p))
		if err != nil {
			return nil, err
		}
		ids[i] = id
	}
	return ids, nil
}

// TicketQueryValues returns the query string asking for q (its After as the cursor of
// its list), as ParseTicketQuery reads it.
func TicketQueryValues(q ledger.TicketQuery) url.Values {
	v := url.Values{}
	set := func(name, value string) {
		if value != "" && value != "0" {
			v.Set(name, value)
		}
	}
	set("contract", q.Contract)
	set("sale", strconv.FormatInt(q.Sale, 10))
	set("booking", strconv.FormatInt(q.Booking, 10))
	set("owner", strconv.FormatInt(q.Owner, 10))
	ids := make([]string, len(q.IDs))
	for i, id := range q.IDs {
		ids[i] = id.String()
	}
	set("ids", strings.Join(ids, ","))
	set("status", q.Status)
	set("format", q.Format)
	set("sort_by", q.SortBy)
	if q.Desc {
		v.Set("direction", "desc")
	}
	set("with", FormatRelations(q.With))
	set("limit", strconv.Itoa(q.Limit))
	if q.After != "" {
		sortBy := cmp.Or(q.SortBy, ledger.SortSeat)
		v.Set("cursor", Cursor(TicketListName(sortBy, q.Desc), q.After))
	}
	return v
}
