package issuer

import (
	"context"
	"strings"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Prepared is a purchase sealed but not yet sold: the order the ledger will get
// (ciphertexts and digests only) and the purchase as its holder will keep it, with the
// keys and QR texts but no transaction, height or prices yet. A batch writes the QR texts
// down before it has the order sold, so no sale ever exists whose keys exist nowhere.
type Prepared struct {
	Order    ledger.Order
	Purchase Purchase
}

// PreparedSeller sells purchases prepared (and written down) beforehand: the Issuer
// in-process, the HTTP client remotely.
type PreparedSeller interface {
	// Sell has the ledger sell the prepared order, all or nothing, and returns the
	// purchase completed with its transaction, height and prices. An error leaves the
	// order unsold, except when the answer was lost on the way (check the ticket list).
	Sell(ctx context.Context, address string, p Prepared) (Purchase, error)
}

// SealedSeller sells orders sealed by the caller: the Issuer, for the server's
// ReserveSealedTickets route.
type SealedSeller interface {
	// SellSealed has the ledger sell the order, all or nothing.
	SellSealed(ctx context.Context, address string, o ledger.Order) (ledger.OrderReceipt, error)
}

var (
	_ PreparedSeller = (*Issuer)(nil)
	_ SealedSeller   = (*Issuer)(nil)
)

// Prepare checks the request and seals a fresh secret for every seat, and the customer
// name when identityRequired (the contract's identity policy) and a name is given, and
// lays out the QR texts, grouped to print on the request's layout (PrintableQRTexts).
// Nothing is sold. EINVALID for a bad request or name.
func Prepare(address string, r Request, identityRequired bool) (Prepared, error) {
	if err := validateRequest(r); err != nil {
		return Prepared{}, err
	}
	named := identityRequired && strings.TrimSpace(r.CustomerName) != ""
	if named {
		if err := ledger.ValidateCustomerName(r.CustomerName); err != nil {
			return Prepared{}, err
		}
	}
	p := Purchase{Contract: address, Sender: r.Sender}
	if named {
		p.CustomerName = r.CustomerName
	}
	order := ledger.Order{Sender: r.Sender, Amount: r.Amount}
	for _, seat := range r.Seats {
		sealed, issued, err := seal(seat, p.CustomerName)
		if err != nil {
			return Prepared{}, err
		}
		order.Tickets = append(order.Tickets, sealed)
		p.Tickets = append(p.Tickets, issued)
	}
	var err error
	p.QR, p.TicketsPerQR, err = PrintableQRTexts(p.Tickets, r.TicketsPerQR, r.Layout)
	return Prepared{Order: order, Purchase: p}, err
}

// SellSealed passes a sealed order to the ledger.
func (i *Issuer) SellSealed(ctx context.Context, address string, o ledger.Order) (ledger.OrderReceipt, error) {
	return i.Ledger.Reserve(ctx, address, o)
}

// Sell has the ledger sell a prepared order and completes its purchase.
func (i *Issuer) Sell(ctx context.Context, address string, p Prepared) (Purchase, error) {
	rc, err := i.Ledger.Reserve(ctx, address, p.Order)
	if err != nil {
		return Purchase{}, err
	}
	return Completed(p.Purchase, rc), nil
}

// Completed returns the prepared purchase with the receipt of its sale: transaction,
// height, total, refund, holder address and each ticket's price and ticket type.
func Completed(p Purchase, rc ledger.OrderReceipt) Purchase {
	p.TransactionHash, p.Height, p.Total, p.Refunded, p.Holder = rc.TransactionHash, rc.Height, rc.Total, rc.Refunded, rc.Holder
	p.Tickets = append([]IssuedTicket(nil), p.Tickets...)
	for k := range p.Tickets {
		if k < len(rc.Prices) {
			p.Tickets[k].Price = rc.Prices[k]
		}
		if k < len(rc.Types) {
			p.Tickets[k].Type = rc.Types[k]
		}
	}
	return p
}
