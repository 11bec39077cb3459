package season

import (
	"fmt"
	"net/http"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// The result codes of failed calls (command1.result; 0 is success). Commands answer the
// real API's own codes where the seed's documentation shows one (ResultNoEvents,
// ResultNoBlocks, ResultEmailExists, ResultNoClasses); the 9000s are this server's, for
// what every command shares. The README lists them.
const (
	ResultOK             = 0
	ResultMalformed      = 9001 // the body is not the seed's envelope
	ResultUnknownCommand = 9002 // no such command
	ResultMissingField   = 9003 // a required field is missing
	ResultInvalidField   = 9004 // a field of the wrong type or value
	ResultNotInProduct   = 9005 // the command is not part of the path's product
	ResultDSNMismatch    = 9006 // the body's dsn is not the URL's
	ResultNotFound       = 9007 // an unknown record (event, account, order)
	ResultRefused        = 9008 // refused by the rules (a taken seat, a passed hold)
	ResultConflict       = 9009 // the record's state forbids it (a sale ended, an order paid)
	ResultKey            = 9010 // no key, a wrong key, or a key without the product or DSN
	ResultLimit          = 9011 // over the key's limit
	ResultUnavailable    = 9012 // the ledger is unavailable
	ResultPoll           = 9013 // a poll with unknown, expired or mismatched cookies or body

	ResultNoEvents    = 5211  // event_search, event_details: no events found
	ResultNoBlocks    = 5069  // seats_hold: no seats found to hold
	ResultEmailExists = 11408 // customer_add: the e-mail is already an account's
	ResultNoClasses   = 10535 // no valid classes (price codes)
)

// failure is a call that failed: its result code, its HTTP status (200 for a command
// that failed, as the real API answers) and a sentence saying what is wrong.
type failure struct {
	result     int
	status     int
	detail     string
	retryAfter time.Duration // for 429 and 503
}

func (f *failure) Error() string { return f.detail }

// failf is a command's failure: HTTP 200 with a non-zero result.
func failf(result int, format string, args ...any) *failure {
	return &failure{result: result, status: http.StatusOK, detail: fmt.Sprintf(format, args...)}
}

// refuse is a call refused before its command runs, with an HTTP status of the seed's.
func refuse(status, result int, format string, args ...any) *failure {
	return &failure{result: result, status: status, detail: fmt.Sprintf(format, args...)}
}

// errorResults maps the ledger's error codes to result codes and HTTP statuses.
var errorResults = map[string]struct{ result, status int }{
	ledger.EINVALID:      {ResultInvalidField, http.StatusOK},
	ledger.ENOTFOUND:     {ResultNotFound, http.StatusOK},
	ledger.EREFUSED:      {ResultRefused, http.StatusOK},
	ledger.ECONFLICT:     {ResultConflict, http.StatusOK},
	ledger.EFORBIDDEN:    {ResultKey, http.StatusOK},
	ledger.EUNAUTHORIZED: {ResultKey, http.StatusUnauthorized},
	ledger.EUNAVAILABLE:  {ResultUnavailable, http.StatusServiceUnavailable},
	ledger.EINTERNAL:     {ResultUnavailable, http.StatusServiceUnavailable},
}

// failureOf turns a command's error into its failure: a *failure as it is, a ledger
// error by its code (an internal one as 503 in general words: its detail is logged by
// the caller, never sent).
func failureOf(err error) *failure {
	if f, ok := err.(*failure); ok {
		return f
	}
	code := ledger.ErrorCode(err)
	m := errorResults[code]
	f := &failure{result: m.result, status: m.status, detail: ledger.ErrorMessage(err)}
	if code == ledger.EINTERNAL || code == ledger.EUNAVAILABLE {
		f.detail = "The ticketing database is unavailable just now; try again in a moment."
		f.retryAfter = time.Second
	}
	return f
}
