package client

import (
	"context"
	"net/http"
	"net/url"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

var _ issuer.PreparedSeller = (*Client)(nil)

// Sell sells a purchase prepared (and written down) here through the server's
// ReserveSealedTickets route: the secrets and keys never leave this process.
func (c *Client) Sell(ctx context.Context, address string, p issuer.Prepared) (issuer.Purchase, error) {
	if err := ledger.ValidateAddress(address); err != nil {
		return issuer.Purchase{}, err
	}
	body := api.ReserveSealedTicketsRequest{Sender: p.Order.Sender, Amount: p.Order.Amount, Tickets: api.SealedTicketsOf(p.Order)}
	var rc ledger.OrderReceipt
	if err := c.do(ctx, http.MethodPost, api.ContractPath(url.PathEscape(address), "ReserveSealedTickets"), body, &rc); err != nil {
		return issuer.Purchase{}, err
	}
	return issuer.Completed(p.Purchase, rc), nil
}
