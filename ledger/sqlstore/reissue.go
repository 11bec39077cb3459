package sqlstore

import (
	"context"
	"encoding/hex"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// ticketReissued is the journal's record of a reissue: the ticket's new sealing, for the
// same seat, price and holder (its pseudonymous address).
type ticketReissued struct {
	Sale   int64  `json:"sale"`
	Holder string `json:"holder"`
	reservedTicket
}

// Reissue gives a sold ticket of the contract's latest sale (open or ended: its tickets
// stay valid at the gate) the request's freshly sealed secret, for the same holder, in
// one conditional update and its journal row. From that moment the old secret's digest
// no longer matches, so the old QR is refused at the gate. Refused (EREFUSED) for a free
// seat, without proof of holding (see proveHolding), and for a ticket already checked in
// (ECONFLICT): the person admitted holds the old code.
func (s *Store) Reissue(ctx context.Context, address string, r ledger.ReissueRequest) (ledger.ReissueReceipt, error) {
	if err := r.Ticket.Seat.Validate(); err != nil {
		return ledger.ReissueReceipt{}, err
	}
	if len(r.Ticket.SecretDigest) == 0 || len(r.Ticket.SecretCiphertext) == 0 {
		return ledger.ReissueReceipt{}, ledger.Errorf(ledger.EINVALID, "Ticket for seat %s has no sealed secret", r.Ticket.Seat)
	}
	var out ledger.ReissueReceipt
	err := s.sell(ctx, "reissuing the ticket", address, func(w *wtx, c ledger.Contract) error {
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

func reissue(w *wtx, c ledger.Contract, r ledger.ReissueRequest) (ticketReissued, error) {
	seat := r.Ticket.Seat
	idx, err := seatIndex(w, c.Address, seat)
	if err != nil {
		return ticketReissued{}, err
	}
	if c.Sale == nil {
		return ticketReissued{}, ledger.Errorf(ledger.EREFUSED, "Seat %s is not sold: no sale has begun", seat)
	}
	t, err := readHeld(w, c.Address, c.Sale.Number, idx)
	if err != nil {
		return ticketReissued{}, err
	}
	if !t.owner.Valid {
		return ticketReissued{}, ledger.Errorf(ledger.EREFUSED, "Seat %s is not sold: there is no ticket to reissue", seat)
	}
	if err := proveHolding(w.actor, c, seat, t, r.Secret, ""); err != nil {
		return ticketReissued{}, err
	}
	if t.checkedIn != 0 {
		return ticketReissued{}, ledger.Errorf(ledger.ECONFLICT, "Ticket for seat %s was used at the gate and cannot be reissued", seat)
	}
	if err := ledger.CheckIdentity(c.Rules.RequireIdentityVerification, r.Ticket); err != nil {
		return ticketReissued{}, err
	}
	nt := r.Ticket
	eff := ticketReissued{Sale: c.Sale.Number, Holder: t.holder, reservedTicket: reservedTicket{Index: idx, Seat: seat,
		Price: t.price, SecretDigest: hex.EncodeToString(nt.SecretDigest), SecretCiphertext: hex.EncodeToString(nt.SecretCiphertext),
		NameCiphertext: hex.EncodeToString(nt.NameCiphertext), NameDigest: hex.EncodeToString(nt.NameDigest)}}
	res, err := w.exec(`UPDATE tickets SET secret_ct = ?, secret_digest = ?, name_ct = ?, name_digest = ?
		WHERE contract = ? AND sale = ? AND idx = ? AND owner = ? AND secret_digest = ? AND checked_in_at = 0`,
		eff.SecretCiphertext, eff.SecretDigest, eff.NameCiphertext, eff.NameDigest,
		c.Address, c.Sale.Number, idx, t.owner.String, t.digest)
	return eff, changedUnlessOne(res, err)
}
