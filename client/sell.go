package client

import (
	"context"
	"net/http"
	"net/url"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

var _ issuer.Service = (*Client)(nil)

// Reserve buys seats through the server's ReserveTickets route, with the request's
// layout as ?layout=.
func (c *Client) Reserve(ctx context.Context, address string, r issuer.Request) (issuer.Purchase, error) {
	if err := ledger.ValidateAddress(address); err != nil {
		return issuer.Purchase{}, err
	}
	var p issuer.Purchase
	body := api.ReserveTicketsRequest{Seats: r.Seats, CustomerName: r.CustomerName, Sender: r.Sender,
		Amount: r.Amount, TicketsPerQR: r.TicketsPerQR}
	path := api.ContractPath(url.PathEscape(address), "ReserveTickets")
	if r.Layout != issuer.LayoutA4 {
		path += "?layout=" + r.Layout.String() // the server groups the codes to print on it
	}
	err := c.do(ctx, http.MethodPost, path, body, &p)
	return p, err
}

// Release releases a ticket through the server's ReleaseTicket route.
func (c *Client) Release(ctx context.Context, address string, r ledger.ReleaseRequest) (ledger.ReleaseReceipt, error) {
	if err := ledger.ValidateAddress(address); err != nil {
		return ledger.ReleaseReceipt{}, err
	}
	var out api.ReleaseTicketResponse
	seat := r.Seat
	body := api.ReleaseTicketRequest{Seat: &seat, Sender: r.Sender, Secret: r.Secret}
	if err := c.do(ctx, http.MethodPost, api.ContractPath(url.PathEscape(address), "ReleaseTicket"), body, &out); err != nil {
		return ledger.ReleaseReceipt{}, err
	}
	rc, err := c.Receipt(ctx, out.TransactionHash)
	return ledger.ReleaseReceipt{Receipt: rc, Refund: out.Refund}, err
}
