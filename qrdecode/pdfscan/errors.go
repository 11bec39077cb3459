package pdfscan

import (
	"errors"
	"fmt"

	"github.com/ticketbooth-go/ticketbooth/qrdecode"
)

// The reader's kinds of failure. Every error of Decode and DecodeFile is a
// *qrdecode.Error (find it with errors.As) whose Kind is one of these or one of
// qrdecode's (qrdecode.ErrNoCode when nothing could be read): test with errors.Is.
var (
	// ErrNotPDF means the bytes do not start like a PDF (nor, for DecodeFile, an image).
	ErrNotPDF = errors.New("not a PDF")
	// ErrMalformed means the file says it is a PDF but cannot be read as one.
	ErrMalformed = errors.New("malformed PDF")
	// ErrTooLarge means the file is over one of the Limits.
	ErrTooLarge = errors.New("PDF too large")
)

// newError is the reader's error: a *qrdecode.Error of the kind with a formatted message.
func newError(kind error, format string, args ...any) error {
	return qrdecode.Errorf(kind, format, args...)
}

// malformed is an ErrMalformed error saying what could not be read.
func malformed(what string) error {
	return newError(ErrMalformed, "This PDF cannot be read: %s", what)
}

// tooLarge is an ErrTooLarge error naming the limit passed.
func tooLarge(format string, args ...any) error {
	return newError(ErrTooLarge, "This PDF is too large to read at the gate: %s", fmt.Sprintf(format, args...))
}

var errEOF = malformed("the file ends too early")

// mib writes a size in bytes for people: "16 MiB", or "900 bytes" when small.
func mib(n int) string {
	if n < 1<<20 {
		return fmt.Sprintf("%d bytes", n)
	}
	return fmt.Sprintf("%.3g MiB", float64(n)/(1<<20))
}
