package client

import (
	"context"
	"net/http"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

var _ ledger.MailView = (*Client)(nil)

// Mails lists the server's mail queue by id.
func (c *Client) Mails(ctx context.Context, f ledger.MailFilter) ([]ledger.QueuedMail, error) {
	var out []ledger.QueuedMail
	path := api.MailPath
	if q := api.MailQuery(f).Encode(); q != "" {
		path += "?" + q
	}
	err := c.do(ctx, http.MethodGet, path, nil, &out)
	return out, err
}

// Mail reads one queued mail.
func (c *Client) Mail(ctx context.Context, id int64) (ledger.QueuedMail, error) {
	var out ledger.QueuedMail
	err := c.do(ctx, http.MethodGet, api.MailItemPath(id, ""), nil, &out)
	return out, err
}

// RetryMail makes a failed or waiting mail due now.
func (c *Client) RetryMail(ctx context.Context, id int64) error {
	return c.do(ctx, http.MethodPost, api.MailItemPath(id, "retry"), nil, nil)
}
