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
}

func (e *Error) Error() string { return e.Message }

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
