package api

import (
	"strconv"

	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Transfers and resale. A contract's routes: POST TransferTicket, GET and POST
// ResaleTerms, GET and POST ResaleOffers, GET ResaleCredits, POST ReissueAndSend; an
// offer's under ResalePath: GET /{offer}, POST /{offer}/withdraw, POST /{offer}/buy; the
// holder's from the wallet page under WalletPath: POST /tickets/{id}/transfer, /offer and
// /withdraw.

// ResalePath is the prefix of an offer's routes.
const ResalePath = "/api/v1.0/resale"

// OfferPath returns the path of an offer's route: OfferPath(7, "") is the offer,
// OfferPath(7, "buy") buys it.
func OfferPath(id int64, route string) string {
	p := ResalePath + "/" + strconv.FormatInt(id, 10)
	if route != "" {
		p += "/" + route
	}
	return p
}

// Receiver names the person a ticket goes to (issuer.Receiver).
type Receiver = issuer.Receiver

// TransferBody is the body of POST TransferTicket: the seat, the proof of holding (the
// ticket's secret, or the holder's account for a key that may act for the holder), the
// receiver, and whether to mail the receiver the ticket (Send; default true when the
// server can mail).
type TransferBody struct {
	Seat     *ledger.Seat `json:"seat"`
	Secret   string       `json:"secret,omitempty"`
	Sender   string       `json:"sender,omitempty"`
	Receiver Receiver     `json:"to"`
	Send     *bool        `json:"send,omitempty"`
}

// Delivered answers a transfer, a bought offer and a reissue sent by e-mail
// (issuer.Delivery).
type Delivered = issuer.Delivery

// OfferBody is the body of POST ResaleOffers: the seat, the proof of holding as for a
// transfer, and the price.
type OfferBody struct {
	Seat   *ledger.Seat `json:"seat"`
	Secret string       `json:"secret,omitempty"`
	Sender string       `json:"sender,omitempty"`
	Price  *int64       `json:"price"`
}

// WithdrawBody is the body of POST /resale/{offer}/withdraw (it may be empty for the key
// that made the offer).
type WithdrawBody struct {
	Secret string `json:"secret,omitempty"`
	Sender string `json:"sender,omitempty"`
}

// BuyBody is the body of POST /resale/{offer}/buy: the buying customer (by id), the
// buyer's name under the identity policy (the customer's own name when not given), and
// whether to mail the buyer the ticket.
type BuyBody struct {
	Customer     int64  `json:"customer"`
	CustomerName string `json:"customerName,omitempty"`
	Send         *bool  `json:"send,omitempty"`
}

// ReissueSendBody is the body of POST ReissueAndSend: the seat, the ticket's secret when
// the asker holds it, the holder's name under the identity policy, and the customer to
// mail (the ticket's holder when it is held by a customer and none is given).
type ReissueSendBody struct {
	Seat         *ledger.Seat `json:"seat"`
	Secret       string       `json:"secret,omitempty"`
	CustomerName string       `json:"customerName,omitempty"`
	Customer     int64        `json:"customer,omitempty"`
}

// OffersResponse answers GET ResaleOffers.
type OffersResponse struct {
	Offers []ledger.ResaleOffer `json:"offers"`
}

// CreditsResponse answers GET ResaleCredits.
type CreditsResponse struct {
	Credits []ledger.ResaleCredit `json:"credits"`
}

// WalletTransferBody is the body of POST /api/v1.0/wallet/tickets/{id}/transfer: the
// person to give the ticket to, by e-mail address and name.
type WalletTransferBody struct {
	Receiver Receiver `json:"to"`
}

// WalletTransferred answers it: whether the ticket was mailed to the receiver (and why
// not). Nothing of the new ticket: it is the receiver's.
type WalletTransferred struct {
	Mailed    bool   `json:"mailed"`
	MailError string `json:"mailError,omitempty"`
}

// WalletWithdrawBody is the body of POST /api/v1.0/wallet/tickets/{id}/withdraw: the
// ticket's offer to withdraw.
type WalletWithdrawBody struct {
	Offer int64 `json:"offer"`
}
