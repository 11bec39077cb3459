package client

import (
	"context"
	"net/http"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// TransferTicket moves a ticket of the contract to the body's receiver (a customer by id,
// or found or created by e-mail address) with a fresh secret, and mails it to them when
// the server can: POST TransferTicket.
func (c *Client) TransferTicket(ctx context.Context, address string, body api.TransferBody) (api.Delivered, error) {
	var out api.Delivered
	err := c.do(ctx, http.MethodPost, api.ContractPath(address, "TransferTicket"), body, &out)
	return out, err
}

// ReissueAndSend reissues a lost ticket and mails it to its holder: POST ReissueAndSend.
func (c *Client) ReissueAndSend(ctx context.Context, address string, body api.ReissueSendBody) (api.Delivered, error) {
	var out api.Delivered
	err := c.do(ctx, http.MethodPost, api.ContractPath(address, "ReissueAndSend"), body, &out)
	return out, err
}

// SetResaleTerms sets the resale terms of the contract's latest sale (its owner only).
func (c *Client) SetResaleTerms(ctx context.Context, address string, t ledger.ResaleTerms) (ledger.Receipt, error) {
	var out ledger.Receipt
	err := c.do(ctx, http.MethodPost, api.ContractPath(address, "ResaleTerms"), t, &out)
	return out, err
}

// ResaleTerms returns the resale terms of the contract's latest sale.
func (c *Client) ResaleTerms(ctx context.Context, address string) (ledger.ResaleTerms, error) {
	var out ledger.ResaleTerms
	err := c.do(ctx, http.MethodGet, api.ContractPath(address, "ResaleTerms"), nil, &out)
	return out, err
}

// OfferResale offers a ticket of the contract for resale.
func (c *Client) OfferResale(ctx context.Context, address string, r ledger.OfferRequest) (ledger.ResaleOffer, error) {
	seat, price := r.Seat, r.Price
	var out ledger.ResaleOffer
	err := c.do(ctx, http.MethodPost, api.ContractPath(address, "ResaleOffers"),
		api.OfferBody{Seat: &seat, Secret: r.Secret, Sender: r.Sender, Price: &price}, &out)
	return out, err
}

// ResaleOffers lists the open offers of the contract's latest sale.
func (c *Client) ResaleOffers(ctx context.Context, address string) ([]ledger.ResaleOffer, error) {
	var out api.OffersResponse
	err := c.do(ctx, http.MethodGet, api.ContractPath(address, "ResaleOffers"), nil, &out)
	return out.Offers, err
}

// ResaleCredits lists what the contract's sold offers owe their sellers (its owner only).
func (c *Client) ResaleCredits(ctx context.Context, address string) ([]ledger.ResaleCredit, error) {
	var out api.CreditsResponse
	err := c.do(ctx, http.MethodGet, api.ContractPath(address, "ResaleCredits"), nil, &out)
	return out.Credits, err
}

// ResaleOffer returns one offer.
func (c *Client) ResaleOffer(ctx context.Context, offer int64) (ledger.ResaleOffer, error) {
	var out ledger.ResaleOffer
	err := c.do(ctx, http.MethodGet, api.OfferPath(offer, ""), nil, &out)
	return out, err
}

// WithdrawResale withdraws an open offer.
func (c *Client) WithdrawResale(ctx context.Context, offer int64, r ledger.WithdrawRequest) (ledger.ResaleOffer, error) {
	var out ledger.ResaleOffer
	err := c.do(ctx, http.MethodPost, api.OfferPath(offer, "withdraw"), api.WithdrawBody{Secret: r.Secret, Sender: r.Sender}, &out)
	return out, err
}

// BuyOffer buys an open offer for the body's customer and mails the ticket to them when
// the server can: POST /resale/{offer}/buy.
func (c *Client) BuyOffer(ctx context.Context, offer int64, body api.BuyBody) (api.Delivered, error) {
	var out api.Delivered
	err := c.do(ctx, http.MethodPost, api.OfferPath(offer, "buy"), body, &out)
	return out, err
}
