package ledger

import (
	"context"
	"slices"
	"strconv"
	"strings"
)

// The shop's ticket list (seed 002's "fetching tickets"): tickets of every status found
// by contract and sale, booking, owner (a customer) or id, filtered by status and
// format, sorted by a column of TicketSorts in either direction, and paged by key. Each
// ticket may carry the records of the relations asked for (TicketRelations).

// Columns a ticket list sorts by: its seat (contract, sale, seat index: the default),
// price, status (in the flow's order: available, reserved, issued, checked in), booking
// id, format, sale number. Ties are broken by the seat, so every order is total.
const (
	SortSeat    = "seat"
	SortPrice   = "price"
	SortStatus  = "status"
	SortBooking = "booking"
	SortFormat  = "format"
	SortSale    = "sale"
)

// TicketSorts are the columns a ticket list may be sorted by, the default first.
var TicketSorts = []string{SortSeat, SortPrice, SortStatus, SortBooking, SortFormat, SortSale}

// TicketStatuses are the statuses of the ticket flow, in its order.
var TicketStatuses = []string{TicketAvailable, TicketReserved, TicketIssued, TicketCheckedIn}

// Relations a listed ticket may include (TicketQuery.With): its booking, the booking's
// customer (personal data: only for keys that may see that customer), its sale and its
// contract.
const (
	RelBooking         = "booking"
	RelBookingCustomer = "booking.customer"
	RelSale            = "sale"
	RelContract        = "contract"
)

// TicketRelations are the relations of a listed ticket, by their dotted paths.
var TicketRelations = []string{RelBooking, RelBookingCustomer, RelSale, RelContract}

// Bounds of a ticket query.
const (
	MaxTicketIDs        = 100
	DefaultTicketLimit  = 100
	MaxTicketListLimit  = 1000
	maxTicketKeyLength  = 200
	ticketKeySeparator  = "|"
	ticketIDSeparator   = ":"
	errTicketKeyMessage = "Parameter cursor is not a cursor of this list: pass the cursor of the Link header of the page before unchanged"
)

// TicketQuery asks for a page of the ticket list. At least one of Contract, Booking,
// Owner or IDs names the tickets (the list walks an index from there, never every
// ticket); the others and Status and Format narrow them. Sale picks a sale of Contract
// (0: its latest). SortBy is one of TicketSorts ("" is SortSeat), Desc reverses it. With
// lists relation paths of TicketRelations to include. Limit is the page size (0:
// DefaultTicketLimit); After the key of the last ticket of the page before (TicketKey),
// "" for the first page.
type TicketQuery struct {
	Contract string
	Sale     int64
	Booking  int64
	Owner    int64
	IDs      []TicketID
	Status   string
	Format   string
	SortBy   string
	Desc     bool
	With     []string
	Limit    int
	After    string
}

// TicketID names one ticket: its contract, sale and seat index. Its text form is
// "ADDRESS:SALE:INDEX".
type TicketID struct {
	Contract string
	Sale     int64
	Index    int
}

// String returns the id's text form, "ADDRESS:SALE:INDEX".
func (id TicketID) String() string {
	return id.Contract + ticketIDSeparator + strconv.FormatInt(id.Sale, 10) + ticketIDSeparator + strconv.Itoa(id.Index)
}

// ParseTicketID reads a ticket id's text form: EINVALID in words when it is not one.
func ParseTicketID(text string) (TicketID, error) {
	parts := strings.Split(text, ticketIDSeparator)
	bad := Errorf(EINVALID, "Ticket id %q is not of the form ADDRESS:SALE:INDEX", clip(text, 60))
	if len(parts) != 3 || ValidateAddress(parts[0]) != nil {
		return TicketID{}, bad
	}
	sale, err1 := strconv.ParseInt(parts[1], 10, 64)
	idx, err2 := strconv.Atoi(parts[2])
	if err1 != nil || err2 != nil || sale < 1 || idx < 0 || idx >= MaxContractSeats {
		return TicketID{}, bad
	}
	id := TicketID{Contract: parts[0], Sale: sale, Index: idx}
	if id.String() != text {
		return TicketID{}, bad
	}
	return id, nil
}

