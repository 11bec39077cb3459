package gateread_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/internal/gateread"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/qrdecode"
	"github.com/ticketbooth-go/ticketbooth/qrdecode/pdfscan"
)

// TestLedgerError: a decoder's error becomes an EINVALID *ledger.Error with the same
// message whose chain still holds the kind; other errors pass through as they are.
func TestLedgerError(t *testing.T) {
	de := qrdecode.Errorf(pdfscan.ErrMalformed, "This PDF cannot be read: %s", "the file ends too early")
	for _, err := range []error{de, fmt.Errorf("reading the upload: %w", de)} {
		got := gateread.LedgerError(err)
		var le *ledger.Error
		if !errors.As(got, &le) || le.Code != ledger.EINVALID || le.Message != de.Message || got.Error() != de.Message {
			t.Errorf("LedgerError(%q) = %#v, want EINVALID %q", err, got, de.Message)
		}
		if !errors.Is(got, pdfscan.ErrMalformed) || !errors.As(got, new(*qrdecode.Error)) {
			t.Errorf("LedgerError(%q) lost the decoder's error from its chain", err)
		}
	}
	for _, err := range []error{nil, context.DeadlineExceeded, ledger.Errorf(ledger.EUNAVAILABLE, "busy")} {
		if got := gateread.LedgerError(err); got != err {
			t.Errorf("LedgerError(%v) = %v, want it unchanged", err, got)
		}
	}
}

// TestImageAndFile: what the server and the command line read gives ledger errors with
// the decoder's kinds.
func TestImageAndFile(t *testing.T) {
	_, err := gateread.Image([]byte("%PDF-1.4 not a picture"))
	if ledger.ErrorCode(err) != ledger.EINVALID || !errors.Is(err, qrdecode.ErrImageFormat) {
		t.Errorf("Image of a PDF: %v, want EINVALID wrapping %v", err, qrdecode.ErrImageFormat)
	}
	_, err = gateread.File(context.Background(), []byte("PK\x03\x04 a zip file"), pdfscan.Limits{})
	if ledger.ErrorCode(err) != ledger.EINVALID || !errors.Is(err, pdfscan.ErrNotPDF) ||
		ledger.ErrorMessage(err) != "This file is neither a picture (PNG, JPEG or GIF) nor a PDF" {
		t.Errorf("File of a zip: %v, want EINVALID wrapping %v", err, pdfscan.ErrNotPDF)
	}
}
