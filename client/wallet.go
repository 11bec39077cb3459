package client

import (
	"context"
	"net/http"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// NewWalletLink makes a new wallet link for the customer on the server, first revoking
// all of the customer's links when revoke is set (box-office and organizer keys). The
// answer's token is shown only this once; its Link is the page's path with the token,
// to put after the server's public URL.
func (c *Client) NewWalletLink(ctx context.Context, customer int64, revoke bool) (api.WalletLinkResponse, error) {
	var out api.WalletLinkResponse
	err := c.do(ctx, http.MethodPost, api.CustomerPath(customer, "wallet-link"), api.WalletLinkBody{Revoke: revoke}, &out)
	return out, err
}

// ResendWallet has the server revoke the customer's wallet links, reissue the tickets
// the customer holds and mail them with a new link; it returns what was done. EREFUSED
// when the server sends no e-mail.
func (c *Client) ResendWallet(ctx context.Context, customer int64) (ledger.WalletResend, error) {
	var out ledger.WalletResend
	err := c.do(ctx, http.MethodPost, api.CustomerPath(customer, "wallet-link"), api.WalletLinkBody{Send: true}, &out)
	return out, err
}
