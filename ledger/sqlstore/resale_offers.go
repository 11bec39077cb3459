package sqlstore

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"encoding/hex"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// OfferResale offers a sold ticket of the contract's latest sale, not checked in, for
// resale at the request's price: proven held as for a transfer, at a price no higher than
// the sale's resale cap (EREFUSED above it), and not while the ticket is already offered
// under its current secret (ECONFLICT).
func (s *Resale) OfferResale(ctx context.Context, address string, r ledger.OfferRequest) (ledger.ResaleOffer, error) {
	if err := validateOffer(r); err != nil {
		return ledger.ResaleOffer{}, err
	}
	var out ledger.ResaleOffer
	err := s.holderWrite(ctx, "offering the ticket for resale", address, r.Secret, func(w *wtx, c ledger.Contract) error {
		t, idx, err := soldTicket(w, c, r.Seat, "offered")
		if err != nil {
			return err
		}
		if err := ledger.ProveHolding(w.actor, c, r.Seat, t.holding(), r.Secret, r.Sender); err != nil {
			return err
		}
		if err := checkOfferable(w, c, t, r); err != nil {
			return err
		}
		o := offerRow{id: newCustomerID(), contract: address, sale: c.Sale.Number, idx: idx, seat: r.Seat, seller: t.owner.String,
			sellerHolder: t.holder, sellerSoldBy: t.soldBy, digest: t.digest, face: t.price, price: r.Price,
			state: ledger.OfferOpen, createdBy: w.actor.ID(), createdAt: w.now.UnixNano()}
		if err := insertOffer(w, o); err != nil {
			return err
		}
		_, err = w.journal(ledger.TxResaleOffered, address, ledger.ResaleOfferedEffect{Offer: o.id, Sale: o.sale, Index: idx,
			Seat: r.Seat, Holder: o.sellerHolder, Price: o.price, SecretDigest: o.digest})
		out = o.offer(true)
		return err
	})
	return out, err
}

func validateOffer(r ledger.OfferRequest) error {
	if err := r.Seat.Validate(); err != nil {
		return err
	}
	if r.Price < 0 {
		return ledger.Errorf(ledger.EINVALID, "A resale price must not be negative")
	}
	if r.Sender != "" {
		return ledger.ValidateSender(r.Sender)
	}
	return nil
}

// checkOfferable refuses a price above the sale's cap and a ticket already offered under
// its current secret.
func checkOfferable(w *wtx, c ledger.Contract, t heldTicket, r ledger.OfferRequest) error {
	terms, err := readTerms(w.runner, c.Address, c.Sale.Number)
	if err != nil {
		return err
	}
	if limit := terms.Cap(t.price); r.Price > limit {
		return ledger.Errorf(ledger.EREFUSED, "A resale price of %d for seat %s is above the organizer's cap of %d", r.Price, r.Seat, limit)
	}
	var open int64
	err = w.row(`SELECT id FROM resale_offers WHERE contract = ? AND sale = ? AND idx = ? AND secret_digest = ? AND state = ?`,
		c.Address, t.sale, t.idx, t.digest, ledger.OfferOpen).Scan(&open)
	switch {
	case err == nil:
		return ledger.Errorf(ledger.ECONFLICT, "Ticket for seat %s is already offered for resale (offer %d)", r.Seat, open)
	case errors.Is(err, sql.ErrNoRows):
		return nil
	}
	return err
}

// WithdrawResale withdraws an open offer: by the ticket's secret as offered, by a key that
// may act for its seller, or by the key that made it. ECONFLICT once withdrawn or sold.
func (s *Resale) WithdrawResale(ctx context.Context, id int64, r ledger.WithdrawRequest) (ledger.ResaleOffer, error) {
	if err := ledger.ValidateOfferID(id); err != nil {
		return ledger.ResaleOffer{}, err
	}
	var out ledger.ResaleOffer
	err := s.onOffer(ctx, "withdrawing the resale offer", id, r.Secret, func(w *wtx, c ledger.Contract) error {
		o, err := readOffer(w.runner, id)
		if err != nil {
			return err
		}
		if err := o.mayClose(); err != nil {
			return err
		}
		if err := o.mayWithdraw(w.actor, c, r); err != nil {
			return err
		}
		res, err := w.exec(`UPDATE resale_offers SET state = ?, closed_at = ? WHERE id = ? AND state = ?`,
			ledger.OfferWithdrawn, w.now.UnixNano(), id, ledger.OfferOpen)
		if err := changedUnlessOne(res, err); err != nil {
			return err
		}
		o.state, o.closedAt = ledger.OfferWithdrawn, w.now.UnixNano()
		_, err = w.journal(ledger.TxResaleWithdrawn, c.Address, ledger.ResaleWithdrawnEffect{Offer: id, Sale: o.sale})
		out = o.offer(false)
		return err
	})
	return out, err
}

// mayWithdraw checks the actor's right to withdraw the offer (see WithdrawResale).
func (o offerRow) mayWithdraw(a ledger.Actor, c ledger.Contract, r ledger.WithdrawRequest) error {
	if r.Secret == "" && a.ID() == o.createdBy {
		return nil
	}
	digest, _ := hex.DecodeString(o.digest) // nil when damaged: no secret then proves holding
	held := ledger.Holding{Sold: true, Sender: o.seller, SecretDigest: digest, SoldBy: o.sellerSoldBy}
	return ledger.ProveHolding(a, c, o.seat, held, r.Secret, r.Sender)
}

