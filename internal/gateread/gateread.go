// Package gateread reads ticket codes from pictures and PDFs for the server and the
// command line: qrdecode and pdfscan, with their errors turned into the ledger's.
//
// It is the one place where a decoder error becomes a *ledger.Error, so that the
// engines know nothing of the ledger and the packages that do not read pictures (the
// scanner's gate, the client) link no decoder.
package gateread

import (
	"context"
	"errors"

	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/qrdecode"
	"github.com/ticketbooth-go/ticketbooth/qrdecode/pdfscan"
)

// Image reads the QR text of one camera frame or picture within qrdecode.GateLimits (see
// qrdecode.DecodeBytes). It is what a scanner.Gate reads a Scan's Image with.
func Image(data []byte) (string, error) {
	text, err := qrdecode.DecodeBytes(data)
	return text, LedgerError(err)
}

// File reads every code of a picture or a PDF within lim (see pdfscan.DecodeFile).
func File(ctx context.Context, data []byte, lim pdfscan.Limits) ([]pdfscan.Code, error) {
	codes, err := pdfscan.DecodeFile(ctx, data, lim)
	return codes, LedgerError(err)
}

// LedgerError turns a decoder's error (a *qrdecode.Error, from qrdecode or pdfscan) into
// an EINVALID *ledger.Error with the same message, whose chain still holds the decoder's
// error, so that errors.Is finds its kind (qrdecode.ErrNoCode). Other errors (nil, a
// context's) are returned as they are.
func LedgerError(err error) error {
	var de *qrdecode.Error
	if !errors.As(err, &de) {
		return err
	}
	return &ledgerError{ledgerErr: ledger.Errorf(ledger.EINVALID, "%s", de.Message), decoder: err}
}

// ledgerError is a decoder's error as the ledger's: its message is the *ledger.Error's,
// and its chain holds both that and the decoder's error.
type ledgerError struct {
	ledgerErr *ledger.Error
	decoder   error
}

func (e *ledgerError) Error() string   { return e.ledgerErr.Message }
func (e *ledgerError) Unwrap() []error { return []error{e.ledgerErr, e.decoder} }
