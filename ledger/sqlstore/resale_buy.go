package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// BuyResale sells an open offer's ticket to the buyer in one transaction: the offer is
// closed as sold by a conditional update of its open row (so of buyers racing for one
// offer exactly one wins; the others find it sold, ECONFLICT), the ticket moves to the
// buyer with its new sealing, its holder address made with the buying key (this key
// sold it), and the seller is credited the price less the sale's release fee. Refused
// in words for an offer withdrawn or sold (ECONFLICT), void because its ticket changed
// since (ECONFLICT), a sealing for another seat (EINVALID), and the seller buying
// (EREFUSED).
func (s *Resale) BuyResale(ctx context.Context, id int64, r ledger.BuyRequest) (ledger.ResaleReceipt, error) {
	if err := ledger.ValidateOfferID(id); err != nil {
		return ledger.ResaleReceipt{}, err
	}
	if err := validateMove(r.Ticket, r.Sender, ""); err != nil {
		return ledger.ResaleReceipt{}, err
	}
	var out ledger.ResaleReceipt
	err := s.onOffer(ctx, "buying the resale offer", id, "", func(w *wtx, c ledger.Contract) error {
		o, t, err := s.buyable(w, c, id, r)
		if err != nil {
			return err
		}
		terms, err := readTerms(w.runner, c.Address, o.sale)
		if err != nil {
			return err
		}
		o.buyerHolder = s.holders.address(c.Address, w.actor.ID(), r.Sender)
		o.fee = terms.Fee(o.price)
		o.credit, o.state, o.closedAt = o.price-o.fee, ledger.OfferSold, w.now.UnixNano()
		res, err := w.exec(`UPDATE resale_offers SET state = ?, buyer_holder = ?, fee = ?, credit = ?, closed_at = ? WHERE id = ? AND state = ?`,
			o.state, o.buyerHolder, o.fee, o.credit, o.closedAt, id, ledger.OfferOpen)
		if err := changedUnlessOne(res, err); err != nil {
			return err
		}
		eff := ledger.ResaleSoldEffect{Offer: id, Sale: o.sale, From: o.sellerHolder, Holder: o.buyerHolder, Paid: o.price, Fee: o.fee,
			Credit: o.credit, ReservedTicket: ledger.NewReservedTicket(o.idx, t.price, r.Ticket)}
		if err := moveTicket(w, c, t, movedTo{owner: r.Sender, holder: o.buyerHolder, soldBy: w.actor.ID()}, eff.ReservedTicket); err != nil {
			return err
		}
		rc, err := w.journal(ledger.TxResaleSold, c.Address, eff)
		out = ledger.ResaleReceipt{Receipt: rc, Offer: o.offer(false), Holder: o.buyerHolder}
		return err
	})
	return out, err
}

// buyable reads the offer and its ticket and refuses what may not be bought (see
// BuyResale).
func (s *Resale) buyable(w *wtx, c ledger.Contract, id int64, r ledger.BuyRequest) (offerRow, heldTicket, error) {
	o, err := readOffer(w.runner, id)
	if err != nil {
		return o, heldTicket{}, err
	}
	if err := o.mayClose(); err != nil {
		return o, heldTicket{}, err
	}
	if r.Ticket.Seat != o.seat {
		return o, heldTicket{}, ledger.Errorf(ledger.EINVALID, "Offer %d is for seat %s, not %s", id, o.seat, r.Ticket.Seat)
	}
	t, err := readHeld(w, c.Address, o.sale, o.idx)
	if err != nil {
		return o, t, err
	}
	t.sale, t.idx = o.sale, o.idx
	if !o.current(c, t) {
		// On PostgreSQL another buyer may have committed between the two reads: the
		// ticket it moved reads changed, the offer it sold open. Read the offer again.
		again, err := readOffer(w.runner, id)
		if err == nil {
			err = again.mayClose()
		}
		if err != nil {
			return again, t, err
		}
		return o, t, errVoid(o, t)
	}
	if r.Sender == t.owner.String {
		return o, t, ledger.Errorf(ledger.EREFUSED, "Offer %d is the buyer's own: withdraw it instead", id)
	}
	return o, t, ledger.CheckIdentity(c.Rules.RequireIdentityVerification, r.Ticket)
}

// ResaleOffer returns the offer, for the keys that may sell on its contract: ENOTFOUND
// for none. An open offer whose ticket changed since reads void.
func (s *Resale) ResaleOffer(ctx context.Context, id int64) (ledger.ResaleOffer, error) {
	if err := ledger.ValidateOfferID(id); err != nil {
		return ledger.ResaleOffer{}, err
	}
	actor, err := ledger.Authorize(ctx, asSeller.roles...)
	if err != nil {
		return ledger.ResaleOffer{}, err
	}
	var o offerRow
	var current bool
	err = s.snapshot(ctx, func(r runner) error {
		if o, err = readOffer(r, id); err != nil {
			return err
		}
		current, err = offerCurrent(r, o)
		return err
	})
	if err != nil {
		return ledger.ResaleOffer{}, s.internal("reading the resale offer", err)
	}
	c, err := readContract(ctx, s.db, o.contract)
	if err == nil {
		err = ledger.AuthorizeSeller(actor, c.Owner, c.Address)
	}
	return o.offer(current), err
}