// ListedTicket is one ticket of the ticket list: its id, contract, sale, seat, price,
// status and format; the booking holding or issued it and that booking's customer (the
// ticket's owner), both 0 for a ticket of no booking. With holds the related records
// asked for, nil when none were.
type ListedTicket struct {
	ID       string         `json:"id"`
	Contract string         `json:"contract"`
	Sale     int64          `json:"sale"`
	Index    int            `json:"index"`
	Seat     Seat           `json:"seat"`
	Price    int64          `json:"price"`
	Status   string         `json:"status"`
	Format   string         `json:"format"`
	Booking  int64          `json:"booking,omitempty"`
	Customer int64          `json:"customer,omitempty"`
	With     *TicketRelated `json:"with,omitempty"`
}

// TicketRelated are a listed ticket's related records, each under its relation's path
// and present when asked for and there is one: the booking (without its tickets), the
// booking's customer (left out when the key may not see that customer), the sale and the
// contract (without its latest sale).
type TicketRelated struct {
	Booking         *BookingSummary `json:"booking,omitempty"`
	BookingCustomer *Customer       `json:"booking.customer,omitempty"`
	Sale            *Sale           `json:"sale,omitempty"`
	Contract        *Contract       `json:"contract,omitempty"`
}

// BookingSummary is a booking as a listed ticket includes it: a Booking without its
// tickets and total.
type BookingSummary struct {
	ID       int64  `json:"id"`
	Customer int64  `json:"customer"`
	Contract string `json:"contract"`
	Sale     int64  `json:"sale"`
	State    string `json:"state"`
	Format   string `json:"format"`
	Expires  int64  `json:"expires,omitempty"` // unix nanoseconds; 0 before its first hold
}

// TicketList is a page of the ticket list: its tickets, how many tickets the query finds
// in all, and the key of the page's last ticket when more follow ("" on the last page).
type TicketList struct {
	Tickets []ListedTicket
	Total   int
	Next    string
}

// TicketLists is the shop's ticket list, implemented by the SQL store and the client.
// Any key may list tickets (an organizer's only on its own contracts); the related
// customers (RelBookingCustomer) only keys that may see them (box office, the organizer
// that created them, the administrator): a scanner key asking for them is EFORBIDDEN.
type TicketLists interface {
	ListTickets(ctx context.Context, q TicketQuery) (TicketList, error)
}

// Check validates the query's fields and returns it with its defaults filled in (the
// sort, the limit, the format spelled as TicketFormats, the relations sorted, each
// relation's parents added): EINVALID in words for anything else.
func (q TicketQuery) Check() (TicketQuery, error) {
	for _, check := range []func(*TicketQuery) error{checkScope, checkFilters, checkSort, checkWith} {
		if err := check(&q); err != nil {
			return TicketQuery{}, err
		}
	}
	return q, nil
}

func checkScope(q *TicketQuery) error {
	switch {
	case q.Contract == "" && q.Booking == 0 && q.Owner == 0 && len(q.IDs) == 0:
		return Errorf(EINVALID, "Name the tickets to list: give a contract, booking, owner or ids")
	case q.Sale != 0 && q.Contract == "":
		return Errorf(EINVALID, "Parameter sale needs a contract: a sale is numbered within its contract")
	case q.Sale < 0 || q.Booking < 0 || q.Owner < 0:
		return Errorf(EINVALID, "Parameters sale, booking and owner must be positive numbers")
	case len(q.IDs) > MaxTicketIDs:
		return Errorf(EINVALID, "Parameter ids names at most %d tickets, not %d", MaxTicketIDs, len(q.IDs))
	}
	if q.Contract != "" {
		return ValidateAddress(q.Contract)
	}
	return nil
}

