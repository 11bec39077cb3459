package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Resale is the ledger's secondary market (ledger.Resale): transfers, the organizer's
// resale terms, offers and their purchase, in the tables of migration 0015 and the
// tickets they move. Moving a ticket is one conditional update of its row (new owner,
// holder address and sealing, on the condition that its holder, secret and check-in are
// what the transaction read) and one journal row, as a reissue is.
type Resale struct {
	*db
	holders holderKey
}

var _ ledger.Resale = (*Resale)(nil)

// Contract returns the contract at address, as Contracts.Contract does: the issuer reads
// the identity policy of the tickets it seals for a transfer or a resale.
func (s *Resale) Contract(ctx context.Context, address string) (ledger.Contract, error) {
	return readContract(ctx, s.db, address)
}

// Transfer moves a sold ticket of the contract's latest sale, not checked in, to the
// receiver's account with its new sealing. The receiver's holder address is made with
// the key that sold the ticket, as the ticket's was: a transfer is not a sale. Refused
// as a reissue is (EREFUSED without proof of holding, ECONFLICT once checked in), and
// for a receiver who already holds it.
func (s *Resale) Transfer(ctx context.Context, address string, r ledger.TransferRequest) (ledger.TransferReceipt, error) {
	if err := validateMove(r.Ticket, r.To, r.Sender); err != nil {
		return ledger.TransferReceipt{}, err
	}
	var out ledger.TransferReceipt
	err := s.holderWrite(ctx, "transferring the ticket", address, r.Secret, func(w *wtx, c ledger.Contract) error {
		seat := r.Ticket.Seat
		t, idx, err := soldTicket(w, c, seat, "transferred")
		if err != nil {
			return err
		}
		if err := ledger.ProveHolding(w.actor, c, seat, t.holding(), r.Secret, r.Sender); err != nil {
			return err
		}
		if err := ledger.CheckIdentity(c.Rules.RequireIdentityVerification, r.Ticket); err != nil {
			return err
		}
		to := s.holders.address(address, t.soldBy, r.To)
		if to == t.holder {
			return ledger.Errorf(ledger.EREFUSED, "Ticket for seat %s is already held by the receiver", seat)
		}
		eff := ledger.TicketTransferredEffect{Sale: c.Sale.Number, From: t.holder, Holder: to,
			ReservedTicket: ledger.NewReservedTicket(idx, t.price, r.Ticket)}
		if err := moveTicket(w, c, t, movedTo{owner: r.To, holder: to, soldBy: t.soldBy}, eff.ReservedTicket); err != nil {
			return err
		}
		rc, err := w.journal(ledger.TxTicketTransferred, address, eff)
		out = ledger.TransferReceipt{Receipt: rc, Price: t.price, From: t.holder, Holder: to}
		return err
	})
	return out, err
}

// holderWrite runs fn as a selling write on the contract at address; or, for a customer
// acting through their wallet link (ledger.WalletActor), as the wallet's write on the
// shared lock, which must then present the ticket's secret: the wallet acts only for the
// holder of the code it keeps (EFORBIDDEN otherwise).
func (s *Resale) holderWrite(ctx context.Context, what, address, secret string, fn func(*wtx, ledger.Contract) error) error {
	a, ok := ledger.ActorFrom(ctx)
	if !ok || !a.Wallet {
		return s.writeContract(ctx, what, address, asSeller, fn)
	}
	if secret == "" {
		return ledger.Errorf(ledger.EFORBIDDEN, "The wallet acts on a ticket only with its code")
	}
	if err := ledger.ValidateAddress(address); err != nil {
		return err
	}
	return s.update(ctx, what, a, address, lockShared, func(w *wtx) error {
		c, err := w.contract(address, lockShared)
		if err != nil {
			return err
		}
		return fn(w, c)
	})
}

// validateMove checks what a transfer or resale gives before it reaches a query: the new
// sealing, the new holder's account and the old one's when given.
func validateMove(t ledger.SealedTicket, to, from string) error {
	if err := t.Seat.Validate(); err != nil {
		return err
	}
	if len(t.SecretDigest) == 0 || len(t.SecretCiphertext) == 0 {
		return ledger.Errorf(ledger.EINVALID, "Ticket for seat %s has no sealed secret", t.Seat)
	}
	if err := ledger.ValidateSender(to); err != nil {
		return err
	}
	if from != "" {
		return ledger.ValidateSender(from)
	}
	return nil
}

