package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// SeasonAccounts keeps what the command API knows of an account beyond its customer
// (ledger.SeasonAccounts): the hashed pin and the lock in season_accounts, the external
// ids in season_alt_ids. Nothing of it is journaled; EraseCustomer deletes it.
type SeasonAccounts struct {
	*db
}

var _ ledger.SeasonAccounts = (*SeasonAccounts)(nil)

// SeasonAccount returns what is kept of the customer's account.
func (s *SeasonAccounts) SeasonAccount(ctx context.Context, customer int64) (ledger.SeasonAccount, error) {
	actor, err := ledger.Authorize(ctx, ledger.CustomerRoles...)
	if err != nil {
		return ledger.SeasonAccount{}, err
	}
	a, _, err := readSeasonAccount(s.reader(ctx), actor, customer)
	if err != nil {
		return ledger.SeasonAccount{}, s.internal("reading the account", err)
	}
	return a, nil
}

// readSeasonAccount reads the account of a customer the actor may see, and its pin's hash.
func readSeasonAccount(r runner, actor ledger.Actor, customer int64) (ledger.SeasonAccount, string, error) {
	c, err := loadCustomer(r, actor, customer)
	if err == nil && c.Erased {
		err = ledger.Errorf(ledger.ENOTFOUND, "No customer with id %d", customer)
	}
	if err != nil {
		return ledger.SeasonAccount{}, "", err
	}
	a := ledger.SeasonAccount{Customer: customer, AltIDs: []ledger.AltID{}}
	var hash string
	var locked int
	err = r.row(`SELECT pin_hash, locked FROM season_accounts WHERE customer = ?`, customer).Scan(&hash, &locked)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return a, "", err
	}
	a.HasPin, a.Locked = hash != "", locked != 0
	a.AltIDs, err = readAltIDs(r, customer)
	return a, hash, err
}

