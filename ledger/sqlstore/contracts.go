package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Contracts is the ledger's contracts and sales (ledger.Contracts): contracts of seats,
// their rules, owners and sales, and their ticket lists (ledger.TicketPager). Its writes
// are the contract owner's, one at a time on a contract.
type Contracts struct{ *db }

var (
	_ ledger.Contracts   = (*Contracts)(nil)
	_ ledger.TicketPager = (*Contracts)(nil)
)

// CreateContract creates a contract of seats under a venue, owned by the context's actor
// (an organizer key or the administrator).
func (s *Contracts) CreateContract(ctx context.Context, venue string, seats []ledger.Seat) (ledger.Contract, ledger.Receipt, error) {
	actor, err := ledger.Authorize(ctx, ledger.RoleOrganizer)
	if err != nil {
		return ledger.Contract{}, ledger.Receipt{}, err
	}
	if err := ledger.ValidateContract(venue, seats); err != nil {
		return ledger.Contract{}, ledger.Receipt{}, err
	}
	address, err := ledger.NewAddress()
	if err != nil {
		return ledger.Contract{}, ledger.Receipt{}, err
	}
	var c ledger.Contract
	var rc ledger.Receipt
	err = s.update(ctx, "creating the contract", actor, address, lockNone, func(w *wtx) error {
		c = ledger.Contract{Address: address, Venue: venue, Owner: actor.ID(), SeatCount: len(seats), CreatedHeight: w.height}
		if _, err := w.exec(`INSERT INTO contracts (address, venue, owner, seat_count, created_height) VALUES (?, ?, ?, ?, ?)`,
			address, venue, c.Owner, len(seats), w.height); err != nil {
			return err
		}
		if err := insertSeats(w, address, seats); err != nil {
			return err
		}
		rc, err = w.journal(ledger.TxContractCreated, address, ledger.ContractCreatedEffect{Venue: venue, Owner: c.Owner, Seats: seats})
		return err
	})
	return c, rc, err
}

func insertSeats(w *wtx, address string, seats []ledger.Seat) error {
	return w.insertRows(`INSERT INTO seats (contract, idx, section, number, letter) VALUES `, len(seats),
		func(i int, args []any) []any {
			return append(args, address, i, seats[i].Section, seats[i].Number, seats[i].Letter)
		})
}

// Contract returns the contract at address with its rules and latest sale.
func (s *Contracts) Contract(ctx context.Context, address string) (ledger.Contract, error) {
	return readContract(ctx, s.db, address)
}

// readContract reads the contract at address from the read pool.
func readContract(ctx context.Context, s *db, address string) (ledger.Contract, error) {
	c, err := loadContract(s.reader(ctx), address)
	if err != nil {
		return ledger.Contract{}, s.internal("reading the contract", err)
	}
	return c, nil
}

// loadContract reads a contract with its latest sale in one statement: EINVALID for a
// malformed address, ENOTFOUND for none.
func loadContract(r runner, address string) (ledger.Contract, error) {
	if err := ledger.ValidateAddress(address); err != nil {
		return ledger.Contract{}, err
	}
	return scanContract(r.row(contractQuery, address), address)
}

// contractQuery reads a contract and its latest sale by address, for scanContract.
const contractQuery = `SELECT c.venue, c.owner, c.seat_count, c.release_fee, c.no_release_blocks, c.require_identity, c.sale_number,
	c.sale_active, c.created_height, s.name, s.organiser, s.show_time, s.end_height, s.currency, s.time_zone, s.begun_height, s.ended_height
	FROM contracts c LEFT JOIN sales s ON s.contract = c.address AND s.number = c.sale_number
	WHERE c.address = ?`