// soldTicket reads the sold ticket at seat of the contract's latest sale for a move (what
// names it: "transferred", "offered"): EREFUSED for a free seat, ECONFLICT once it was
// checked in.
func soldTicket(w *wtx, c ledger.Contract, seat ledger.Seat, what string) (heldTicket, int, error) {
	idx, err := seatIndex(w, c.Address, seat)
	if err != nil {
		return heldTicket{}, 0, err
	}
	if c.Sale == nil {
		return heldTicket{}, 0, ledger.Errorf(ledger.EREFUSED, "Seat %s is not sold: no sale has begun", seat)
	}
	t, err := readHeld(w, c.Address, c.Sale.Number, idx)
	switch {
	case err != nil:
		return t, idx, err
	case !t.owner.Valid:
		return t, idx, ledger.Errorf(ledger.EREFUSED, "Seat %s is not sold: there is no ticket to be %s", seat, what)
	case t.checkedIn != 0:
		return t, idx, ledger.Errorf(ledger.ECONFLICT, "Ticket for seat %s was used at the gate and cannot be %s", seat, what)
	}
	t.sale, t.idx = c.Sale.Number, idx
	return t, idx, nil
}

// movedTo is a ticket's new holder: the account, its holder address, the key it counts
// as sold by.
type movedTo struct{ owner, holder, soldBy string }

// moveTicket gives the ticket t (as the transaction read it) its new holder and sealing,
// on the condition that its holder, secret and check-in are still what was read.
func moveTicket(w *wtx, c ledger.Contract, t heldTicket, to movedTo, rt ledger.ReservedTicket) error {
	res, err := w.exec(`UPDATE tickets SET owner = ?, holder = ?, sold_by = ?, secret_ct = ?, secret_digest = ?, name_ct = ?, name_digest = ?
		WHERE contract = ? AND sale = ? AND idx = ? AND owner = ? AND secret_digest = ? AND checked_in_at = 0`,
		to.owner, to.holder, to.soldBy, rt.SecretCiphertext, rt.SecretDigest, rt.NameCiphertext, rt.NameDigest,
		c.Address, t.sale, t.idx, t.owner.String, t.digest)
	return changedUnlessOne(res, err)
}

// SetResaleTerms sets the resale terms of the contract's latest sale: its owner only;
// ECONFLICT before any sale has begun.
func (s *Resale) SetResaleTerms(ctx context.Context, address string, t ledger.ResaleTerms) (ledger.Receipt, error) {
	if err := t.Validate(); err != nil {
		return ledger.Receipt{}, err
	}
	var out ledger.Receipt
	err := s.writeContract(ctx, "setting the resale terms", address, asOwner, func(w *wtx, c ledger.Contract) error {
		if c.Sale == nil {
			return ledger.Errorf(ledger.ECONFLICT, "Contract %s has no sale yet: begin one before setting its resale terms", address)
		}
		_, err := w.exec(`INSERT INTO resale_terms (contract, sale, cap_percent, cap_amount, fee_percent, fee_amount)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (contract, sale) DO UPDATE SET cap_percent = excluded.cap_percent,
			cap_amount = excluded.cap_amount, fee_percent = excluded.fee_percent, fee_amount = excluded.fee_amount`,
			address, c.Sale.Number, t.CapPercent, t.CapAmount, t.FeePercent, t.FeeAmount)
		if err != nil {
			return err
		}
		out, err = w.journal(ledger.TxResaleTermsSet, address, ledger.ResaleTermsEffect{Sale: c.Sale.Number, Terms: t})
		return err
	})
	return out, err
}

// ResaleTerms returns the resale terms of the contract's latest sale (the defaults when
// the organizer set none): for the keys that may sell on it.
func (s *Resale) ResaleTerms(ctx context.Context, address string) (ledger.ResaleTerms, error) {
	c, err := s.sellerContract(ctx, address)
	if err != nil || c.Sale == nil {
		return ledger.ResaleTerms{}, err
	}
	t, err := readTerms(s.reader(ctx), address, c.Sale.Number)
	if err != nil {
		return t, s.internal("reading the resale terms", err)
	}
	return t, nil
}

// sellerContract reads the contract for a key that may sell on it.
func (s *Resale) sellerContract(ctx context.Context, address string) (ledger.Contract, error) {
	actor, err := ledger.Authorize(ctx, asSeller.roles...)
	if err != nil {
		return ledger.Contract{}, err
	}
	c, err := readContract(ctx, s.db, address)
	if err != nil {
		return c, err
	}
	return c, ledger.AuthorizeSeller(actor, c.Owner, address)
}

// readTerms reads a sale's resale terms: the defaults when none were set.
func readTerms(r runner, address string, sale int64) (ledger.ResaleTerms, error) {
	var t ledger.ResaleTerms
	err := r.row(`SELECT cap_percent, cap_amount, fee_percent, fee_amount FROM resale_terms WHERE contract = ? AND sale = ?`,
		address, sale).Scan(&t.CapPercent, &t.CapAmount, &t.FeePercent, &t.FeeAmount)
	if errors.Is(err, sql.ErrNoRows) {
		return ledger.ResaleTerms{}, nil
	}
	return t, err
}

// unixTime is a stored time in unix nanoseconds as a time.Time in UTC.
func unixTime(ns int64) time.Time { return time.Unix(0, ns).UTC() }
