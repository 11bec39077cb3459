package ledger

import (
	"context"
	"time"
)

// Transaction kinds of transfers and resale. Their effects name holders by their
// pseudonymous addresses and offers by id, never a name or an e-mail address.
const (
	TxTicketTransferred = "ticket_transferred"
	TxResaleTermsSet    = "resale_terms_set"
	TxResaleOffered     = "resale_offered"
	TxResaleWithdrawn   = "resale_withdrawn"
	TxResaleSold        = "resale_sold"
)

// The states of a resale offer. An open offer whose ticket changed since it was offered
// (reissued, transferred, released or checked in) reads as OfferVoid and cannot be
// bought.
const (
	OfferOpen      = "open"
	OfferWithdrawn = "withdrawn"
	OfferSold      = "sold"
	OfferVoid      = "void"
)

// Bounds of the resale terms.
const (
	MaxResaleCapPercent = 1000
	MaxResaleFeePercent = 100
)

// ResaleTerms are the organizer's terms for reselling the tickets of one sale: the
// highest price an offer may ask (CapPercent of the ticket's face value, or CapAmount
// for every ticket; neither: the face value) and the release fee the seller pays out of
// the price (FeePercent of it, or FeeAmount; neither: no fee).
type ResaleTerms struct {
	CapPercent int64 `json:"capPercent,omitempty"`
	CapAmount  int64 `json:"capAmount,omitempty"`
	FeePercent int64 `json:"feePercent,omitempty"`
	FeeAmount  int64 `json:"feeAmount,omitempty"`
}

// Validate checks the terms: no negative number, at most one cap and one fee, a cap of at
// most MaxResaleCapPercent percent and a fee of at most MaxResaleFeePercent percent.
func (t ResaleTerms) Validate() error {
	switch {
	case t.CapPercent < 0 || t.CapAmount < 0 || t.FeePercent < 0 || t.FeeAmount < 0:
		return Errorf(EINVALID, "Resale caps and fees must not be negative")
	case t.CapPercent > 0 && t.CapAmount > 0:
		return Errorf(EINVALID, "Give the resale cap either as a percent of the face value or as an amount, not both")
	case t.FeePercent > 0 && t.FeeAmount > 0:
		return Errorf(EINVALID, "Give the release fee either as a percent of the price or as an amount, not both")
	case t.CapPercent > MaxResaleCapPercent:
		return Errorf(EINVALID, "The resale cap may be at most %d%% of the face value", MaxResaleCapPercent)
	case t.FeePercent > MaxResaleFeePercent:
		return Errorf(EINVALID, "The release fee may be at most %d%% of the price", MaxResaleFeePercent)
	}
	return nil
}

// Cap is the highest price an offer of a ticket of face value face may ask.
func (t ResaleTerms) Cap(face int64) int64 {
	switch {
	case t.CapAmount > 0:
		return t.CapAmount
	case t.CapPercent > 0:
		return face * t.CapPercent / 100
	}
	return face
}

// Fee is the release fee of a resale at price: never more than the price.
func (t ResaleTerms) Fee(price int64) int64 {
	fee := t.FeeAmount
	if t.FeePercent > 0 {
		fee = price * t.FeePercent / 100
	}
	return min(fee, price)
}

// TransferRequest moves a sold ticket to another holder with a freshly sealed Ticket for
// the same seat (the receiver's name sealed in it under the identity policy). Holding is
// proven as for a reissue (ProveHolding): the ticket's Secret, or a key that may act for
// the holder, with Sender checked when given. To is the receiver's account as the shop
// knows it (BookingSender of a customer).
type TransferRequest struct {
	Secret string
	Sender string
	To     string
	Ticket SealedTicket
}

// TransferReceipt is a committed transfer: the seat's face value, the holder before and
// the new holder (pseudonymous addresses).
type TransferReceipt struct {
	Receipt
	Price  int64  `json:"price"`
	From   string `json:"from"`
	Holder string `json:"holder"`
}

// OfferRequest offers a sold ticket for resale at Price, proven held as for a transfer.
type OfferRequest struct {
	Seat   Seat
	Secret string
	Sender string
	Price  int64
}

// WithdrawRequest withdraws an open offer: by the ticket's Secret, by a key that may act
// for the holder (Sender checked when given), or by the key that made the offer.
type WithdrawRequest struct {
	Secret string
	Sender string
}

