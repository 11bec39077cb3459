package sqlstore

import (
	"database/sql"
	"slices"
	"strings"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// The page of a ticket list (see TicketLists): its tickets in the asked order from the
// key of the page before, then their seats, bookings and the related records asked for,
// each read by primary key for the page's tickets alone. The list's statements vary with
// the query (filters, an ids list), so they run unprepared rather than filling the
// statement cache with one statement per variant.

// sortColumn is the SQL of the column q sorts by ("" for the seat, which the key orders)
// and its arguments.
func sortColumn(sortBy string, now int64) (string, []any) {
	switch sortBy {
	case ledger.SortPrice:
		return "t.price", nil
	case ledger.SortStatus:
		return statusRank, []any{now}
	case ledger.SortBooking:
		return "t.booking", nil
	case ledger.SortFormat:
		return "t.format", nil
	case ledger.SortSale:
		return "t.sale", nil
	}
	return "", nil
}

// readTicketPage reads up to q.Limit+1 tickets of the list from q.After on, with their
// seats; the one beyond the page tells that more follow.
func readTicketPage(r runner, q ledger.TicketQuery, found ticketFilter, now time.Time) ([]ledger.ListedTicket, error) {
	query, args, err := pageQuery(q, found, now)
	if err != nil {
		return nil, err
	}
	page, err := scanListedTickets(r, query, args)
	if err != nil {
		return nil, err
	}
	return page, placeTickets(r, page)
}

// pageQuery returns the statement reading the page q asks for among the tickets found.
func pageQuery(q ledger.TicketQuery, found ticketFilter, now time.Time) (string, []any, error) {
	column, columnArgs := sortColumn(q.SortBy, now.UnixNano())
	dir, cmp := "ASC", ">"
	if q.Desc {
		dir, cmp = "DESC", "<"
	}
	f := ticketFilter{conds: slices.Clone(found.conds), args: slices.Clone(found.args)}
	key, order := "t.contract, t.sale, t.idx", []string{"t.contract " + dir, "t.sale " + dir, "t.idx " + dir}
	if found.contract != "" {
		key, order = "t.idx", []string{"t.idx " + dir} // one sale: its seat index orders it
	}
	orderArgs := []any(nil)
	if q.After != "" {
		kv, err := ledger.ParseTicketKey(q.SortBy, q.After)
		if err != nil {
			return "", nil, err
		}
		cols, args := key, []any{kv.ID.Contract, kv.ID.Sale, kv.ID.Index}
		if found.contract != "" {
			if err := sameSale(found, kv.ID); err != nil {
				return "", nil, err
			}
			args = args[2:]
		}
		if column != "" {
			cols, args = column+", "+cols, append(append(slices.Clone(columnArgs), kv.Value), args...)
		}
		f.add("("+cols+") "+cmp+" ("+strings.TrimSuffix(strings.Repeat("?, ", strings.Count(cols, ",")+1), ", ")+")", args...)
	}
	if column != "" {
		order = append([]string{column + " " + dir}, order...)
		orderArgs = columnArgs
	}
	query := `SELECT t.contract, t.sale, t.idx, t.price, t.format, t.booking, ` + statusRank + ` FROM tickets t WHERE ` + f.sql() +
		` ORDER BY ` + strings.Join(order, ", ") + ` LIMIT ?`
	return query, append(append(append([]any{now.UnixNano()}, f.args...), orderArgs...), q.Limit+1), nil
}

// sameSale checks that the key of the page before is a ticket of the sale the list keeps
// to: EINVALID for another contract's, ECONFLICT for another sale's (a new sale began
// since the page before).
func sameSale(found ticketFilter, id ledger.TicketID) error {
	switch {
	case id.Contract != found.contract:
		return ledger.Errorf(ledger.EINVALID, "Parameter cursor is not a cursor of this list: pass the cursor of the Link header of the page before unchanged")
	case id.Sale != found.sale:
		return ledger.Errorf(ledger.ECONFLICT, "The page before listed sale %d; the contract's latest sale is now %d: read the list again from its start", id.Sale, found.sale)
	}
	return nil
}

// scanListedTickets runs the page's query.
func scanListedTickets(r runner, query string, args []any) ([]ledger.ListedTicket, error) {
	rows, err := r.q.QueryContext(r.ctx, r.d.bind(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	page := []ledger.ListedTicket{}
	for rows.Next() {
		var t ledger.ListedTicket
		var rank int
		if err := rows.Scan(&t.Contract, &t.Sale, &t.Index, &t.Price, &t.Format, &t.Booking, &rank); err != nil {
			return nil, err
		}
		t.Status = ledger.TicketStatuses[min(max(rank, 0), len(ledger.TicketStatuses)-1)]
		if t.Status == ledger.TicketAvailable {
			t.Booking = 0 // held by a booking whose hold has passed: no one's
		}
		t.ID = ledger.TicketID{Contract: t.Contract, Sale: t.Sale, Index: t.Index}.String()
		page = append(page, t)
	}
	return page, rows.Err()
}

// placeTickets fills the seats of the page's tickets, by contract.
func placeTickets(r runner, page []ledger.ListedTicket) error {
	byContract := map[string][]int{}
	for i, t := range page {
		byContract[t.Contract] = append(byContract[t.Contract], i)
	}
	for address, at := range byContract {
		args := []any{address}
		for _, i := range at {
			args = append(args, page[i].Index)
		}
		seats := map[int]ledger.Seat{}
		err := eachRow(r, `SELECT idx, section, number, letter FROM seats WHERE contract = ? AND idx IN (`+marks(len(at))+`)`, args,
			func(rows *sql.Rows) error {
				var idx int
				var s ledger.Seat
				err := rows.Scan(&idx, &s.Section, &s.Number, &s.Letter)
				seats[idx] = s
				return err
			})
		if err != nil {
			return err
		}
		for _, i := range at {
			page[i].Seat = seats[page[i].Index]
		}
	}
	return nil
}

// marks returns n comma-separated placeholders.
func marks(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

// eachRow runs query unprepared and calls scan for each row.
func eachRow(r runner, query string, args []any, scan func(*sql.Rows) error) error {
	rows, err := r.q.QueryContext(r.ctx, r.d.bind(query), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
