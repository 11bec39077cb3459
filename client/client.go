// Package client is the Go client of the HTTP API. It implements ledger.Service, so the
// CLI's remote mode runs the same code as its in-process mode, and end-to-end tests drive
// a real server through it. HTTP statuses map back to ledger error codes.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Client talks to a ticketbooth server with one API key.
type Client struct {
	base    string
	key     string
	http    *http.Client
	retries int // RetryWrites
}

var _ ledger.Service = (*Client)(nil)

// New returns a client of the server at baseURL (e.g. http://127.0.0.1:8080) using key
// (may be empty for reads). EINVALID when the URL is not an http(s) URL.
func New(baseURL, key string) (*Client, error) {
	u, err := url.Parse(baseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, ledger.Errorf(ledger.EINVALID, "server %q must be an http:// or https:// URL", baseURL)
	}
	return &Client{base: strings.TrimRight(baseURL, "/"), key: key, http: &http.Client{Timeout: 5 * time.Minute}}, nil
}

// do sends a request with an optional JSON body and decodes a JSON answer into out.
func (c *Client) do(ctx context.Context, method, path string, body, out any) error {
	if body == nil {
		return c.send(ctx, method, path, "", nil, out)
	}
	b, err := json.Marshal(body)
	if err != nil {
		return ledger.Errorf(ledger.EINTERNAL, "encoding request: %v", err)
	}
	return c.send(ctx, method, path, "application/json", b, out)
}

// send sends a request with a body of the content type (none when contentType is "")
// and decodes a JSON answer into out; an error status becomes a *ledger.Error.
func (c *Client) send(ctx context.Context, method, path, contentType string, body []byte, out any) error {
	_, err := c.exchange(ctx, method, path, contentType, body, out)
	return err
}

// exchange is send, returning the answer's headers too. The answer is gzip-compressed
// when the server chooses to: Go's transport asks for it and decompresses it itself, as
// long as the request sets no Accept-Encoding of its own. A write carries the
// Idempotency-Key of its context (WithIdempotencyKey, or a fresh one with RetryWrites)
// and is then sent again when the server could not be reached.
func (c *Client) exchange(ctx context.Context, method, path, contentType string, body []byte, out any) (http.Header, error) {
	status, header, data, err := c.exchangeRetrying(ctx, method, path, contentType, body)
	if err != nil {
		return nil, err
	}
	if status >= 300 {
		return nil, statusError(status, data)
	}
	if out == nil {
		return header, nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return nil, ledger.Errorf(ledger.EINTERNAL, "server %s answered %s %s with something that is not the expected JSON", c.base, method, path)
	}
	return header, nil
}

