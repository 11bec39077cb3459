package sqlstore

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// The replay of transfers and resale (see verify_state.go): a transfer or a resale moves
// a sold ticket, not checked in, from the holder the journal last gave it to the next,
// with a new sealing, so the journal shows each ticket's chain of holders. An offer must
// be of a ticket its seller holds, at no more than the sale's cap then; a withdrawal or
// sale closes an open offer; a sale must find the ticket as offered and charge the
// sale's release fee then.

// projOffer is what the journal says of an offer.
type projOffer struct {
	sale                          int64
	idx                           int
	holder, soldBy, digest, actor string
	face, price                   int64
	state                         string
	offered, closed               int64
	buyer                         string
	fee, credit                   int64
	seen                          bool
}

// resale replays one transaction of transfers and resale.
func (c *projContract) resale(rep *ledger.VerifyReport, seq int64, hash string, b ledger.TxBody) error {
	switch b.Kind {
	case ledger.TxTicketTransferred:
		return c.transferTicket(rep, seq, hash, b)
	case ledger.TxResaleTermsSet:
		var e ledger.ResaleTermsEffect
		if err := json.Unmarshal(b.Effect, &e); err != nil {
			return err
		}
		if s := c.sale(rep, seq, hash, b, e.Sale); s != nil {
			s.terms, s.termsSet = e.Terms, true
		}
		return nil
	case ledger.TxResaleOffered:
		return c.offer(rep, seq, hash, b)
	case ledger.TxResaleWithdrawn:
		var e ledger.ResaleWithdrawnEffect
		if err := json.Unmarshal(b.Effect, &e); err != nil {
			return err
		}
		if o := c.openOffer(rep, seq, hash, b, e.Offer); o != nil {
			o.state, o.closed = ledger.OfferWithdrawn, b.Time
		}
		return nil
	}
	return c.resold(rep, seq, hash, b)
}

// movable returns the sale's ticket at idx when the holder holds it, unchecked; it
// reports the transaction otherwise.
func (c *projContract) movable(rep *ledger.VerifyReport, seq int64, hash string, b ledger.TxBody, sale int64, idx int, holder string) *projTicket {
	s := c.sale(rep, seq, hash, b, sale)
	if s == nil {
		return nil
	}
	t := s.ticket(rep, seq, hash, b, idx)
	switch {
	case t == nil:
	case !t.sold || t.holder != holder:
		problem(rep, "transaction %d (%s): %s of seat index %d of contract %s, which its holder does not hold", seq, hash, b.Kind, idx, b.Contract)
	case t.checkedIn != 0:
		problem(rep, "transaction %d (%s): %s of seat index %d of contract %s, which was checked in", seq, hash, b.Kind, idx, b.Contract)
	default:
		return t
	}
	return nil
}

// transferTicket replays a transfer: the new holder and sealing, the same selling key.
func (c *projContract) transferTicket(rep *ledger.VerifyReport, seq int64, hash string, b ledger.TxBody) error {
	var e ledger.TicketTransferredEffect
	if err := json.Unmarshal(b.Effect, &e); err != nil {
		return err
	}
	if t := c.movable(rep, seq, hash, b, e.Sale, e.Index, e.From); t != nil {
		t.holder, t.ownerKnown = e.Holder, false
		t.setSealing(e.ReservedTicket)
	}
	return nil
}

// offer replays an offer: of a ticket its seller holds under the secret named, at no
// more than the sale's cap.
func (c *projContract) offer(rep *ledger.VerifyReport, seq int64, hash string, b ledger.TxBody) error {
	var e ledger.ResaleOfferedEffect
	if err := json.Unmarshal(b.Effect, &e); err != nil {
		return err
	}
	if c.offers == nil {
		c.offers = map[int64]*projOffer{}
	}
	if c.offers[e.Offer] != nil {
		problem(rep, "transaction %d (%s): makes offer %d a second time", seq, hash, e.Offer)
		return nil
	}
	t := c.movable(rep, seq, hash, b, e.Sale, e.Index, e.Holder)
	if t == nil {
		return nil
	}
	if t.secretDigest != e.SecretDigest {
		problem(rep, "transaction %d (%s): offers seat index %d of contract %s under a secret it does not have", seq, hash, e.Index, b.Contract)
	}
	if limit := c.sales[e.Sale].terms.Cap(t.paid); e.Price > limit {
		problem(rep, "transaction %d (%s): offers seat index %d of contract %s at %d, above the cap of %d", seq, hash, e.Index, b.Contract, e.Price, limit)
	}
	c.offers[e.Offer] = &projOffer{sale: e.Sale, idx: e.Index, holder: e.Holder, soldBy: t.soldBy, digest: e.SecretDigest, actor: b.Actor,
		face: t.paid, price: e.Price, state: ledger.OfferOpen, offered: b.Time}
	return nil
}

// openOffer returns the open offer, or reports that the journal never made it or closed it.
func (c *projContract) openOffer(rep *ledger.VerifyReport, seq int64, hash string, b ledger.TxBody, id int64) *projOffer {
	o := c.offers[id]
	switch {
	case o == nil:
		problem(rep, "transaction %d (%s): %s of offer %d, which the journal never made on contract %s", seq, hash, b.Kind, id, b.Contract)
	case o.state != ledger.OfferOpen:
		problem(rep, "transaction %d (%s): %s of offer %d, which was %s before", seq, hash, b.Kind, id, o.state)
	default:
		return o
	}
	return nil
}

