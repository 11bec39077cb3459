package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/hex"
	"errors"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Wallets keeps the customers' wallet links and the codes sealed under them
// (ledger.Wallets): wallet_links names each link by the SHA-256 of its token, and
// wallet_codes holds each code sealed under a key derived from the token (wallet_seal.go).
// Its writes touch no contract, sale or ticket, and the journal records none of them.
type Wallets struct {
	*db
}

var _ ledger.Wallets = (*Wallets)(nil)

// MaxWalletCodes is the most codes one link keeps.
const MaxWalletCodes = 1000

// OpenLink makes a new link for the customer, keeps the codes sealed under its token and
// returns the token: ENOTFOUND for a customer the actor may not see, ECONFLICT for an
// erased one, EINVALID for a malformed code or a seat the contract lacks.
func (s *Wallets) OpenLink(ctx context.Context, customer int64, codes []ledger.WalletCode) (string, error) {
	actor, err := ledger.Authorize(ctx, ledger.CustomerRoles...)
	if err != nil {
		return "", err
	}
	if err := validateWalletCodes(codes); err != nil {
		return "", err
	}
	token := newWalletToken()
	k, err := deriveWalletKeys(token)
	if err != nil {
		return "", s.internal("making the wallet link", err)
	}
	err = s.update(ctx, "making the wallet link", actor, "", lockUnrelated, func(w *wtx) error {
		c, err := loadCustomer(w.runner, actor, customer)
		if err != nil {
			return err
		}
		if c.Erased {
			return ledger.Errorf(ledger.ECONFLICT, "Customer %d was erased: a wallet link can no longer reach them", customer)
		}
		if _, err := w.exec(`INSERT INTO wallet_links (token_hash, customer, created_at) VALUES (?, ?, ?)`,
			k.hash, customer, w.now.UnixNano()); err != nil {
			return err
		}
		return insertWalletCodes(w, k, codes)
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// validateWalletCodes checks the codes: at most MaxWalletCodes, each with a contract's
// address, a valid seat, a QR text and a secret digest. EINVALID otherwise.
func validateWalletCodes(codes []ledger.WalletCode) error {
	if len(codes) > MaxWalletCodes {
		return ledger.Errorf(ledger.EINVALID, "A wallet link keeps at most %d codes", MaxWalletCodes)
	}
	for _, c := range codes {
		if err := ledger.ValidateAddress(c.Contract); err != nil {
			return err
		}
		if err := c.Seat.Validate(); err != nil {
			return err
		}
		if c.QR == "" || len(c.SecretDigest) == 0 {
			return ledger.Errorf(ledger.EINVALID, "The wallet code of seat %s needs its QR text and its secret's digest", c.Seat)
		}
	}
	return nil
}

// insertWalletCodes seals each code under the link, for the ticket of its seat that
// holds its secret (or, when none does any more, the contract's latest sale).
func insertWalletCodes(w *wtx, k walletKeys, codes []ledger.WalletCode) error {
	for _, c := range codes {
		id, err := walletTicket(w, c)
		if err != nil {
			return err
		}
		if _, err := w.exec(`INSERT INTO wallet_codes (token_hash, contract, sale, idx, secret_digest, sealed) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (token_hash, contract, sale, idx) DO UPDATE SET secret_digest = excluded.secret_digest, sealed = excluded.sealed`,
			k.hash, id.Contract, id.Sale, id.Index, hex.EncodeToString(c.SecretDigest), k.seal(id, c.QR)); err != nil {
			return err
		}
	}
	return nil
}

// walletTicket returns the id of the ticket a code is for: EINVALID when the contract
// has no such seat.
func walletTicket(w *wtx, c ledger.WalletCode) (ledger.TicketID, error) {
	idx, err := seatIndex(w, c.Contract, c.Seat)
	if err != nil {
		var le *ledger.Error
		if errors.As(err, &le) {
			return ledger.TicketID{}, ledger.Errorf(ledger.EINVALID, "Contract %s has no seat %s for a wallet code", c.Contract, c.Seat)
		}
		return ledger.TicketID{}, err
	}
	id := ledger.TicketID{Contract: c.Contract, Index: idx}
	err = w.row(`SELECT sale FROM tickets WHERE contract = ? AND idx = ? AND secret_digest = ? ORDER BY sale DESC LIMIT 1`,
		c.Contract, idx, hex.EncodeToString(c.SecretDigest)).Scan(&id.Sale)
	if errors.Is(err, sql.ErrNoRows) {
		err = w.row(`SELECT sale_number FROM contracts WHERE address = ?`, c.Contract).Scan(&id.Sale)
	}
	return id, err
}

// RevokeLink revokes the token's link and deletes its codes: ErrWalletToken when the
// token is malformed, unknown or already revoked.
func (s *Wallets) RevokeLink(ctx context.Context, token string) error {
	k, err := deriveWalletKeys(token)
	if err != nil {
		return err
	}
	return s.update(ctx, "revoking the wallet link", ledger.Actor{}, "", lockUnrelated, func(w *wtx) error {
		res, err := w.exec(`UPDATE wallet_links SET revoked_at = ? WHERE token_hash = ? AND revoked_at = 0`, w.now.UnixNano(), k.hash)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return cmp.Or(err, error(ledger.ErrWalletToken()))
		}
		_, err = w.exec(`DELETE FROM wallet_codes WHERE token_hash = ?`, k.hash)
		return err
	})
}

// RevokeLinks revokes every valid link of the customer, deletes their codes and returns
// how many it revoked: ENOTFOUND for a customer the actor may not see.
func (s *Wallets) RevokeLinks(ctx context.Context, customer int64) (int, error) {
	actor, err := ledger.Authorize(ctx, ledger.CustomerRoles...)
	if err != nil {
		return 0, err
	}
	var n int64
	err = s.update(ctx, "revoking the wallet links", actor, "", lockUnrelated, func(w *wtx) error {
		if _, err := loadCustomer(w.runner, actor, customer); err != nil {
			return err
		}
		res, err := w.exec(`UPDATE wallet_links SET revoked_at = ? WHERE customer = ? AND revoked_at = 0`, w.now.UnixNano(), customer)
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		_, err = w.exec(`DELETE FROM wallet_codes WHERE token_hash IN (SELECT token_hash FROM wallet_links WHERE customer = ?)`, customer)
		return err
	})
	return int(n), err
}
