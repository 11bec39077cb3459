package client

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

var _ ledger.Webhooks = (*Client)(nil)

// AddWebhook registers an endpoint on the server and returns it with its secret, shown
// this once.
func (c *Client) AddWebhook(ctx context.Context, r ledger.WebhookRequest) (ledger.NewWebhook, error) {
	var out ledger.NewWebhook
	err := c.do(ctx, http.MethodPost, api.WebhooksPath, r, &out)
	return out, err
}

// Webhooks lists the key's endpoints (the administrator's: every one).
func (c *Client) Webhooks(ctx context.Context) ([]ledger.Webhook, error) {
	out := []ledger.Webhook{}
	err := c.do(ctx, http.MethodGet, api.WebhooksPath, nil, &out)
	return out, err
}

// RemoveWebhook removes the endpoint and its deliveries: ENOTFOUND when the key has none
// with the id.
func (c *Client) RemoveWebhook(ctx context.Context, id int64) error {
	return c.do(ctx, http.MethodDelete, api.WebhookPath(id, ""), nil, nil)
}

// WebhookDeliveries returns a page of the endpoint's deliveries, newest first, with their
// attempts.
func (c *Client) WebhookDeliveries(ctx context.Context, q ledger.DeliveryQuery) ([]ledger.WebhookDelivery, error) {
	v := url.Values{}
	if q.State != "" {
		v.Set("state", q.State)
	}
	limit, cursor := q.Limit, ""
	if limit == 0 {
		limit = ledger.DefaultDeliveryList
	}
	if q.After != 0 {
		cursor = api.Cursor(api.WebhookDeliveryList, strconv.FormatInt(q.After, 10))
	}
	out := []ledger.WebhookDelivery{}
	_, _, err := c.ListPage(ctx, api.WebhookPath(q.Webhook, "deliveries"), v, limit, cursor, &out)
	return out, err
}

// RetryWebhookDelivery has the server send the delivery again as soon as a sender is free.
func (c *Client) RetryWebhookDelivery(ctx context.Context, id int64) (ledger.WebhookDelivery, error) {
	var out ledger.WebhookDelivery
	err := c.do(ctx, http.MethodPost, api.WebhookDeliveryRetryPath(id), nil, &out)
	return out, err
}
