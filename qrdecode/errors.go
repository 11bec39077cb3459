package qrdecode

import (
	"errors"
	"fmt"
)

// The kinds of failure. Every error of Decode, DecodeBytes and DecodeAll is an *Error
// (find it with errors.As) whose Kind is one of these (test with errors.Is).
var (
	// ErrNoCode means the image was read but no QR code could be decoded in it.
	ErrNoCode = errors.New("no QR code found in the image")
	// ErrImageFormat means the bytes are not a PNG, JPEG or GIF image.
	ErrImageFormat = errors.New("unsupported image format: want PNG, JPEG or GIF")
	// ErrImageCorrupt means the bytes look like a supported image but cannot be decoded.
	ErrImageCorrupt = errors.New("corrupt image")
	// ErrImageTooLarge means the image is over the Limits: too many pixels, or too
	// costly to decode.
	ErrImageTooLarge = errors.New("image too large")
)

// Error is the error of this package, and of the readers built on it (pdfscan): what
// went wrong, in words for the person who sent the picture, and the kind of failure.
// Callers that answer people (the server, the command line) show Message as it is.
type Error struct {
	// Kind names the kind of failure: one of this package's Err values, or a reader's
	// own (pdfscan.ErrNotPDF). Unwrap returns it, so errors.Is finds it.
	Kind error
	// Message says what went wrong and, where it helps, what to send instead.
	Message string
}

func (e *Error) Error() string { return e.Message }

// Unwrap returns the Kind.
func (e *Error) Unwrap() error { return e.Kind }

// Errorf returns an *Error of the kind with a formatted message.
func Errorf(kind error, format string, args ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// newError returns an *Error of the kind whose message is kind's text followed by the
// formatted detail.
func newError(kind error, format string, args ...any) error {
	msg := kind.Error()
	if format != "" {
		msg += ": " + fmt.Sprintf(format, args...)
	}
	return &Error{Kind: kind, Message: msg}
}
