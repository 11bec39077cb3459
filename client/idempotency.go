package client

import (
	"context"
	"crypto/rand"
	"errors"
	"net/http"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// IdempotencyHeader is the header of a write's Idempotency-Key (server.IdempotencyHeader).
const IdempotencyHeader = "Idempotency-Key"

type idempotencyKey struct{}

// WithIdempotencyKey returns a context whose write (POST) carries key as its
// Idempotency-Key: the server runs it once, and a retry with the same key and request
// within 24 hours gets the first answer again. Use one key for one write: another write
// under the same key is refused (ECONFLICT). Reads ignore it.
func WithIdempotencyKey(ctx context.Context, key string) context.Context {
	return context.WithValue(ctx, idempotencyKey{}, key)
}

// RetryWrites makes every write carry an Idempotency-Key (its context's, or a fresh
// random one per call) and sends it again, up to n more times, when the server could not
// be reached or answered that the same key is still running: the server runs the write
// once, so a retried reservation never sells twice. It returns c.
func (c *Client) RetryWrites(n int) *Client {
	c.retries = max(n, 0)
	return c
}

// retryPause is the pause before the nth retry.
func retryPause(n int) time.Duration { return time.Duration(n) * 250 * time.Millisecond }

// unreached is an error of a request that got no answer: sending it again is safe
// under an Idempotency-Key.
type unreached struct{ err *ledger.Error }

func (u unreached) Error() string { return u.err.Error() }
func (u unreached) Unwrap() error { return u.err }

// exchangeRetrying sends the request, with its Idempotency-Key and retries when it is a
// write that has one.
func (c *Client) exchangeRetrying(ctx context.Context, method, path, contentType string, body []byte) (int, http.Header, []byte, error) {
	key := c.idempotencyKey(ctx, method)
	for attempt := 0; ; attempt++ {
		status, header, data, err := c.roundTrip(ctx, method, path, contentType, body, key)
		if key == "" || attempt >= c.retries || !retryable(status, data, err) {
			return status, header, data, answered(err)
		}
		select {
		case <-ctx.Done():
			return status, header, data, answered(err)
		case <-time.After(retryPause(attempt + 1)):
		}
	}
}

// answered returns err as callers see it: a *ledger.Error, unreached or not.
func answered(err error) error {
	var u unreached
	if errors.As(err, &u) {
		return u.err
	}
	return err
}

// idempotencyKey is the key a request carries: none for a read, the context's, or a
// fresh one when the client retries writes.
func (c *Client) idempotencyKey(ctx context.Context, method string) string {
	if method == http.MethodGet || method == http.MethodHead {
		return ""
	}
	if key, ok := ctx.Value(idempotencyKey{}).(string); ok && key != "" {
		return key
	}
	if c.retries > 0 {
		return rand.Text()
	}
	return ""
}

// retryable says whether an answer (or its absence) calls for sending the write again.
func retryable(status int, data []byte, err error) bool {
	var u unreached
	if errors.As(err, &u) {
		return true
	}
	return err == nil && status == http.StatusConflict && errors.Is(statusError(status, data), ledger.ErrIdempotencyRunning)
}