// roundTrip sends one request and reads the answer's status, headers and body: an
// unreached error when no answer came.
func (c *Client) roundTrip(ctx context.Context, method, path, contentType string, body []byte, idemKey string) (int, http.Header, []byte, error) {
	var rd io.Reader
	if contentType != "" {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return 0, nil, nil, ledger.Errorf(ledger.EINVALID, "bad request %s %s: %v", method, path, err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if c.key != "" {
		req.Header.Set("Authorization", "Bearer "+c.key)
	}
	if idemKey != "" {
		req.Header.Set(IdempotencyHeader, idemKey)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, nil, unreached{ledger.Errorf(ledger.EINTERNAL, "cannot reach server %s: %v", c.base, unwrapURL(err))}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 256<<20))
	if err != nil {
		return 0, nil, nil, unreached{ledger.Errorf(ledger.EINTERNAL, "reading the answer of %s: %v", c.base, err)}
	}
	return resp.StatusCode, resp.Header, data, nil
}

func unwrapURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

func statusError(status int, data []byte) error {
	var e api.ErrorResponse
	json.Unmarshal(data, &e)
	code := api.Code(status)
	if e.Code != "" && status < 500 {
		code = e.Code
	}
	if e.Error == "" {
		e.Error = fmt.Sprintf("server answered %d %s", status, http.StatusText(status))
	}
	return ledger.ErrorOf(code, e.Error)
}

// Info returns the server's ledger clock.
func (c *Client) Info(ctx context.Context) (ledger.Info, error) {
	var info ledger.Info
	err := c.do(ctx, http.MethodGet, api.LedgerPath, nil, &info)
	return info, err
}

// CreateContract creates a contract with its standing sections; the returned Contract
// carries its address, venue, seat count and standing sections (read back from the server).
func (c *Client) CreateContract(ctx context.Context, venue string, seats []ledger.Seat, standing ...ledger.StandingSection) (ledger.Contract, ledger.Receipt, error) {
	var out api.CreateContractResponse
	body := api.CreateContractRequest{Venue: venue, Seats: seats, Standing: standing}
	if err := c.do(ctx, http.MethodPost, api.Base, body, &out); err != nil {
		return ledger.Contract{}, ledger.Receipt{}, err
	}
	rc, err := c.Receipt(ctx, out.TransactionHash)
	if err != nil {
		return ledger.Contract{}, ledger.Receipt{}, err
	}
	con, err := c.Contract(ctx, out.Address)
	return con, rc, err
}

// Contract returns the contract at address.
func (c *Client) Contract(ctx context.Context, address string) (ledger.Contract, error) {
	var con ledger.Contract
	err := c.contractRoute(ctx, http.MethodGet, address, "", nil, &con)
	return con, err
}

// Tickets returns the contract's ticket list.
func (c *Client) Tickets(ctx context.Context, address string) ([]ledger.Ticket, error) {
	var t []ledger.Ticket
	err := c.contractRoute(ctx, http.MethodGet, address, "Tickets", nil, &t)
	return t, err
}

// Rules reads the contract's three rules from their own routes, which answer bare values
// (1000, 2, true) as Ticketbooth does; ENOTFOUND for an unknown contract.
func (c *Client) Rules(ctx context.Context, address string) (ledger.Rules, error) {
	if err := ledger.ValidateAddress(address); err != nil {
		return ledger.Rules{}, err
	}
	var r ledger.Rules
	for route, out := range map[string]any{"TicketReleaseFee": &r.ReleaseFee, "NoReleaseBlocks": &r.NoReleaseBlocks,
		"IdentityVerificationPolicy": &r.RequireIdentityVerification} {
		if err := c.do(ctx, http.MethodGet, api.ContractPath(url.PathEscape(address), route), nil, out); err != nil {
			return ledger.Rules{}, err
		}
	}
	return r, nil
}

// contractRoute sends a request to a contract's route (with an optional JSON body) and
// decodes the JSON answer into out: EINVALID for a malformed address, before sending.
func (c *Client) contractRoute(ctx context.Context, method, address, route string, body, out any) error {
	if err := ledger.ValidateAddress(address); err != nil {
		return err
	}
	return c.do(ctx, method, api.ContractPath(url.PathEscape(address), route), body, out)
}

// write posts body to a contract route and returns the receipt of the transaction.
func (c *Client) write(ctx context.Context, address, route string, body any) (ledger.Receipt, error) {
	var out api.TransactionResponse
	if err := c.contractRoute(ctx, http.MethodPost, address, route, body, &out); err != nil {
		return ledger.Receipt{}, err
	}
	return c.Receipt(ctx, out.TransactionHash)
}

// SetReleaseFee sets the release fee.
func (c *Client) SetReleaseFee(ctx context.Context, address string, fee int64) (ledger.Receipt, error) {
	return c.write(ctx, address, "TicketReleaseFee", api.FeeBody{Fee: &fee})
}

// SetNoReleaseBlocks sets the no-release block count.
func (c *Client) SetNoReleaseBlocks(ctx context.Context, address string, count int64) (ledger.Receipt, error) {
	return c.write(ctx, address, "NoReleaseBlocks", api.CountBody{Count: &count})
}

// SetIdentityPolicy sets the identity verification policy.
func (c *Client) SetIdentityPolicy(ctx context.Context, address string, require bool) (ledger.Receipt, error) {
	return c.write(ctx, address, "IdentityVerificationPolicy", api.IdentityBody{RequireIdentityVerification: &require})
}

// SetRules sets several rules in one transaction.
func (c *Client) SetRules(ctx context.Context, address string, change ledger.RulesChange) (ledger.Receipt, error) {
	return c.write(ctx, address, "Rules", change)
}

// TransferContract makes the organizer key owner ("key:N") the contract's owner.
func (c *Client) TransferContract(ctx context.Context, address, owner string) (ledger.Receipt, error) {
	return c.write(ctx, address, "TransferContract", api.OwnerBody{Owner: owner})
}

// BeginSale begins a sale.
func (c *Client) BeginSale(ctx context.Context, address string, prices []ledger.SeatPrice, d ledger.SaleDetails) (ledger.Receipt, error) {
	return c.write(ctx, address, "BeginSale", api.BeginSaleBody(prices, d))
}

// EndSale ends the active sale.
func (c *Client) EndSale(ctx context.Context, address string) (ledger.Receipt, error) {
	return c.write(ctx, address, "EndSale", struct{}{})
}

// Receipt returns what a transaction did.
func (c *Client) Receipt(ctx context.Context, hash string) (ledger.Receipt, error) {
	if err := ledger.ValidateTransactionHash(hash); err != nil {
		return ledger.Receipt{}, err
	}
	var rc ledger.Receipt
	err := c.do(ctx, http.MethodGet, api.ReceiptsPath+url.PathEscape(hash), nil, &rc)
	return rc, err
}

// Verify asks the server to verify its journal, and that it still holds the anchors.
func (c *Client) Verify(ctx context.Context, anchors ...ledger.BlockRef) (ledger.VerifyReport, error) {
	var rep ledger.VerifyReport
	err := c.do(ctx, http.MethodPost, api.VerifyPath, api.VerifyRequest{Anchors: anchors}, &rep)
	return rep, err
}