// resold replays a resale: an open offer whose ticket is as offered, the sale's fee, the
// buyer as the new holder, sold by the buying key.
func (c *projContract) resold(rep *ledger.VerifyReport, seq int64, hash string, b ledger.TxBody) error {
	var e ledger.ResaleSoldEffect
	if err := json.Unmarshal(b.Effect, &e); err != nil {
		return err
	}
	o := c.openOffer(rep, seq, hash, b, e.Offer)
	if o == nil {
		return nil
	}
	t := c.movable(rep, seq, hash, b, o.sale, o.idx, o.holder)
	if t == nil {
		return nil
	}
	fee := c.sales[o.sale].terms.Fee(o.price)
	if t.secretDigest != o.digest || e.From != o.holder || e.Index != o.idx || e.Paid != o.price || e.Fee != fee || e.Credit != o.price-fee {
		problem(rep, "transaction %d (%s): sells offer %d other than it was made, or at another fee than the sale's", seq, hash, e.Offer)
	}
	o.state, o.closed, o.buyer, o.fee, o.credit = ledger.OfferSold, b.Time, e.Holder, e.Fee, e.Credit
	t.holder, t.soldBy, t.ownerKnown = e.Holder, b.Actor, false
	t.setSealing(e.ReservedTicket)
	return nil
}

// compareResale checks the resale_terms and resale_offers tables against the journal.
func compareResale(r runner, rep *ledger.VerifyReport, p *projection) error {
	if err := compareResaleTerms(r, rep, p); err != nil {
		return err
	}
	rows, err := r.rows(`SELECT id, contract, sale, idx, seller, seller_holder, seller_sold_by, secret_digest, face, price, state,
		created_by, created_at, buyer_holder, fee, credit, closed_at FROM resale_offers ORDER BY id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var o offerRow
		if err := rows.Scan(&o.id, &o.contract, &o.sale, &o.idx, &o.seller, &o.sellerHolder, &o.sellerSoldBy, &o.digest, &o.face, &o.price,
			&o.state, &o.createdBy, &o.createdAt, &o.buyerHolder, &o.fee, &o.credit, &o.closedAt); err != nil {
			return err
		}
		compareOffer(rep, p, o)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, address := range sortedKeys(p.contracts) {
		for _, id := range slices.Sorted(maps.Keys(p.contracts[address].offers)) {
			if !p.contracts[address].offers[id].seen {
				problem(rep, "offer %d: made by the journal, missing from the resale_offers table", id)
			}
		}
	}
	return nil
}

func compareOffer(rep *ledger.VerifyReport, p *projection, o offerRow) {
	where := fmt.Sprintf("offer %d", o.id)
	var want *projOffer
	if c := p.contracts[o.contract]; c != nil {
		want = c.offers[o.id]
	}
	if want == nil {
		problem(rep, "%s: in the resale_offers table, never made by the journal", where)
		return
	}
	want.seen = true
	differ(rep, where, "sale", o.sale, want.sale)
	differ(rep, where, "idx", o.idx, want.idx)
	differ(rep, where, "seller_holder", o.sellerHolder, want.holder)
	differ(rep, where, "seller_sold_by", o.sellerSoldBy, want.soldBy)
	if ledger.HolderAddress(p.holderKey, o.contract, o.sellerSoldBy, o.seller) != want.holder {
		problem(rep, "%s: seller is not the sender of holder %s in the journal", where, want.holder)
	}
	differ(rep, where, "secret_digest", o.digest, want.digest)
	differ(rep, where, "face", o.face, want.face)
	differ(rep, where, "price", o.price, want.price)
	differ(rep, where, "state", o.state, want.state)
	differ(rep, where, "created_by", o.createdBy, want.actor)
	differ(rep, where, "created_at", o.createdAt, want.offered)
	differ(rep, where, "buyer_holder", o.buyerHolder, want.buyer)
	differ(rep, where, "fee", o.fee, want.fee)
	differ(rep, where, "credit", o.credit, want.credit)
	differ(rep, where, "closed_at", o.closedAt, want.closed)
}

// compareResaleTerms checks the resale_terms table against the terms the journal set.
func compareResaleTerms(r runner, rep *ledger.VerifyReport, p *projection) error {
	rows, err := r.rows(`SELECT contract, sale, cap_percent, cap_amount, fee_percent, fee_amount FROM resale_terms ORDER BY contract, sale`)
	if err != nil {
		return err
	}
	defer rows.Close()
	seen := map[*projSale]bool{}
	for rows.Next() {
		var address string
		var sale int64
		var t ledger.ResaleTerms
		if err := rows.Scan(&address, &sale, &t.CapPercent, &t.CapAmount, &t.FeePercent, &t.FeeAmount); err != nil {
			return err
		}
		where := fmt.Sprintf("contract %s sale %d", address, sale)
		s := p.sale(address, sale)
		if s == nil || !s.termsSet {
			problem(rep, "%s: resale terms in the table, never set by the journal", where)
			continue
		}
		seen[s] = true
		differ(rep, where, "resale terms", t, s.terms)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, address := range sortedKeys(p.contracts) {
		for n, s := range p.contracts[address].sales {
			if s.termsSet && !seen[s] {
				problem(rep, "contract %s sale %d: resale terms set by the journal, missing from the resale_terms table", address, n)
			}
		}
	}
	return nil
}
