package client

import (
	"context"
	"net/http"
	"net/url"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/scanner"
)

var _ scanner.Service = (*Client)(nil)

// CheckIn sends a scan to the server's CheckIn (or VerifyTicket) route: the QR text as
// JSON, or the image as its own content type with gate and nonce in the query.
func (c *Client) CheckIn(ctx context.Context, address string, s scanner.Scan) ([]ledger.CheckResult, error) {
	if err := ledger.ValidateAddress(address); err != nil {
		return nil, err
	}
	route := "CheckIn"
	if s.VerifyOnly {
		route = "VerifyTicket"
	}
	path := api.ContractPath(url.PathEscape(address), route)
	var out api.CheckInResponse
	if len(s.Image) > 0 {
		q := url.Values{"gate": {s.Gate}, "nonce": {s.Nonce}}
		if s.Direction != "" {
			q.Set("direction", s.Direction)
		}
		err := c.send(ctx, http.MethodPost, path+"?"+q.Encode(), http.DetectContentType(s.Image), s.Image, &out)
		return out.Results, err
	}
	err := c.do(ctx, http.MethodPost, path, api.CheckInRequest{QR: s.QR, Gate: s.Gate, Nonce: s.Nonce, Direction: s.Direction}, &out)
	if ledger.ErrorCode(err) == ledger.EINVALID {
		return []ledger.CheckResult{{Status: ledger.StatusMalformed, Reason: ledger.ErrorMessage(err)}}, err
	}
	return out.Results, err
}

// CheckIns returns the server's check-in report of the contract's latest sale.
func (c *Client) CheckIns(ctx context.Context, address string) (ledger.CheckInReport, error) {
	var rep ledger.CheckInReport
	err := c.contractRoute(ctx, http.MethodGet, address, "CheckIns", nil, &rep)
	return rep, err
}

var _ scanner.Uploader = (*Client)(nil)

// CheckInUpload uploads a device's offline admissions to the server's CheckInUpload
// route, at most scanner.MaxUploadBatch at a time, and returns the answer to each.
func (c *Client) CheckInUpload(ctx context.Context, address, device string, uploads []scanner.Upload) ([]scanner.UploadResult, error) {
	var out api.CheckInUploadResponse
	err := c.contractRoute(ctx, http.MethodPost, address, "CheckInUpload", api.CheckInUploadRequest{Device: device, Items: uploads}, &out)
	return out.Results, err
}

// GateCopy downloads the gate copy of the contract's latest sale: the whole sale for an
// empty cursor, the changes since otherwise (see ledger.GateCopier); the answer comes
// gzipped.
func (c *Client) GateCopy(ctx context.Context, address, cursor string) (ledger.GateCopy, error) {
	var cp ledger.GateCopy
	if err := ledger.ValidateAddress(address); err != nil {
		return cp, err
	}
	path := api.ContractPath(url.PathEscape(address), "GateCopy")
	if cursor != "" {
		path += "?" + url.Values{"cursor": {cursor}}.Encode()
	}
	status, _, data, err := c.exchangeRetrying(ctx, http.MethodGet, path, "", nil)
	switch {
	case err != nil:
		return cp, err
	case status >= 300:
		return cp, statusError(status, data)
	}
	// Read as the copy reads itself: encoding/json would scan 60,000 tickets first.
	if err := cp.UnmarshalJSON(data); err != nil {
		return cp, ledger.Errorf(ledger.EINTERNAL, "server %s answered GateCopy with something that is not a gate copy", c.base)
	}
	return cp, nil
}