// mayClose refuses an offer that is no longer open.
func (o offerRow) mayClose() error {
	switch o.state {
	case ledger.OfferWithdrawn:
		return ledger.Errorf(ledger.ECONFLICT, "Offer %d was withdrawn", o.id)
	case ledger.OfferSold:
		return ledger.Errorf(ledger.ECONFLICT, "Offer %d is already sold", o.id)
	}
	return nil
}

// onOffer runs fn as one selling write on the contract of the offer (holderWrite: the
// wallet with the ticket's secret too).
func (s *Resale) onOffer(ctx context.Context, what string, id int64, secret string, fn func(*wtx, ledger.Contract) error) error {
	var address string
	err := s.reader(ctx).row(`SELECT contract FROM resale_offers WHERE id = ?`, id).Scan(&address)
	if errors.Is(err, sql.ErrNoRows) {
		return errNoOffer(id)
	}
	if err != nil {
		return s.internal(what, err)
	}
	return s.holderWrite(ctx, what, address, secret, fn)
}

func errNoOffer(id int64) error { return ledger.Errorf(ledger.ENOTFOUND, "No resale offer %d", id) }

// offerRow is a resale_offers row with its seat.
type offerRow struct {
	id                                 int64
	contract                           string
	sale                               int64
	idx                                int
	seat                               ledger.Seat
	seller, sellerHolder, sellerSoldBy string
	digest                             string
	face, price                        int64
	state, createdBy                   string
	createdAt                          int64
	buyerHolder                        string
	fee, credit, closedAt              int64
}

// offer is the row as the API shows it; current tells whether its ticket still holds the
// secret it was offered with, unchecked (an open offer whose ticket changed reads void).
func (o offerRow) offer(current bool) ledger.ResaleOffer {
	out := ledger.ResaleOffer{ID: o.id, Contract: o.contract, Sale: o.sale, Seat: o.seat, FaceValue: o.face, Price: o.price,
		State: o.state, Seller: o.sellerHolder, Buyer: o.buyerHolder, Fee: o.fee, Credit: o.credit, Offered: unixTime(o.createdAt)}
	if o.state == ledger.OfferOpen && !current {
		out.State = ledger.OfferVoid
	}
	if o.closedAt != 0 {
		closed := unixTime(o.closedAt)
		out.Closed = &closed
	}
	return out
}

// insertOffer adds the offer. On PostgreSQL two offers of the same ticket may both pass
// checkOfferable and meet at the unique index of open offers, the second once the first
// commits: that is the same conflict as checkOfferable's, in the same words.
func insertOffer(w *wtx, o offerRow) error {
	_, err := w.exec(`INSERT INTO resale_offers (id, contract, sale, idx, seller, seller_holder, seller_sold_by, secret_digest, face, price,
		state, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		o.id, o.contract, o.sale, o.idx, o.seller, o.sellerHolder, o.sellerSoldBy, o.digest, o.face, o.price, o.state, o.createdBy, o.createdAt)
	if uniqueViolation(err) {
		return ledger.Errorf(ledger.ECONFLICT, "Ticket for seat %s is already offered for resale", o.seat)
	}
	return err
}

// uniqueViolation reports whether err is a unique index refusing a row: PostgreSQL's
// unique_violation (23505), SQLite's "UNIQUE constraint failed".
func uniqueViolation(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "23505"
	}
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// offerColumns are what scanOffer reads, the offer o joined with its seat s.
const offerColumns = `o.id, o.contract, o.sale, o.idx, s.section, s.number, s.letter, o.seller, o.seller_holder, o.seller_sold_by,
	o.secret_digest, o.face, o.price, o.state, o.created_by, o.created_at, o.buyer_holder, o.fee, o.credit, o.closed_at`

const offerFrom = ` FROM resale_offers o JOIN seats s ON s.contract = o.contract AND s.idx = o.idx`

func scanOffer(row scanner) (offerRow, error) {
	var o offerRow
	err := row.Scan(&o.id, &o.contract, &o.sale, &o.idx, &o.seat.Section, &o.seat.Number, &o.seat.Letter, &o.seller, &o.sellerHolder,
		&o.sellerSoldBy, &o.digest, &o.face, &o.price, &o.state, &o.createdBy, &o.createdAt, &o.buyerHolder, &o.fee, &o.credit, &o.closedAt)
	return o, err
}

// readOffer reads the offer: ENOTFOUND for none.
func readOffer(r runner, id int64) (offerRow, error) {
	o, err := scanOffer(r.row(`SELECT `+offerColumns+offerFrom+` WHERE o.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return o, errNoOffer(id)
	}
	return o, err
}

// current reports whether the offer's ticket is still as offered: sold to its seller
// under the secret it was offered with, in the contract's latest sale, not checked in.
func (o offerRow) current(c ledger.Contract, t heldTicket) bool {
	return c.Sale != nil && c.Sale.Number == o.sale && t.owner.Valid && t.checkedIn == 0 &&
		subtle.ConstantTimeCompare([]byte(t.digest), []byte(o.digest)) == 1 && t.holder == o.sellerHolder
}

// errVoid is the refusal of an offer whose ticket changed since it was offered.
func errVoid(o offerRow, t heldTicket) error {
	if t.checkedIn != 0 {
		return ledger.Errorf(ledger.ECONFLICT, "Offer %d is void: its ticket for seat %s was used at the gate", o.id, o.seat)
	}
	return ledger.Errorf(ledger.ECONFLICT, "Offer %d is void: its ticket for seat %s was reissued, transferred or released since it was offered",
		o.id, o.seat)
}
