package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

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

// CreateContract creates a contract of seats and standing sections under a venue, owned
// by the context's actor (an organizer key or the administrator).
func (s *Contracts) CreateContract(ctx context.Context, venue string, seats []ledger.Seat, standing ...ledger.StandingSection) (ledger.Contract, ledger.Receipt, error) {
	actor, err := ledger.Authorize(ctx, ledger.RoleOrganizer)
	if err != nil {
		return ledger.Contract{}, ledger.Receipt{}, err
	}
	if err := ledger.ValidateContract(venue, seats, standing...); err != nil {
		return ledger.Contract{}, ledger.Receipt{}, err
	}
	address, err := ledger.NewAddress()
	if err != nil {
		return ledger.Contract{}, ledger.Receipt{}, err
	}
	var c ledger.Contract
	var rc ledger.Receipt
	err = s.update(ctx, "creating the contract", actor, address, lockNone, func(w *wtx) error {
		all := ledger.ContractSeats(seats, standing)
		c = ledger.Contract{Address: address, Venue: venue, Owner: actor.ID(), SeatCount: len(all), Standing: standing, CreatedHeight: w.height}
		if _, err := w.exec(`INSERT INTO contracts (address, venue, owner, seat_count, created_height) VALUES (?, ?, ?, ?, ?)`,
			address, venue, c.Owner, len(all), w.height); err != nil {
			return err
		}
		if err := insertSeats(w, address, all); err != nil {
			return err
		}
		if err := insertStanding(w, address, len(seats), standing); err != nil {
			return err
		}
		rc, err = w.journal(ledger.TxContractCreated, address, ledger.ContractCreatedEffect{Venue: venue, Owner: c.Owner, Seats: seats, Standing: standing})
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

// readContract reads the contract at address from the read pool, with its latest sale's
// ticket types (writes, which load the contract with loadContract, leave them out).
func readContract(ctx context.Context, s *db, address string) (ledger.Contract, error) {
	r := s.reader(ctx)
	c, err := loadContract(r, address)
	if err == nil {
		c.Standing, err = loadStanding(r, address)
	}
	if err == nil {
		c, err = withTicketTypes(r, c)
	}
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
	c.sale_active, c.created_height, s.name, s.organiser, s.show_time, s.end_height, s.currency, s.time_zone, s.hold_seconds, s.begun_height, s.ended_height,
	s.offline_admission, s.reentry
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
		&sale.timeZone, &sale.hold, &sale.begun, &sale.ended, &sale.offline, &sale.reentry)
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
	time, end, hold, begun, ended       sql.NullInt64
	offline, reentry                    sql.NullInt64 // the gate policy
}

func (r saleRow) sale(number int64, active bool) *ledger.Sale {
	return &ledger.Sale{Number: number, Active: active, BegunHeight: r.begun.Int64, EndedHeight: r.ended.Int64,
		Details: ledger.SaleDetails{Name: r.name.String, Organiser: r.organiser.String, Time: r.time.Int64,
			EndOfSale: r.end.Int64, Currency: r.currency.String, TimeZone: r.timeZone.String,
			HoldTime: ledger.Duration(time.Duration(r.hold.Int64) * time.Second)},
		GatePolicy: ledger.GatePolicy{OfflineAdmission: r.offline.Int64 != 0, Reentry: r.reentry.Int64 != 0}}
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