// readAltIDs reads the customer's external ids, by type and id.
func readAltIDs(r runner, customer int64) ([]ledger.AltID, error) {
	rows, err := r.rows(`SELECT alt_id_type, alt_id FROM season_alt_ids WHERE customer = ? ORDER BY alt_id_type, alt_id`, customer)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []ledger.AltID{}
	for rows.Next() {
		var id ledger.AltID
		if err := rows.Scan(&id.Type, &id.ID); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// AccountByAltID returns the customer whose external id it is.
func (s *SeasonAccounts) AccountByAltID(ctx context.Context, id ledger.AltID) (int64, error) {
	actor, err := ledger.Authorize(ctx, ledger.CustomerRoles...)
	if err != nil {
		return 0, err
	}
	r := s.reader(ctx)
	var customer int64
	err = r.row(`SELECT customer FROM season_alt_ids WHERE alt_id_type = ? AND alt_id = ?`, id.Type, id.ID).Scan(&customer)
	if err == nil {
		_, _, err = readSeasonAccount(r, actor, customer)
	}
	if errors.Is(err, sql.ErrNoRows) || ledger.ErrorCode(err) == ledger.ENOTFOUND {
		return 0, ledger.Errorf(ledger.ENOTFOUND, "No account has the external id of that type")
	}
	if err != nil {
		return 0, s.internal("finding the account", err)
	}
	return customer, nil
}

// CheckPin checks the pin against the account's hash, outside any transaction (the
// hash is slow on purpose).
func (s *SeasonAccounts) CheckPin(ctx context.Context, customer int64, pin string) error {
	actor, err := ledger.Authorize(ctx, ledger.CustomerRoles...)
	if err != nil {
		return err
	}
	a, hash, err := readSeasonAccount(s.reader(ctx), actor, customer)
	switch {
	case err != nil:
		return s.internal("checking the pin", err)
	case a.Locked:
		return ledger.Errorf(ledger.EREFUSED, "Account %d is locked", customer)
	case hash == "":
		return ledger.Errorf(ledger.EREFUSED, "Account %d has no pin", customer)
	case !ledger.PinMatches(hash, pin):
		return ledger.Errorf(ledger.EREFUSED, "The pin is not account %d's", customer)
	}
	return nil
}

// ChangeSeasonAccount applies the change in one transaction; a new pin is hashed before.
func (s *SeasonAccounts) ChangeSeasonAccount(ctx context.Context, customer int64, ch ledger.SeasonAccountChange) (ledger.SeasonAccount, error) {
	actor, err := ledger.Authorize(ctx, ledger.CustomerRoles...)
	if err != nil {
		return ledger.SeasonAccount{}, err
	}
	hash, err := checkAccountChange(ch)
	if err != nil {
		return ledger.SeasonAccount{}, err
	}
	var out ledger.SeasonAccount
	err = s.update(ctx, "changing the account", actor, "", lockNone, func(w *wtx) error {
		if _, _, err := readSeasonAccount(w.runner, actor, customer); err != nil {
			return err
		}
		if err := writeSeasonAccount(w, customer, ch, hash); err != nil {
			return err
		}
		if ch.AltIDs != nil {
			if err := writeAltIDs(w, customer, *ch.AltIDs); err != nil {
				return err
			}
		}
		out, _, err = readSeasonAccount(w.runner, actor, customer)
		return err
	})
	return out, err
}

// checkAccountChange checks the change's pin and external ids, and hashes the pin.
func checkAccountChange(ch ledger.SeasonAccountChange) (hash *string, err error) {
	if ch.AltIDs != nil {
		if len(*ch.AltIDs) > ledger.MaxAltIDs {
			return nil, ledger.Errorf(ledger.EINVALID, "An account has at most %d external ids", ledger.MaxAltIDs)
		}
		for _, id := range *ch.AltIDs {
			if err := ledger.CheckAltID(id); err != nil {
				return nil, err
			}
		}
	}
	if ch.Pin == nil {
		return nil, nil
	}
	h := ""
	if *ch.Pin != "" {
		if err := ledger.CheckPinText(*ch.Pin); err != nil {
			return nil, err
		}
		h = ledger.HashPin(*ch.Pin)
	}
	return &h, nil
}

// writeSeasonAccount writes the account's row: its pin's hash and lock as changed.
func writeSeasonAccount(w *wtx, customer int64, ch ledger.SeasonAccountChange, hash *string) error {
	if _, err := w.exec(`INSERT INTO season_accounts (customer) VALUES (?) ON CONFLICT DO NOTHING`, customer); err != nil {
		return err
	}
	if hash != nil {
		if _, err := w.exec(`UPDATE season_accounts SET pin_hash = ? WHERE customer = ?`, *hash, customer); err != nil {
			return err
		}
	}
	if ch.Locked != nil {
		locked := 0
		if *ch.Locked {
			locked = 1
		}
		if _, err := w.exec(`UPDATE season_accounts SET locked = ? WHERE customer = ?`, locked, customer); err != nil {
			return err
		}
	}
	return nil
}

// writeAltIDs replaces the customer's external ids: EREFUSED for one another customer has.
func writeAltIDs(w *wtx, customer int64, ids []ledger.AltID) error {
	if _, err := w.exec(`DELETE FROM season_alt_ids WHERE customer = ?`, customer); err != nil {
		return err
	}
	for _, id := range ids {
		if _, err := w.exec(`INSERT INTO season_alt_ids (alt_id_type, alt_id, customer) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
			id.Type, id.ID, customer); err != nil {
			return err
		}
		var owner int64
		if err := w.row(`SELECT customer FROM season_alt_ids WHERE alt_id_type = ? AND alt_id = ?`, id.Type, id.ID).Scan(&owner); err != nil {
			return err
		}
		if owner != customer {
			return ledger.Errorf(ledger.EREFUSED, "The external id of type %q is another account's", id.Type)
		}
	}
	return nil
}

// eraseSeasonAccount deletes what the command API kept of an erased customer's account.
func eraseSeasonAccount(w *wtx, customer int64) error {
	for _, table := range []string{"season_accounts", "season_alt_ids"} {
		if _, err := w.exec(`DELETE FROM `+table+` WHERE customer = ?`, customer); err != nil {
			return err
		}
	}
	return nil
}
