package sqlstore

import (
	"context"
	"strconv"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// soldSeatsFrom finds an account's sold seats: its confirmed bookings (bookings_customer)
// and their tickets still sold (tickets_booking), with each seat, the sale's currency
// and the booking's opening time.
const soldSeatsFrom = ` FROM bookings b JOIN tickets t ON t.booking = b.id
	JOIN seats s ON s.contract = t.contract AND s.idx = t.idx
	JOIN sales sa ON sa.contract = t.contract AND sa.number = t.sale
	WHERE b.customer = ? AND b.state = 'confirmed' AND t.owner IS NOT NULL`

// SoldSeats returns a page of the seats sold to the customer, and how many there are.
func (s *Season) SoldSeats(ctx context.Context, q ledger.SoldSeatQuery) (ledger.SoldSeatPage, error) {
	actor, err := ledger.Authorize(ctx, ledger.CustomerRoles...)
	if err != nil {
		return ledger.SoldSeatPage{}, err
	}
	after, err := checkSoldQuery(&q)
	if err != nil {
		return ledger.SoldSeatPage{}, err
	}
	r := s.reader(ctx)
	if _, _, err := readSeasonAccount(r, actor, q.Customer); err != nil {
		return ledger.SoldSeatPage{}, s.internal("reading the account's seats", err)
	}
	f := soldFilter(actor, q)
	var page ledger.SoldSeatPage
	if err := r.row(`SELECT COUNT(*)`+soldSeatsFrom+f.sql, f.args...).Scan(&page.Total); err != nil {
		return page, s.internal("counting the account's seats", err)
	}
	if after != nil {
		f.sql += ` AND (t.contract > ? OR (t.contract = ? AND (t.sale > ? OR (t.sale = ? AND t.idx > ?))))`
		f.args = append(f.args, after.Contract, after.Contract, after.Sale, after.Sale, after.Index)
	}
	seats, err := readSoldSeats(r, f, q.Limit+1)
	if err != nil {
		return page, s.internal("reading the account's seats", err)
	}
	if len(seats) > q.Limit {
		seats = seats[:q.Limit]
		page.Next = seats[len(seats)-1].Ticket.String()
	}
	page.Seats = seats
	return page, nil
}

// checkSoldQuery checks the query's limit, contracts and start, filling the default limit.
func checkSoldQuery(q *ledger.SoldSeatQuery) (*ledger.TicketID, error) {
	switch {
	case q.Limit == 0:
		q.Limit = ledger.DefaultSoldSeats
	case q.Limit < 0 || q.Limit > ledger.MaxSoldSeats:
		return nil, ledger.Errorf(ledger.EINVALID, "A page of sold seats holds 1 to %d seats", ledger.MaxSoldSeats)
	}
	if len(q.Contracts) > ledger.MaxSoldContracts {
		return nil, ledger.Errorf(ledger.EINVALID, "Name at most %d events", ledger.MaxSoldContracts)
	}
	for _, c := range q.Contracts {
		if err := ledger.ValidateAddress(c); err != nil {
			return nil, err
		}
	}
	if q.After == "" {
		return nil, nil
	}
	id, err := ledger.ParseTicketID(q.After)
	if err != nil {
		return nil, ledger.Errorf(ledger.EINVALID, "The page key is not one this server gave: pass the last answer's key unchanged")
	}
	return &id, nil
}

// soldQuery is the conditions after soldSeatsFrom and their arguments.
type soldQuery struct {
	sql  string
	args []any
}

// soldFilter is the query's conditions: the customer, the contracts named, and for an
// organizer key its own contracts.
func soldFilter(actor ledger.Actor, q ledger.SoldSeatQuery) soldQuery {
	f := soldQuery{args: []any{q.Customer}}
	if len(q.Contracts) > 0 {
		f.sql += ` AND t.contract IN (` + marks(len(q.Contracts)) + `)`
		for _, c := range q.Contracts {
			f.args = append(f.args, c)
		}
	}
	if actor.Role == ledger.RoleOrganizer && !actor.Admin {
		f.sql += ` AND EXISTS (SELECT 1 FROM contracts c WHERE c.address = t.contract AND c.owner = ?)`
		f.args = append(f.args, actor.ID())
	}
	return f
}

// readSoldSeats reads at most limit seats of the filter, in ticket order.
func readSoldSeats(r runner, f soldQuery, limit int) ([]ledger.SoldSeat, error) {
	rows, err := r.rows(`SELECT t.contract, t.sale, t.idx, s.section, s.number, s.letter, t.price, `+typeSQL+`,
		sa.currency, t.checked_in_at, b.id, b.created_at`+soldSeatsFrom+f.sql+
		` ORDER BY t.contract, t.sale, t.idx LIMIT `+strconv.Itoa(limit), f.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []ledger.SoldSeat{}
	for rows.Next() {
		var st ledger.SoldSeat
		var checkedIn, ordered int64
		if err := rows.Scan(&st.Ticket.Contract, &st.Ticket.Sale, &st.Ticket.Index, &st.Seat.Section, &st.Seat.Number, &st.Seat.Letter,
			&st.FullPrice, &st.Type, &st.Paid, &st.Currency, &checkedIn, &st.Booking, &ordered); err != nil {
			return nil, err
		}
		st.CheckedIn, st.Ordered = checkedIn != 0, time.Unix(0, ordered).UTC()
		out = append(out, st)
	}
	return out, rows.Err()
}
