package sqlstore

import (
	"context"
	"strings"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// TicketLists answers the shop's ticket list (ledger.TicketLists). A query starts from
// an index, never from every ticket: a contract's sale is a range of the tickets' primary
// key, a booking a range of tickets_booking, an owner its bookings (bookings_customer)
// and their tickets, ids primary-key lookups. The status filter, the organizer's own
// contracts and an open booking's hold are checked per ticket found, by correlated
// lookups of primary keys. A page is read by its key (ledger.TicketKey), not by OFFSET.
type TicketLists struct {
	*db
}

var _ ledger.TicketLists = (*TicketLists)(nil)

// ListTickets returns the page of the ticket list q asks for, and how many tickets the
// query finds in all. Any key may list (an organizer only its own contracts: EFORBIDDEN
// for another's, and other organizers' tickets are left out of a booking's, owner's or
// ids' list); the customers of RelBookingCustomer need a key that may manage customers.
func (s *TicketLists) ListTickets(ctx context.Context, q ledger.TicketQuery) (ledger.TicketList, error) {
	actor, err := ledger.Authorize(ctx, ledger.RoleBoxOffice, ledger.RoleOrganizer, ledger.RoleScanner)
	if err != nil {
		return ledger.TicketList{}, err
	}
	if q, err = q.Check(); err != nil {
		return ledger.TicketList{}, err
	}
	if q.Includes(ledger.RelBookingCustomer) && !ledger.MayManageCustomers(actor) {
		return ledger.TicketList{}, ledger.Errorf(ledger.EFORBIDDEN,
			"A %s key may not see customers' personal data: list the tickets without booking.customer", actor.Role)
	}
	r, now := s.reader(ctx), s.now()
	found, ok, err := s.where(r, actor, q, now)
	if err != nil {
		return ledger.TicketList{}, s.internal("listing tickets", err)
	}
	if !ok {
		return ledger.TicketList{Tickets: []ledger.ListedTicket{}}, nil
	}
	list, err := readTicketList(r, actor, q, found, now)
	if err != nil {
		return ledger.TicketList{}, s.internal("listing tickets", err)
	}
	return list, nil
}

// readTicketList reads the count, the page and the page's related records.
func readTicketList(r runner, actor ledger.Actor, q ledger.TicketQuery, found ticketFilter, now time.Time) (ledger.TicketList, error) {
	var list ledger.TicketList
	if err := r.q.QueryRowContext(r.ctx, r.d.bind(`SELECT COUNT(*) FROM tickets t WHERE `+found.sql()), found.args...).
		Scan(&list.Total); err != nil {
		return list, err
	}
	page, err := readTicketPage(r, q, found, now)
	if err != nil {
		return list, err
	}
	if len(page) > q.Limit {
		page = page[:q.Limit]
		list.Next = ledger.TicketKey(q.SortBy, page[len(page)-1])
	}
	list.Tickets = page
	return list, relate(r, actor, q, page, now)
}

// ticketFilter is a WHERE clause over tickets t and its arguments, in order; contract
// and sale are the one sale it keeps to, when it names one.
type ticketFilter struct {
	conds    []string
	args     []any
	contract string
	sale     int64
}

func (f *ticketFilter) add(cond string, args ...any) {
	f.conds = append(f.conds, cond)
	f.args = append(f.args, args...)
}

func (f ticketFilter) sql() string { return strings.Join(f.conds, " AND ") }

// statusRank is the ticket's place in ledger.TicketStatuses at now (its one argument): a
// held ticket whose booking's hold has passed is available, as a hold reads it.
const statusRank = `(CASE WHEN t.owner IS NOT NULL THEN (CASE WHEN t.checked_in_at <> 0 THEN 3 ELSE 2 END)
	WHEN t.booking <> 0 AND EXISTS (SELECT 1 FROM bookings b WHERE b.id = t.booking AND b.state = 'open' AND b.expires_at > ?) THEN 1
	ELSE 0 END)`

// where builds the condition of the tickets q finds: false when it finds none (a
// contract before its first sale).
func (s *TicketLists) where(r runner, actor ledger.Actor, q ledger.TicketQuery, now time.Time) (ticketFilter, bool, error) {
	var f ticketFilter
	if q.Contract != "" {
		c, err := loadContract(r, q.Contract)
		if err != nil {
			return f, false, err
		}
		if err := ledger.AuthorizeSeller(actor, c.Owner, c.Address); err != nil {
			return f, false, err
		}
		sale := q.Sale
		if sale == 0 && c.Sale == nil {
			return f, false, nil
		}
		if sale == 0 {
			sale = c.Sale.Number
		}
		f.add(`t.contract = ? AND t.sale = ?`, q.Contract, sale)
		f.contract, f.sale = q.Contract, sale
	}
	scope(&f, q)
	if actor.Role == ledger.RoleOrganizer && !actor.Admin {
		f.add(`EXISTS (SELECT 1 FROM contracts c WHERE c.address = t.contract AND c.owner = ?)`, actor.ID())
	}
	if q.Format != "" {
		f.add(`t.format = ?`, q.Format)
	}
	if q.Status != "" {
		f.add(statusRank+` = ?`, now.UnixNano(), int64(statusIndex(q.Status)))
	}
	return f, true, nil
}

// scope adds the booking, owner and ids conditions of q.
func scope(f *ticketFilter, q ledger.TicketQuery) {
	if q.Booking != 0 {
		f.add(`t.booking = ? AND t.booking <> 0`, q.Booking)
	}
	if q.Owner != 0 {
		f.add(`t.booking IN (SELECT id FROM bookings WHERE customer = ?) AND t.booking <> 0`, q.Owner)
	}
	if len(q.IDs) > 0 {
		terms := make([]string, len(q.IDs))
		var args []any
		for i, id := range q.IDs {
			terms[i] = `(t.contract = ? AND t.sale = ? AND t.idx = ?)`
			args = append(args, id.Contract, id.Sale, id.Index)
		}
		f.add(`(`+strings.Join(terms, " OR ")+`)`, args...)
	}
}

func statusIndex(status string) int {
	for i, s := range ledger.TicketStatuses {
		if s == status {
			return i
		}
	}
	return -1
}