// BuyRequest buys an offer for Sender, the buyer's account, with a freshly sealed Ticket
// for the offer's seat.
type BuyRequest struct {
	Sender string
	Ticket SealedTicket
}

// ResaleOffer is an offer of a ticket for resale. Seller and Buyer are pseudonymous
// holder addresses; Fee and Credit (the price less the fee, owed to the seller) are set
// once it is sold.
type ResaleOffer struct {
	ID        int64      `json:"id"`
	Contract  string     `json:"contract"`
	Sale      int64      `json:"sale"`
	Seat      Seat       `json:"seat"`
	FaceValue int64      `json:"faceValue"`
	Price     int64      `json:"price"`
	State     string     `json:"state"`
	Seller    string     `json:"seller"`
	Buyer     string     `json:"buyer,omitempty"`
	Fee       int64      `json:"fee"`
	Credit    int64      `json:"credit"`
	Offered   time.Time  `json:"offered"`
	Closed    *time.Time `json:"closed,omitempty"`
}

// ResaleReceipt is a committed resale: the offer as it closed, and the buyer's holder
// address.
type ResaleReceipt struct {
	Receipt
	Offer  ResaleOffer `json:"offer"`
	Holder string      `json:"holder"`
}

// ResaleCredit is what the organizer owes a seller for a sold offer: the price less the
// fee. Account is the seller's account as the shop knows it (a customer's BookingSender),
// for the payout; it is never in the journal.
type ResaleCredit struct {
	Offer   int64     `json:"offer"`
	Sale    int64     `json:"sale"`
	Seat    Seat      `json:"seat"`
	Account string    `json:"account"`
	Seller  string    `json:"seller"`
	Price   int64     `json:"price"`
	Fee     int64     `json:"fee"`
	Credit  int64     `json:"credit"`
	Sold    time.Time `json:"sold"`
}

// Resale is the ledger's secondary market: transfers, the organizer's resale terms,
// offers and their purchase. Its writes act for a box-office key, an organizer key on its
// own contracts, or the administrator; the terms and the credits are the contract's
// owner's. Every move of a ticket gives it a fresh secret in the same transaction, so the
// old QR (and any device key or wallet code made for the old secret) stops working at once.
type Resale interface {
	// Transfer moves a sold ticket, not checked in, to the receiver.
	Transfer(ctx context.Context, address string, r TransferRequest) (TransferReceipt, error)
	// SetResaleTerms sets the terms of the contract's latest sale (its owner only).
	SetResaleTerms(ctx context.Context, address string, t ResaleTerms) (Receipt, error)
	// ResaleTerms returns the terms of the contract's latest sale.
	ResaleTerms(ctx context.Context, address string) (ResaleTerms, error)
	// OfferResale offers a sold ticket at a price no higher than the terms' cap.
	OfferResale(ctx context.Context, address string, r OfferRequest) (ResaleOffer, error)
	// WithdrawResale withdraws an open offer.
	WithdrawResale(ctx context.Context, offer int64, r WithdrawRequest) (ResaleOffer, error)
	// BuyResale sells an open offer's ticket to the buyer and credits its seller.
	BuyResale(ctx context.Context, offer int64, r BuyRequest) (ResaleReceipt, error)
	// ResaleOffer returns one offer.
	ResaleOffer(ctx context.Context, offer int64) (ResaleOffer, error)
	// ResaleOffers lists the open offers of the contract's latest sale, by seat.
	ResaleOffers(ctx context.Context, address string) ([]ResaleOffer, error)
	// ResaleCredits lists what the contract's sold offers owe their sellers (its owner only).
	ResaleCredits(ctx context.Context, address string) ([]ResaleCredit, error)
	// TicketHolder returns the account holding the sold ticket at seat of the contract's
	// latest sale, for a key that may act for its holder (MayActForHolder): EREFUSED
	// otherwise, and for a free seat.
	TicketHolder(ctx context.Context, address string, seat Seat) (string, error)
}

// ValidateOfferID checks an offer id: a positive number.
func ValidateOfferID(id int64) error {
	if id <= 0 {
		return Errorf(EINVALID, "Offer id must be a positive number")
	}
	return nil
}