// scanContract reads the row of contractQuery: ENOTFOUND when there is none.
func scanContract(row scanner, address string) (ledger.Contract, error) {
	c := ledger.Contract{Address: address}
	var identity, active int
	var saleNumber int64
	var sale saleRow
	err := row.Scan(&c.Venue, &c.Owner, &c.SeatCount, &c.Rules.ReleaseFee, &c.Rules.NoReleaseBlocks,
		&identity, &saleNumber, &active, &c.CreatedHeight, &sale.name, &sale.organiser, &sale.time, &sale.end, &sale.currency,
		&sale.timeZone, &sale.begun, &sale.ended)
	if errors.Is(err, sql.ErrNoRows) {
		return ledger.Contract{}, ledger.Errorf(ledger.ENOTFOUND, "No smart contract found at address %s", address)
	}
	if err != nil {
		return ledger.Contract{}, err
	}
	c.Rules.RequireIdentityVerification = identity != 0
	if saleNumber > 0 {
		if !sale.name.Valid {
			return ledger.Contract{}, ledger.Errorf(ledger.EINTERNAL, "contract %s names sale %d, which is missing", address, saleNumber)
		}
		c.Sale = sale.sale(saleNumber, active != 0)
	}
	return c, nil
}

// saleRow is a sale's columns from a LEFT JOIN: all NULL when the contract has no sale.
type saleRow struct {
	name, organiser, currency, timeZone sql.NullString
	time, end, begun, ended             sql.NullInt64
}

func (r saleRow) sale(number int64, active bool) *ledger.Sale {
	return &ledger.Sale{Number: number, Active: active, BegunHeight: r.begun.Int64, EndedHeight: r.ended.Int64,
		Details: ledger.SaleDetails{Name: r.name.String, Organiser: r.organiser.String, Time: r.time.Int64,
			EndOfSale: r.end.Int64, Currency: r.currency.String, TimeZone: r.timeZone.String}}
}

// loadSeats returns a contract's seats in their order.
func loadSeats(r runner, address string) ([]ledger.Seat, error) {
	return loadSeatRange(r, address, 0, ledger.MaxContractSeats)
}

// loadSeatRange returns at most limit seats of a contract in their order, from index
// offset on.
func loadSeatRange(r runner, address string, offset, limit int) ([]ledger.Seat, error) {
	rows, err := r.rows(`SELECT section, number, letter FROM seats WHERE contract = ? AND idx >= ? AND idx < ? ORDER BY idx`,
		address, offset, offset+limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var seats []ledger.Seat
	for rows.Next() {
		var seat ledger.Seat
		if err := rows.Scan(&seat.Section, &seat.Number, &seat.Letter); err != nil {
			return nil, err
		}
		seats = append(seats, seat)
	}
	return seats, rows.Err()
}

// Tickets returns the ticket list: the active sale's tickets, or every seat available at
// price 0 when no sale is active. Sold tickets show their holder's pseudonymous address;
// the contract's owner and the administrator also see each ticket's sender.
func (s *Contracts) Tickets(ctx context.Context, address string) ([]ledger.Ticket, error) {
	p, err := s.TicketsPage(ctx, address, 0, ledger.MaxContractSeats)
	return p.Tickets, err
}

// TicketsPage returns at most limit tickets of the ticket list (see Tickets), from seat
// index offset on, with the number of the sale they belong to.
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
		return ledger.TicketPage{Tickets: out}, nil
	}
	out, err := saleTickets(r, address, c.Sale.Number, offset, limit, seesSenders(ctx, c))
	if err != nil {
		return ledger.TicketPage{}, s.internal("reading tickets", err)
	}
	return ledger.TicketPage{Sale: c.Sale.Number, Tickets: out}, nil
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
const saleTicketsSQL = `SELECT idx, price, owner, holder, secret_ct, name_ct FROM tickets
		WHERE contract = ? AND sale = ? AND idx >= ? AND idx < ? ORDER BY idx`

// saleTickets reads at most limit tickets of a sale from seat index offset on; senders
// fills each sold ticket's Sender.
func saleTickets(r runner, address string, sale int64, offset, limit int, senders bool) ([]ledger.Ticket, error) {
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
		if err := rows.Scan(&idx, &t.Price, &owner, &holder, &t.Secret, &t.CustomerIdentifier); err != nil {
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
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