// offerCurrent reports whether the offer's ticket is still as offered.
func offerCurrent(r runner, o offerRow) (bool, error) {
	c, err := loadContract(r, o.contract)
	if err != nil {
		return false, err
	}
	var t heldTicket
	err = r.row(`SELECT owner, secret_digest, holder, sold_by, paid, checked_in_at FROM tickets WHERE contract = ? AND sale = ? AND idx = ?`,
		o.contract, o.sale, o.idx).Scan(&t.owner, &t.digest, &t.holder, &t.soldBy, &t.price, &t.checkedIn)
	return err == nil && o.current(c, t), err
}

// ResaleOffers lists the open offers of the contract's latest sale whose tickets are
// still as offered, by seat index: for the keys that may sell on it.
func (s *Resale) ResaleOffers(ctx context.Context, address string) ([]ledger.ResaleOffer, error) {
	c, err := s.sellerContract(ctx, address)
	if err != nil || c.Sale == nil {
		return []ledger.ResaleOffer{}, err
	}
	rows, err := s.reader(ctx).rows(`SELECT `+offerColumns+offerFrom+`
		JOIN tickets t ON t.contract = o.contract AND t.sale = o.sale AND t.idx = o.idx
		WHERE o.contract = ? AND o.sale = ? AND o.state = ? AND t.secret_digest = o.secret_digest AND t.holder = o.seller_holder
		AND t.owner IS NOT NULL AND t.checked_in_at = 0 ORDER BY o.idx`, address, c.Sale.Number, ledger.OfferOpen)
	if err != nil {
		return nil, s.internal("listing resale offers", err)
	}
	defer rows.Close()
	out := []ledger.ResaleOffer{}
	for rows.Next() {
		o, err := scanOffer(rows)
		if err != nil {
			return nil, s.internal("listing resale offers", err)
		}
		out = append(out, o.offer(true))
	}
	return out, s.internalIf("listing resale offers", rows.Err())
}

// ResaleCredits lists what the contract's sold offers owe their sellers, oldest sale
// first: for the contract's owner (and the administrator) only, since it names the
// sellers' accounts.
func (s *Resale) ResaleCredits(ctx context.Context, address string) ([]ledger.ResaleCredit, error) {
	actor, err := ledger.Authorize(ctx, ledger.RoleOrganizer)
	if err != nil {
		return nil, err
	}
	c, err := readContract(ctx, s.db, address)
	if err != nil {
		return nil, err
	}
	if err := ledger.AuthorizeOwner(actor, c.Owner, address); err != nil {
		return nil, err
	}
	rows, err := s.reader(ctx).rows(`SELECT `+offerColumns+offerFrom+` WHERE o.contract = ? AND o.state = ? ORDER BY o.closed_at, o.id`,
		address, ledger.OfferSold)
	if err != nil {
		return nil, s.internal("listing resale credits", err)
	}
	defer rows.Close()
	out := []ledger.ResaleCredit{}
	for rows.Next() {
		o, err := scanOffer(rows)
		if err != nil {
			return nil, s.internal("listing resale credits", err)
		}
		out = append(out, ledger.ResaleCredit{Offer: o.id, Sale: o.sale, Seat: o.seat, Account: o.seller, Seller: o.sellerHolder,
			Price: o.price, Fee: o.fee, Credit: o.credit, Sold: unixTime(o.closedAt)})
	}
	return out, s.internalIf("listing resale credits", rows.Err())
}

// internalIf is s.internal for a non-nil err, nil otherwise.
func (s *Resale) internalIf(what string, err error) error {
	if err == nil {
		return nil
	}
	return s.internal(what, err)
}

// TicketHolder returns the account holding the sold ticket at seat of the contract's
// latest sale, for a key that may act for its holder (the administrator, the contract's
// owner, the key that sold it): EREFUSED otherwise and for a free seat, in the words of
// ledger.ProveHolding, so a stranger learns nothing of the holder.
func (s *Resale) TicketHolder(ctx context.Context, address string, seat ledger.Seat) (string, error) {
	if err := seat.Validate(); err != nil {
		return "", err
	}
	c, err := s.sellerContract(ctx, address)
	if err != nil {
		return "", err
	}
	actor, _ := ledger.ActorFrom(ctx)
	var t heldTicket
	err = s.reader(ctx).row(`SELECT t.owner, t.sold_by FROM tickets t JOIN seats s ON s.contract = t.contract AND s.idx = t.idx
		WHERE t.contract = ? AND t.sale = ? AND s.section = ? AND s.number = ? AND s.letter = ?`,
		address, saleNumber(c), seat.Section, seat.Number, seat.Letter).Scan(&t.owner, &t.soldBy)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ledger.ErrNoSuchSeat(seat)
	}
	if err != nil {
		return "", s.internal("reading the ticket's holder", err)
	}
	if !t.owner.Valid {
		return "", ledger.Errorf(ledger.EREFUSED, "Seat %s is not sold: there is no ticket", seat)
	}
	if err := ledger.ProveHolding(actor, c, seat, ledger.Holding{Sold: true, SoldBy: t.soldBy}, "", ""); err != nil {
		return "", err
	}
	return t.owner.String, nil
}

// saleNumber is the number of the contract's latest sale, 0 before any.
func saleNumber(c ledger.Contract) int64 {
	if c.Sale == nil {
		return 0
	}
	return c.Sale.Number
}
