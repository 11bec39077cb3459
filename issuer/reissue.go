package issuer

import (
	"context"
	"strings"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// ReissueRequest asks for a sold ticket's new secret and keys: the seat, the ticket's
// current secret when the asker holds it (without it only the contract's owner and the
// key that sold the ticket may reissue), and under the identity policy the purchaser's
// name, sealed afresh for the gate (the old name's key is not stored, so it must be given
// again).
type ReissueRequest struct {
	Seat         ledger.Seat `json:"seat"`
	Secret       string      `json:"secret,omitempty"`
	CustomerName string      `json:"customerName,omitempty"`
}

// Reissue seals a fresh secret for the seat (and the name under the identity policy),
// has the ledger replace the ticket's sealing, and returns the ticket as a purchase of
// one ticket with its QR text. Refusals come from the ledger (see ledger.Seller).
func (i *Issuer) Reissue(ctx context.Context, address string, r ReissueRequest) (Purchase, error) {
	if err := r.Seat.Validate(); err != nil {
		return Purchase{}, err
	}
	return i.underPolicy(ctx, address, func(required bool) (Purchase, error) {
		return i.reissue(ctx, address, r, required)
	})
}

func (i *Issuer) reissue(ctx context.Context, address string, r ReissueRequest, identityRequired bool) (Purchase, error) {
	p := Purchase{Contract: address, TicketsPerQR: 1}
	if identityRequired && strings.TrimSpace(r.CustomerName) != "" {
		if err := ledger.ValidateCustomerName(r.CustomerName); err != nil {
			return Purchase{}, err
		}
		p.CustomerName = r.CustomerName
	}
	sealed, issued, err := seal(r.Seat, p.CustomerName)
	if err != nil {
		return Purchase{}, err
	}
	rc, err := i.Ledger.Reissue(ctx, address, ledger.ReissueRequest{Secret: r.Secret, Ticket: sealed})
	if err != nil {
		return Purchase{}, err
	}
	issued.Price = rc.Price
	p.TransactionHash, p.Height, p.Holder, p.Tickets = rc.TransactionHash, rc.Height, rc.Holder, []IssuedTicket{issued}
	p.QR, err = QRTexts(p.Tickets, 1)
	return p, err
}
