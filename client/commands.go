package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"time"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// The rhythm of asynchronous polling on the command API of seed 004, as the seed
// recommends it: a poll every 300 ms, for up to 10 minutes.
const (
	CommandPollInterval = 300 * time.Millisecond
	CommandTimeout      = 10 * time.Minute
)

// Command sends a command envelope ({header, command1}) to the command API of seed 004
// (POST /{product}/ticketing_services.aspx?dsn=DSN&apikey=KEY, the client's key) and
// returns the answer's envelope. When the server answers 202 (the command is under way),
// it sends the same body again with the cookies the server set (CID, QTKN, SID) every
// CommandPollInterval until the answer is not 202, for at most CommandTimeout or until
// ctx ends. A command that failed is answered 200 with a non-zero command1.result: its
// envelope, without error. Other statuses (401, 404, 429, 503) are a *ledger.Error of the
// status's code with the answer's error_detail; the timeout is EUNAVAILABLE; ctx's end
// is its error.
func (c *Client) Command(ctx context.Context, product, dsn string, envelope []byte) (json.RawMessage, error) {
	polling, cancel := context.WithTimeout(ctx, CommandTimeout)
	defer cancel()
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Transport: c.http.Transport, Jar: jar}
	q := url.Values{"dsn": {dsn}, "apikey": {c.key}}
	target := c.base + "/" + url.PathEscape(product) + "/ticketing_services.aspx?" + q.Encode()
	for {
		status, data, err := postCommand(polling, hc, target, envelope)
		switch {
		case err != nil:
			return nil, c.commandError(ctx, polling, err)
		case status == http.StatusOK:
			return data, nil
		case status != http.StatusAccepted:
			return nil, commandStatusError(status, data)
		}
		select {
		case <-polling.Done():
			return nil, c.commandError(ctx, polling, polling.Err())
		case <-time.After(CommandPollInterval):
		}
	}
}

// postCommand sends the envelope once and reads the answer's status and body.
func postCommand(ctx context.Context, hc *http.Client, target string, envelope []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(envelope))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 256<<20))
	return resp.StatusCode, data, err
}

// commandError is the error of a command that got no final answer: the caller's ctx
// ended, polling timed out, or the server is out of reach.
func (c *Client) commandError(ctx, polling context.Context, err error) error {
	switch {
	case ctx.Err() != nil:
		return fmt.Errorf("sending the command to %s: %w", c.base, ctx.Err())
	case polling.Err() != nil:
		return ledger.Errorf(ledger.EUNAVAILABLE, "the command was still under way on %s after %s of polling; the seed says to ask the operator", c.base, CommandTimeout)
	}
	return ledger.Errorf(ledger.EINTERNAL, "cannot reach server %s: %v", c.base, unwrapURL(err))
}

// commandStatusError is the error of an answer neither 200 nor 202: the status's code
// and command1.error_detail.
func commandStatusError(status int, data []byte) error {
	var env struct {
		Command1 struct {
			Detail string `json:"error_detail"`
		} `json:"command1"`
	}
	json.Unmarshal(data, &env)
	if env.Command1.Detail == "" {
		env.Command1.Detail = fmt.Sprintf("server answered %d %s", status, http.StatusText(status))
	}
	return ledger.Errorf(api.Code(status), "%s", env.Command1.Detail)
}
