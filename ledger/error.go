package ledger

import (
	"errors"
	"fmt"
)

// Error codes. Each maps to one HTTP status in api/ (the table the server and the client
// share) and one exit status in cmd/.
const (
	EINVALID      = "invalid"      // bad input (syntax, a missing or malformed field): 400
	EREFUSED      = "refused"      // well-formed but refused by the rules (a taken seat, not enough funds, not the holder): 400, as Ticketbooth answers
	ENOTFOUND     = "not_found"    // unknown contract, key or transaction: 404
	ECONFLICT     = "conflict"     // wrong sale state: 409
	EUNAUTHORIZED = "unauthorized" // no key, or an unknown key: 401
	EFORBIDDEN    = "forbidden"    // a key that may not do this: 403
	EINTERNAL     = "internal"     // a fault of ours: 500, logged, never shown in detail
	EUNAVAILABLE  = "unavailable"  // too busy just now, try again in a moment: 503 with Retry-After
)

// Error is the one error type of the ledger: a code for machines and a sentence for humans.
type Error struct {
	Code    string
	Message string
	// rule marks a refusal by a rule that callers may react to, for errors.Is
	// (ErrIdentityPolicy, ErrIdempotencyRunning); nil for other errors. It is neither shown nor sent: a
	// client rebuilds it from the code and message with ErrorOf.
	rule error
}

func (e *Error) Error() string { return e.Message }

// Unwrap returns the mark of the rule that refused (ErrIdentityPolicy,
// ErrIdempotencyRunning), or nil.
func (e *Error) Unwrap() error { return e.rule }

// ErrorOf returns the error with the code and message as the ledger made it, for a client
// that received them (the HTTP API sends only these two): a refusal of the identity
// policy, known by its sentence, carries ErrIdentityPolicy again, and a write whose
// Idempotency-Key is still running ErrIdempotencyRunning.
func ErrorOf(code, message string) *Error {
	if message == msgNameRequired || message == msgNameUnwanted {
		return identityRefusal(code, message)
	}
	if code == ECONFLICT && message == msgIdempotencyRunning {
		return IdempotencyRunning()
	}
	return &Error{Code: code, Message: message}
}

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for any other
// error and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the human message of the first *Error in err's chain, or a generic
// sentence for internal errors, whose details must not reach a client.
func ErrorMessage(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Message
	}
	return "internal error"
}
