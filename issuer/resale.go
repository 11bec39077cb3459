package issuer

import (
	"context"
	"strings"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Reseller moves sold tickets to new holders with fresh secrets and keys: transfers and
// the purchase of resale offers. The issuer implements it in-process over the ledger's
// Resale, the HTTP client remotely.
type Reseller interface {
	// Transfer moves a ticket to the receiver and returns it as a purchase of that one
	// ticket, sealed afresh: its old QR is refused from then on.
	Transfer(ctx context.Context, address string, r TransferRequest) (Purchase, error)
	// BuyResale buys an open offer for the buyer and returns the ticket sealed afresh,
	// with the offer as it closed.
	BuyResale(ctx context.Context, offer int64, r BuyRequest) (Resold, error)
}

// TransferRequest moves the ticket at Seat to the account To (a customer's
// ledger.BookingSender). Holding is proven by the ticket's Secret, or by a key that may
// act for its holder (Sender, the holder's account, checked when given). Under the
// identity policy CustomerName is the receiver's name, sealed into the ticket for the
// gate.
type TransferRequest struct {
	Seat         ledger.Seat `json:"seat"`
	Secret       string      `json:"secret,omitempty"`
	Sender       string      `json:"sender,omitempty"`
	To           string      `json:"to"`
	CustomerName string      `json:"customerName,omitempty"`
}

// BuyRequest buys an offer for Sender, the buyer's account; under the identity policy
// CustomerName is the buyer's name.
type BuyRequest struct {
	Sender       string `json:"sender"`
	CustomerName string `json:"customerName,omitempty"`
}

// Resold is a bought offer: the offer as it closed (sold, with its fee and the seller's
// credit) and the ticket as the buyer's purchase.
type Resold struct {
	Offer    ledger.ResaleOffer `json:"offer"`
	Purchase Purchase           `json:"purchase"`
}

var _ Reseller = (*Issuer)(nil)

// Transfer seals a fresh secret for the seat (and the receiver's name under the identity
// policy) and has the ledger move the ticket. Refusals come from the ledger (see
// ledger.Resale); EINTERNAL when the issuer was made without Resale.
func (i *Issuer) Transfer(ctx context.Context, address string, r TransferRequest) (Purchase, error) {
	if err := r.Seat.Validate(); err != nil {
		return Purchase{}, err
	}
	if i.Resale == nil {
		return Purchase{}, ledger.Errorf(ledger.EINTERNAL, "the issuer was made without the ledger's resale side")
	}
	return i.underPolicy(ctx, address, func(required bool) (Purchase, error) {
		p, sealed, err := sealOne(address, r.Seat, r.CustomerName, required)
		if err != nil {
			return Purchase{}, err
		}
		rc, err := i.Resale.Transfer(ctx, address, ledger.TransferRequest{Secret: r.Secret, Sender: r.Sender, To: r.To, Ticket: sealed})
		if err != nil {
			return Purchase{}, err
		}
		p.Sender, p.Tickets[0].Price = r.To, rc.Price
		return p.committed(rc.Receipt, rc.Holder)
	})
}

// BuyResale reads the offer (for its contract and seat), seals a fresh secret for the
// seat (and the buyer's name under the identity policy) and has the ledger sell the
// offer to the buyer. The purchase's total is the offer's price.
func (i *Issuer) BuyResale(ctx context.Context, offer int64, r BuyRequest) (Resold, error) {
	if i.Resale == nil {
		return Resold{}, ledger.Errorf(ledger.EINTERNAL, "the issuer was made without the ledger's resale side")
	}
	o, err := i.Resale.ResaleOffer(ctx, offer)
	if err != nil {
		return Resold{}, err
	}
	var out Resold
	_, err = i.underPolicy(ctx, o.Contract, func(required bool) (Purchase, error) {
		p, sealed, err := sealOne(o.Contract, o.Seat, r.CustomerName, required)
		if err != nil {
			return Purchase{}, err
		}
		rc, err := i.Resale.BuyResale(ctx, offer, ledger.BuyRequest{Sender: r.Sender, Ticket: sealed})
		if err != nil {
			return Purchase{}, err
		}
		p.Sender, p.Total, p.Tickets[0].Price = r.Sender, rc.Offer.Price, o.FaceValue
		out.Offer = rc.Offer
		out.Purchase, err = p.committed(rc.Receipt, rc.Holder)
		return out.Purchase, err
	})
	return out, err
}

// sealOne seals a fresh secret for one seat, with the name when the identity policy
// requires one (refused in words when it is missing), as a purchase of that one ticket
// not yet committed.
func sealOne(address string, seat ledger.Seat, name string, identityRequired bool) (Purchase, ledger.SealedTicket, error) {
	p := Purchase{Contract: address, TicketsPerQR: 1}
	if identityRequired && strings.TrimSpace(name) != "" {
		if err := ledger.ValidateCustomerName(name); err != nil {
			return p, ledger.SealedTicket{}, err
		}
		p.CustomerName = name
	}
	sealed, issued, err := seal(seat, p.CustomerName)
	p.Tickets = []IssuedTicket{issued}
	return p, sealed, err
}

// committed completes a purchase of one ticket with its transaction and holder, and its
// QR text.
func (p Purchase) committed(rc ledger.Receipt, holder string) (Purchase, error) {
	p.TransactionHash, p.Height, p.Holder = rc.TransactionHash, rc.Height, holder
	var err error
	p.QR, err = QRTexts(p.Tickets, 1)
	return p, err
}
