package webhook

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"syscall"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// The bounds of an answer: its headers, and the part of its body read (to reuse the
// connection) before it is closed.
const (
	MaxAnswerHeader = 16 << 10
	MaxAnswerBody   = 64 << 10
)

// UserAgent is the User-Agent of every delivery.
const UserAgent = "Ticketbooth-Webhooks/1"

// client returns the HTTP client for endpoints of the scheme: no proxy, no redirects,
// every connection's address checked as it is made (http: loopback only).
func (d *Dispatcher) client(scheme string) *http.Client {
	dialer := &net.Dialer{Timeout: d.Timeout, Control: func(_, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return ledger.Errorf(ledger.EREFUSED, "A webhook cannot be sent to %s", address)
		}
		return ledger.CheckWebhookAddress(scheme, ap.Addr(), d.AllowPrivate)
	}}
	tr := &http.Transport{
		Proxy:                  nil,
		DialContext:            dialer.DialContext,
		TLSClientConfig:        d.TLS,
		TLSHandshakeTimeout:    d.Timeout,
		ResponseHeaderTimeout:  d.Timeout,
		MaxResponseHeaderBytes: MaxAnswerHeader,
		MaxIdleConnsPerHost:    2,
		IdleConnTimeout:        time.Minute,
		DisableCompression:     true,
		ForceAttemptHTTP2:      d.TLS == nil,
	}
	return &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
}

// attempt posts the claimed delivery once and returns what happened; Error is empty
// exactly when the endpoint answered 2xx.
func (d *Dispatcher) attempt(ctx context.Context, c ledger.WebhookClaim) ledger.WebhookAttempt {
	start := d.Now()
	a := ledger.WebhookAttempt{Number: c.Number, At: start.UTC()}
	defer func() { a.Duration = d.Now().Sub(start) }()
	u, err := ledger.CheckWebhookURL(c.URL, d.AllowPrivate)
	if err != nil {
		a.Error = err.Error()
		return a
	}
	body, err := json.Marshal(c.Payload)
	if err != nil {
		a.Error = "The delivery's body could not be made"
		return a
	}
	ctx, cancel := context.WithTimeout(ctx, d.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		a.Error = "The webhook URL cannot be requested"
		return a
	}
	ts := strconv.FormatInt(start.Unix(), 10)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", UserAgent)
	req.Header.Set(HeaderEvent, c.Payload.Event)
	req.Header.Set(HeaderDelivery, strconv.FormatInt(c.Payload.Delivery, 10))
	req.Header.Set(HeaderTimestamp, ts)
	req.Header.Set(HeaderSignature, Sign(c.Secret, ts, body))
	cl := d.https
	if u.Scheme == "http" {
		cl = d.http
	}
	resp, err := cl.Do(req)
	if err != nil {
		a.Error = d.reason(err)
		return a
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, MaxAnswerBody))
	resp.Body.Close()
	a.Status = resp.StatusCode
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		a.Error = answerReason(resp.StatusCode)
	}
	return a
}

func answerReason(status int) string {
	if status >= 300 && status < 400 {
		return fmt.Sprintf("The endpoint answered %d, a redirect, which is not followed: register the URL it points to", status)
	}
	return fmt.Sprintf("The endpoint answered %d %s, not 2xx", status, http.StatusText(status))
}

// reason says in words why a request failed, without the URL (which may carry a token)
// or Go's internals.
func (d *Dispatcher) reason(err error) string {
	var le *ledger.Error
	var dnsErr *net.DNSError
	var netErr net.Error
	var certErr *tls.CertificateVerificationError
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	switch {
	case errors.As(err, &le):
		return le.Message
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &netErr) && netErr.Timeout()):
		return fmt.Sprintf("The endpoint did not answer within %s", d.Timeout)
	case errors.Is(err, syscall.ECONNREFUSED):
		return "The endpoint refused the connection (nothing listens there)"
	case errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return "The endpoint closed the connection before answering"
	case errors.As(err, &dnsErr):
		return "The endpoint's host name could not be resolved"
	case errors.As(err, &certErr) || errors.As(err, &unknownCA) || errors.As(err, &hostErr):
		return "The endpoint's TLS certificate is not valid for its name"
	}
	return "The connection to the endpoint failed"
}
