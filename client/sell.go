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

// Reissue gives a sold ticket a new secret and keys through the server's ReissueTicket
// route, and returns it as a purchase of one ticket.
func (c *Client) Reissue(ctx context.Context, address string, r issuer.ReissueRequest) (issuer.Purchase, error) {
	if err := ledger.ValidateAddress(address); err != nil {
		return issuer.Purchase{}, err
	}
	var out api.TicketResponse
	seat := r.Seat
	body := api.ReissueTicketRequest{Seat: &seat, Secret: r.Secret, CustomerName: r.CustomerName}
	if err := c.do(ctx, http.MethodPost, api.ContractPath(url.PathEscape(address), "ReissueTicket"), body, &out); err != nil {
		return issuer.Purchase{}, err
	}
	rc, err := c.Receipt(ctx, out.TransactionHash)
	if err != nil {
		return issuer.Purchase{}, err
	}
	p := issuer.Purchase{Contract: address, TransactionHash: out.TransactionHash, Height: rc.Height, Holder: out.Holder,
		CustomerName: r.CustomerName, QR: []string{out.QR}, TicketsPerQR: 1,
		Tickets: []issuer.IssuedTicket{{Seat: out.Seat, Price: out.Price, Secret: out.Secret, CustomerName: out.CustomerName}}}
	if out.CustomerName == nil {
		p.CustomerName = ""
	}
	return p, nil
}
