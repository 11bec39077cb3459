package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Tickets returns the ticket list: the active sale's tickets, or every seat available at
// price 0 when no sale is active. Sold tickets show their holder's pseudonymous address;
// the contract's owner and the administrator also see each ticket's sender. Seats held by
// a booking whose hold runs are TicketReserved (saleTickets).
func (s *Contracts) Tickets(ctx context.Context, address string) ([]ledger.Ticket, error) {
	p, err := s.TicketsPage(ctx, address, 0, ledger.MaxContractSeats)
	return p.Tickets, err
}

// TicketsPage returns at most limit tickets of the ticket list (see Tickets), from seat
// index offset on, with the number of the sale they belong to and the list's length (the
// contract's seat count, from its row: the list is not read to count it).
func (s *Contracts) TicketsPage(ctx context.Context, address string, offset, limit int) (ledger.TicketPage, error) {
	if offset < 0 || limit < 0 {
		return ledger.TicketPage{}, ledger.Errorf(ledger.EINVALID, "Offset and limit must not be negative")
	}
	limit = min(limit, ledger.MaxContractSeats)
	r := s.reader(ctx)
	c, err := loadContract(r, address)
	if err != nil {
		return ledger.TicketPage{}, s.internal("reading tickets", err)
	}
	if c.Sale == nil || !c.Sale.Active {
		seats, err := loadSeatRange(r, address, offset, limit)
		if err != nil {
			return ledger.TicketPage{}, s.internal("reading tickets", err)
		}
		out := make([]ledger.Ticket, len(seats))
		for i, seat := range seats {
			out[i] = ledger.Ticket{Seat: seat, Address: ledger.ZeroAddress}
		}
		return ledger.TicketPage{Tickets: out, Total: c.SeatCount}, nil
	}
	out, err := saleTickets(r, address, c.Sale.Number, offset, limit, seesSenders(ctx, c), s.now())
	if err != nil {
		return ledger.TicketPage{}, s.internal("reading tickets", err)
	}
	return ledger.TicketPage{Sale: c.Sale.Number, Tickets: out, Total: c.SeatCount}, nil
}

// seesSenders reports whether the context's actor may see who bought the contract's
// tickets: the administrator and the contract's owner.
func seesSenders(ctx context.Context, c ledger.Contract) bool {
	a, ok := ledger.ActorFrom(ctx)
	return ok && (a.Admin || a.ID() == c.Owner)
}

// saleTicketsSQL reads a range of a sale's tickets. The ticket list reads them apart from
// their seats and pairs them by index: two range scans of primary keys, which no plan can
// turn into comparing every ticket with every seat (PostgreSQL chose such a join for a
// stadium's list right after BeginSale, before it had statistics, and did not answer in
// 120 s).
// A held ticket's last column is its open booking's expiry (found by the booking's
// primary key, for held tickets alone), 0 for every other ticket.
const saleTicketsSQL = `SELECT idx, price, owner, holder, secret_ct, name_ct,
		CASE WHEN owner IS NULL AND booking <> 0 THEN COALESCE((SELECT b.expires_at FROM bookings b
			WHERE b.id = tickets.booking AND b.state = 'open'), 0) ELSE 0 END
		FROM tickets WHERE contract = ? AND sale = ? AND idx >= ? AND idx < ? ORDER BY idx`

// saleTickets reads at most limit tickets of a sale from seat index offset on; senders
// fills each sold ticket's Sender. A seat a booking holds at now is TicketReserved, and
// shows nothing more of it; one whose hold has passed is available, as a buyer finds it.
func saleTickets(r runner, address string, sale int64, offset, limit int, senders bool, now time.Time) ([]ledger.Ticket, error) {
	seats, err := loadSeatRange(r, address, offset, limit)
	if err != nil {
		return nil, err
	}
	rows, err := r.rows(saleTicketsSQL, address, sale, offset, offset+limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]ledger.Ticket, 0, len(seats))
	for rows.Next() {
		var t ledger.Ticket
		var idx int
		var owner sql.NullString
		var holder string
		var heldUntil int64
		if err := rows.Scan(&idx, &t.Price, &owner, &holder, &t.Secret, &t.CustomerIdentifier, &heldUntil); err != nil {
			return nil, err
		}
		if idx < offset || idx-offset >= len(seats) {
			return nil, fmt.Errorf("ticket %d of sale %d has no seat", idx, sale)
		}
		t.Seat = seats[idx-offset]
		t.Address = ledger.ZeroAddress
		if owner.Valid {
			t.Address = holder
			if senders {
				t.Sender = owner.String
			}
		} else if heldUntil > now.UnixNano() {
			t.Status = ledger.TicketReserved
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
