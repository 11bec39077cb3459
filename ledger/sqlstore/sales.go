package sqlstore

import (
	"context"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// SetRules changes the rules the change names, in one transaction and one journal entry
// (the rules as they then are), while no sale is active.
func (s *Contracts) SetRules(ctx context.Context, address string, change ledger.RulesChange) (ledger.Receipt, error) {
	if change.Empty() {
		return ledger.Receipt{}, ledger.Errorf(ledger.EINVALID, "Give at least one rule to set: fee, noReleaseBlocks or requireIdentityVerification")
	}
	var rc ledger.Receipt
	err := s.writeContract(ctx, "setting the rules", address, asOwner, func(w *wtx, c ledger.Contract) error {
		if ledger.SaleActive(c) {
			return ledger.Errorf(ledger.ECONFLICT, "Sale is currently active")
		}
		r := change.Apply(c.Rules)
		if err := ledger.ValidateRules(r); err != nil {
			return err
		}
		identity := 0
		if r.RequireIdentityVerification {
			identity = 1
		}
		if _, err := w.exec(`UPDATE contracts SET release_fee = ?, no_release_blocks = ?, require_identity = ? WHERE address = ?`,
			r.ReleaseFee, r.NoReleaseBlocks, identity, address); err != nil {
			return err
		}
		var err error
		rc, err = w.journal(ledger.TxRulesSet, address, r)
		return err
	})
	return rc, err
}

// SetReleaseFee sets the fee kept from refunds, in minor units.
func (s *Contracts) SetReleaseFee(ctx context.Context, address string, fee int64) (ledger.Receipt, error) {
	return s.SetRules(ctx, address, ledger.RulesChange{ReleaseFee: &fee})
}

// SetNoReleaseBlocks sets how many blocks before the end of sale releases stop.
func (s *Contracts) SetNoReleaseBlocks(ctx context.Context, address string, count int64) (ledger.Receipt, error) {
	return s.SetRules(ctx, address, ledger.RulesChange{NoReleaseBlocks: &count})
}

// SetIdentityPolicy sets whether purchasers must give a name to be checked at the gate.
func (s *Contracts) SetIdentityPolicy(ctx context.Context, address string, require bool) (ledger.Receipt, error) {
	return s.SetRules(ctx, address, ledger.RulesChange{RequireIdentityVerification: &require})
}

// BeginSale opens the contract's next sale with a price for every seat, and the ticket
// types its details offer.
func (s *Contracts) BeginSale(ctx context.Context, address string, prices []ledger.SeatPrice, d ledger.SaleDetails) (ledger.Receipt, error) {
	if d.Currency == "" {
		d.Currency = ledger.DefaultCurrency
	}
	var rc ledger.Receipt
	err := s.writeContract(ctx, "beginning the sale", address, asOwner, func(w *wtx, c ledger.Contract) error {
		if ledger.SaleActive(c) {
			return ledger.Errorf(ledger.ECONFLICT, "Sale is currently active")
		}
		seats, err := loadSeats(w.runner, address)
		if err != nil {
			return err
		}
		byIndex, err := ledger.SalePrices(seats, prices, d, w.height, w.now)
		if err != nil {
			return err
		}
		number := int64(1)
		if c.Sale != nil {
			number = c.Sale.Number + 1
		}
		if err := insertSale(w, address, number, d, byIndex); err != nil {
			return err
		}
		if err := insertTicketTypes(w, address, number, seats, d.TicketTypes); err != nil {
			return err
		}
		rc, err = w.journal(ledger.TxSaleBegun, address, ledger.SaleBegunEffect{Sale: number, Details: d, Prices: byIndex})
		return err
	})
	return rc, err
}

func insertSale(w *wtx, address string, number int64, d ledger.SaleDetails, prices []int64) error {
	if _, err := w.exec(`INSERT INTO sales (contract, number, name, organiser, show_time, end_height, currency, time_zone, hold_seconds, begun_height)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, address, number, d.Name, d.Organiser, d.Time, d.EndOfSale, d.Currency, d.TimeZone,
		holdSeconds(d), w.height); err != nil {
		return err
	}
	if _, err := w.exec(`UPDATE contracts SET sale_number = ?, sale_active = 1 WHERE address = ?`, number, address); err != nil {
		return err
	}
	return w.insertRows(`INSERT INTO tickets (contract, sale, idx, price) VALUES `, len(prices),
		func(i int, args []any) []any { return append(args, address, number, i, prices[i]) })
}

// EndSale closes the active sale once its end height is reached, freeing every seat for
// the next sale; the ended sale's tickets stay verifiable until the next sale begins.
func (s *Contracts) EndSale(ctx context.Context, address string) (ledger.Receipt, error) {
	var rc ledger.Receipt
	err := s.writeContract(ctx, "ending the sale", address, asOwner, func(w *wtx, c ledger.Contract) error {
		if !ledger.SaleEndable(c, w.height) {
			return ledger.Errorf(ledger.ECONFLICT, "Sale is not currently active or has not ended")
		}
		if _, err := w.exec(`UPDATE contracts SET sale_active = 0 WHERE address = ?`, address); err != nil {
			return err
		}
		if _, err := w.exec(`UPDATE sales SET ended_height = ? WHERE contract = ? AND number = ?`, w.height, address, c.Sale.Number); err != nil {
			return err
		}
		var err error
		rc, err = w.journal(ledger.TxSaleEnded, address, ledger.SaleEndedEffect{Sale: c.Sale.Number})
		return err
	})
	return rc, err
}

// holdSeconds is the sale's hold time as the sales table keeps it: 0 for the default.
func holdSeconds(d ledger.SaleDetails) int64 { return int64(time.Duration(d.HoldTime) / time.Second) }
