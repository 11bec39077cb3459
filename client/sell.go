package client

import (
	"context"
	"net/http"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

var (
	_ issuer.Service        = (*Client)(nil)
	_ issuer.PreparedSeller = (*Client)(nil)
)

// Reserve buys seats through the server's ReserveTickets route, with the request's
// layout as ?layout=.
func (c *Client) Reserve(ctx context.Context, address string, r issuer.Request) (issuer.Purchase, error) {
	route := "ReserveTickets"
	if r.Layout != issuer.LayoutA4 {
		route += "?layout=" + r.Layout.String() // the server groups the codes to print on it
	}
	var p issuer.Purchase
	err := c.contractRoute(ctx, http.MethodPost, address, route, api.ReserveTicketsBody(r), &p)
	return p, err
}

// Release releases a ticket through the server's ReleaseTicket route.
func (c *Client) Release(ctx context.Context, address string, r ledger.ReleaseRequest) (ledger.ReleaseReceipt, error) {
	var out api.ReleaseTicketResponse
	if err := c.contractRoute(ctx, http.MethodPost, address, "ReleaseTicket", api.ReleaseBody(r), &out); err != nil {
		return ledger.ReleaseReceipt{}, err
	}
	rc, err := c.Receipt(ctx, out.TransactionHash)
	return ledger.ReleaseReceipt{Receipt: rc, Refund: out.Refund}, err
}

// Reissue gives a sold ticket a new secret and keys through the server's ReissueTicket
// route, and returns it as a purchase of one ticket.
func (c *Client) Reissue(ctx context.Context, address string, r issuer.ReissueRequest) (issuer.Purchase, error) {
	var out api.TicketResponse
	if err := c.contractRoute(ctx, http.MethodPost, address, "ReissueTicket", api.ReissueBody(r), &out); err != nil {
		return issuer.Purchase{}, err
	}
	rc, err := c.Receipt(ctx, out.TransactionHash)
	if err != nil {
		return issuer.Purchase{}, err
	}
	p := out.Purchase(address, rc.Height)
	if out.CustomerName != nil {
		p.CustomerName = r.CustomerName // the ticket was named, under the identity policy
	}
	return p, nil
}

// Sell sells a purchase prepared (and written down) here through the server's
// ReserveSealedTickets route: the secrets and keys never leave this process.
func (c *Client) Sell(ctx context.Context, address string, p issuer.Prepared) (issuer.Purchase, error) {
	var rc ledger.OrderReceipt
	if err := c.contractRoute(ctx, http.MethodPost, address, "ReserveSealedTickets", api.SealedOrderBody(p.Order), &rc); err != nil {
		return issuer.Purchase{}, err
	}
	return issuer.Completed(p.Purchase, rc), nil
}
