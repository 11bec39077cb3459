package sqlstore

import (
	"context"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Door is the ledger's work at the door beyond scanning (ledger.Door): the gate policy
// of each sale, kept in the sales table beside the sale.
type Door struct{ *db }

var _ ledger.Door = (*Door)(nil)

// SetGatePolicy changes the gate policy of the contract's latest sale, in one write
// with its journal row (TxGatePolicySet, the whole policy): the owner only; ECONFLICT
// before any sale has begun, EINVALID for a change that changes nothing.
func (s *Door) SetGatePolicy(ctx context.Context, address string, ch ledger.GatePolicyChange) (ledger.Receipt, error) {
	if err := ch.Validate(); err != nil {
		return ledger.Receipt{}, err
	}
	var out ledger.Receipt
	err := s.writeContract(ctx, "setting the gate policy", address, asOwner, func(w *wtx, c ledger.Contract) error {
		if c.Sale == nil {
			return ledger.Errorf(ledger.ECONFLICT, "Contract %s has no sale yet: begin one before setting its gate policy", address)
		}
		p := ch.Apply(c.Sale.GatePolicy)
		_, err := w.exec(`UPDATE sales SET offline_admission = ?, reentry = ? WHERE contract = ? AND number = ?`,
			boolInt(p.OfflineAdmission), boolInt(p.Reentry), address, c.Sale.Number)
		if err != nil {
			return err
		}
		out, err = w.journal(ledger.TxGatePolicySet, address, ledger.GatePolicyEffect{Sale: c.Sale.Number, Policy: p})
		return err
	})
	return out, err
}
