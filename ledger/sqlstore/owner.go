package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// TransferContract makes the organizer key owner ("key:N") the contract's owner, for the
// owner or the administrator: ENOTFOUND for an unknown key, EREFUSED for a revoked key or
// one of another role.
func (s *Contracts) TransferContract(ctx context.Context, address, owner string) (ledger.Receipt, error) {
	id, err := ledger.ParseOwner(owner)
	if err != nil {
		return ledger.Receipt{}, err
	}
	var rc ledger.Receipt
	err = s.writeContract(ctx, "transferring the contract", address, asOwner, func(w *wtx, c ledger.Contract) error {
		if err := organizerKey(w, id); err != nil {
			return err
		}
		if _, err := w.exec(`UPDATE contracts SET owner = ? WHERE address = ?`, owner, address); err != nil {
			return err
		}
		var err error
		rc, err = w.journal(ledger.TxContractOwner, address, ledger.ContractTransferredEffect{Owner: owner, Previous: c.Owner})
		return err
	})
	return rc, err
}

// organizerKey checks that the key with the id may own contracts: it exists, is not
// revoked, and is an organizer key.
func organizerKey(w *wtx, id int64) error {
	var role string
	var revoked int
	err := w.row(`SELECT role, revoked FROM api_keys WHERE id = ?`, id).Scan(&role, &revoked)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return ledger.Errorf(ledger.ENOTFOUND, "No API key with id %d", id)
	case err != nil:
		return err
	case revoked != 0:
		return ledger.Errorf(ledger.EREFUSED, "Key %d is revoked: it cannot own a contract", id)
	case ledger.Role(role) != ledger.RoleOrganizer:
		return ledger.Errorf(ledger.EREFUSED, "Key %d is a %s key: only an organizer key can own a contract", id, role)
	}
	return nil
}
