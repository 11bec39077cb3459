package sqlstore

import (
	"context"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Reissue gives a sold ticket of the contract's latest sale (open or ended: its tickets
// stay valid at the gate) the request's freshly sealed secret, for the same holder, in
// one conditional update and its journal row. From that moment the old secret's digest
// no longer matches, so the old QR is refused at the gate. Refused (EREFUSED) for a free
// seat, without proof of holding (see ledger.ProveHolding), and for a ticket already checked in
// (ECONFLICT): the person admitted holds the old code.
func (s *Selling) Reissue(ctx context.Context, address string, r ledger.ReissueRequest) (ledger.ReissueReceipt, error) {
	if err := r.Ticket.Seat.Validate(); err != nil {
		return ledger.ReissueReceipt{}, err
	}
	if len(r.Ticket.SecretDigest) == 0 || len(r.Ticket.SecretCiphertext) == 0 {
		return ledger.ReissueReceipt{}, ledger.Errorf(ledger.EINVALID, "Ticket for seat %s has no sealed secret", r.Ticket.Seat)
	}
	var out ledger.ReissueReceipt
	err := s.writeContract(ctx, "reissuing the ticket", address, asSeller, func(w *wtx, c ledger.Contract) error {
		eff, err := reissue(w, c, r)
		if err != nil {
			return err
		}
		rc, err := w.journal(ledger.TxTicketReissued, address, eff)
		out = ledger.ReissueReceipt{Receipt: rc, Price: eff.Price, Holder: eff.Holder}
		return err
	})
	return out, err
}

func reissue(w *wtx, c ledger.Contract, r ledger.ReissueRequest) (ledger.TicketReissuedEffect, error) {
	seat := r.Ticket.Seat
	idx, err := seatIndex(w, c.Address, seat)
	if err != nil {
		return ledger.TicketReissuedEffect{}, err
	}
	if c.Sale == nil {
		return ledger.TicketReissuedEffect{}, ledger.Errorf(ledger.EREFUSED, "Seat %s is not sold: no sale has begun", seat)
	}
	t, err := readHeld(w, c.Address, c.Sale.Number, idx)
	if err != nil {
		return ledger.TicketReissuedEffect{}, err
	}
	if !t.owner.Valid {
		return ledger.TicketReissuedEffect{}, ledger.Errorf(ledger.EREFUSED, "Seat %s is not sold: there is no ticket to reissue", seat)
	}
	if err := ledger.ProveHolding(w.actor, c, seat, t.holding(), r.Secret, ""); err != nil {
		return ledger.TicketReissuedEffect{}, err
	}
	if t.checkedIn != 0 {
		return ledger.TicketReissuedEffect{}, ledger.Errorf(ledger.ECONFLICT, "Ticket for seat %s was used at the gate and cannot be reissued", seat)
	}
	if err := ledger.CheckIdentity(c.Rules.RequireIdentityVerification, r.Ticket); err != nil {
		return ledger.TicketReissuedEffect{}, err
	}
	eff := ledger.TicketReissuedEffect{Sale: c.Sale.Number, Holder: t.holder, ReservedTicket: ledger.NewReservedTicket(idx, t.price, r.Ticket)}
	res, err := w.exec(`UPDATE tickets SET secret_ct = ?, secret_digest = ?, name_ct = ?, name_digest = ?
		WHERE contract = ? AND sale = ? AND idx = ? AND owner = ? AND secret_digest = ? AND checked_in_at = 0`,
		eff.SecretCiphertext, eff.SecretDigest, eff.NameCiphertext, eff.NameDigest,
		c.Address, c.Sale.Number, idx, t.owner.String, t.digest)
	return eff, changedUnlessOne(res, err)
}
