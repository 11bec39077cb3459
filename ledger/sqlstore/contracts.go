package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// CreateContract creates a contract of seats under a venue, owned by the context's actor
// (an organizer key or the administrator).
func (s *Store) CreateContract(ctx context.Context, venue string, seats []ledger.Seat) (ledger.Contract, ledger.Receipt, error) {
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
	err = s.update(ctx, "creating the contract", actor, func(w *wtx) error {
		c = ledger.Contract{Address: address, Venue: venue, Owner: actor.ID(), SeatCount: len(seats), CreatedHeight: w.height}
		if _, err := w.ExecContext(ctx, `INSERT INTO contracts (address, venue, owner, seat_count, created_height) VALUES (?, ?, ?, ?, ?)`,
			address, venue, c.Owner, len(seats), w.height); err != nil {
			return err
		}
		if err := insertSeats(w, address, seats); err != nil {
			return err
		}
		rc, err = w.journal(ledger.TxContractCreated, address, contractCreated{Venue: venue, Owner: c.Owner, Seats: seats})
		return err
	})
	return c, rc, err
}

type contractCreated struct {
	Venue string        `json:"venue"`
	Owner string        `json:"owner"`
	Seats []ledger.Seat `json:"seats"`
}

func insertSeats(w *wtx, address string, seats []ledger.Seat) error {
	stmt, err := w.PrepareContext(w.ctx, `INSERT INTO seats (contract, idx, section, number, letter) VALUES (?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for i, seat := range seats {
		if _, err := stmt.ExecContext(w.ctx, address, i, seat.Section, seat.Number, seat.Letter); err != nil {
			return err
		}
	}
	return nil
}

// Contract returns the contract at address with its rules and latest sale.
func (s *Store) Contract(ctx context.Context, address string) (ledger.Contract, error) {
	c, err := loadContract(ctx, s.read, address)
	if err != nil {
		return ledger.Contract{}, s.internal("reading the contract", err)
	}
	return c, nil
}

type queryRower interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	querier
}

// loadContract reads a contract: EINVALID for a malformed address, ENOTFOUND for none.
func loadContract(ctx context.Context, q queryRower, address string) (ledger.Contract, error) {
	if err := ledger.ValidateAddress(address); err != nil {
		return ledger.Contract{}, err
	}
	c := ledger.Contract{Address: address}
	var identity, active int
	var saleNumber int64
	err := q.QueryRowContext(ctx, `SELECT venue, owner, seat_count, release_fee, no_release_blocks, require_identity, sale_number, sale_active, created_height
		FROM contracts WHERE address = ?`, address).Scan(&c.Venue, &c.Owner, &c.SeatCount, &c.Rules.ReleaseFee,
		&c.Rules.NoReleaseBlocks, &identity, &saleNumber, &active, &c.CreatedHeight)
	if errors.Is(err, sql.ErrNoRows) {
		return ledger.Contract{}, ledger.Errorf(ledger.ENOTFOUND, "No smart contract found at address %s", address)
	}
	if err != nil {
		return ledger.Contract{}, err
	}
	c.Rules.RequireIdentityVerification = identity != 0
	if saleNumber > 0 {
		sale, err := loadSale(ctx, q, address, saleNumber)
		if err != nil {
			return ledger.Contract{}, err
		}
		sale.Active = active != 0
		c.Sale = &sale
	}
	return c, nil
}

func loadSale(ctx context.Context, q queryRower, address string, number int64) (ledger.Sale, error) {
	sale := ledger.Sale{Number: number}
	d := &sale.Details
	err := q.QueryRowContext(ctx, `SELECT name, organiser, show_time, end_height, currency, time_zone, begun_height, ended_height
		FROM sales WHERE contract = ? AND number = ?`, address, number).Scan(&d.Name, &d.Organiser, &d.Time,
		&d.EndOfSale, &d.Currency, &d.TimeZone, &sale.BegunHeight, &sale.EndedHeight)
	return sale, err
}

// loadSeats returns a contract's seats in their order.
func loadSeats(ctx context.Context, q querier, address string) ([]ledger.Seat, error) {
	rows, err := q.QueryContext(ctx, `SELECT section, number, letter FROM seats WHERE contract = ? ORDER BY idx`, address)
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
// price 0 when no sale is active.
func (s *Store) Tickets(ctx context.Context, address string) ([]ledger.Ticket, error) {
	c, err := loadContract(ctx, s.read, address)
	if err != nil {
		return nil, s.internal("reading tickets", err)
	}
	if c.Sale == nil || !c.Sale.Active {
		seats, err := loadSeats(ctx, s.read, address)
		if err != nil {
			return nil, s.internal("reading tickets", err)
		}
		out := make([]ledger.Ticket, len(seats))
		for i, seat := range seats {
			out[i] = ledger.Ticket{Seat: seat, Address: ledger.ZeroAddress}
		}
		return out, nil
	}
	out, err := saleTickets(ctx, s.read, address, c.Sale.Number)
	if err != nil {
		return nil, s.internal("reading tickets", err)
	}
	return out, nil
}

func saleTickets(ctx context.Context, q querier, address string, sale int64) ([]ledger.Ticket, error) {
	rows, err := q.QueryContext(ctx, `SELECT s.section, s.number, s.letter, t.price, t.owner, t.secret_ct, t.name_ct
		FROM tickets t JOIN seats s ON s.contract = t.contract AND s.idx = t.idx
		WHERE t.contract = ? AND t.sale = ? ORDER BY t.idx`, address, sale)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ledger.Ticket
	for rows.Next() {
		var t ledger.Ticket
		var owner sql.NullString
		if err := rows.Scan(&t.Seat.Section, &t.Seat.Number, &t.Seat.Letter, &t.Price, &owner, &t.Secret, &t.CustomerIdentifier); err != nil {
			return nil, err
		}
		t.Address = ledger.ZeroAddress
		if owner.Valid {
			t.Address = owner.String
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