func checkFilters(q *TicketQuery) error {
	if q.Status != "" && !slices.Contains(TicketStatuses, q.Status) {
		return Errorf(EINVALID, "Parameter status %q is not one of %s", clip(q.Status, 30), strings.Join(TicketStatuses, ", "))
	}
	if q.Format != "" {
		f, err := ParseTicketFormat(q.Format)
		if err != nil {
			return err
		}
		q.Format = f
	}
	switch {
	case q.Limit == 0:
		q.Limit = DefaultTicketLimit
	case q.Limit < 0 || q.Limit > MaxTicketListLimit:
		return Errorf(EINVALID, "Parameter limit must be a whole number from 1 to %d", MaxTicketListLimit)
	}
	return nil
}

func checkSort(q *TicketQuery) error {
	if q.SortBy == "" {
		q.SortBy = SortSeat
	}
	if !slices.Contains(TicketSorts, q.SortBy) {
		return Errorf(EINVALID, "Parameter sort_by %q is not a column tickets sort by: use one of %s",
			clip(q.SortBy, 30), strings.Join(TicketSorts, ", "))
	}
	if q.After != "" {
		_, err := ParseTicketKey(q.SortBy, q.After)
		return err
	}
	return nil
}

func checkWith(q *TicketQuery) error {
	with, err := CompleteRelations(q.With, TicketRelations)
	q.With = with
	return err
}

// CompleteRelations returns the relation paths with the parents of each added ("a.b"
// needs "a"), sorted and without repeats: EINVALID in words for a path not in known.
func CompleteRelations(paths, known []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		if !slices.Contains(known, p) {
			return nil, Errorf(EINVALID, "Relation %q is not a relation of a ticket: use %s", clip(p, 60), strings.Join(known, ", "))
		}
		for i := range p {
			if p[i] == '.' {
				out = append(out, p[:i])
			}
		}
		out = append(out, p)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// Includes reports whether the query asks for the relation path.
func (q TicketQuery) Includes(path string) bool { return slices.Contains(q.With, path) }

// TicketKey is a ticket's key in the list sorted by sortBy: the sorted column's value
// (none for SortSeat) and the ticket's id. A page's Next is its last ticket's key.
func TicketKey(sortBy string, t ListedTicket) string {
	id := TicketID{Contract: t.Contract, Sale: t.Sale, Index: t.Index}.String()
	switch sortBy {
	case SortPrice:
		return strconv.FormatInt(t.Price, 10) + ticketKeySeparator + id
	case SortStatus:
		return strconv.Itoa(slices.Index(TicketStatuses, t.Status)) + ticketKeySeparator + id
	case SortBooking:
		return strconv.FormatInt(t.Booking, 10) + ticketKeySeparator + id
	case SortFormat:
		return t.Format + ticketKeySeparator + id
	case SortSale:
		return strconv.FormatInt(t.Sale, 10) + ticketKeySeparator + id
	}
	return id
}

// TicketKeyValue is a key read by ParseTicketKey: the sorted column's value (a number,
// or the format's text; nil for SortSeat) and the ticket's id.
type TicketKeyValue struct {
	Value any
	ID    TicketID
}

// ParseTicketKey reads a key written by TicketKey for sortBy: EINVALID in words for any
// other text.
func ParseTicketKey(sortBy, key string) (TicketKeyValue, error) {
	bad := Errorf(EINVALID, errTicketKeyMessage)
	if len(key) > maxTicketKeyLength {
		return TicketKeyValue{}, bad
	}
	value, idText, found := strings.Cut(key, ticketKeySeparator)
	if sortBy == SortSeat {
		idText, found = key, !found
	}
	id, err := ParseTicketID(idText)
	if !found || err != nil {
		return TicketKeyValue{}, bad
	}
	kv := TicketKeyValue{ID: id}
	switch sortBy {
	case SortSeat:
		return kv, nil
	case SortFormat:
		kv.Value = value
		if !slices.Contains(TicketFormats, value) {
			return TicketKeyValue{}, bad
		}
		return kv, nil
	}
	n, err := strconv.ParseInt(value, 10, 64)
	if err != nil || strconv.FormatInt(n, 10) != value || n < 0 || sortBy == SortStatus && n >= int64(len(TicketStatuses)) {
		return TicketKeyValue{}, bad
	}
	kv.Value = n
	return kv, nil
}
