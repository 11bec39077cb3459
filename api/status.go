package api

import (
	"net/http"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Answer names an error answer of the API. Each error code of the ledger is an answer of
// its own (Answer(ledger.EINVALID)); WrongMethod and NoCodeRead carry the code EINVALID
// under a status of their own.
type Answer string

// The answers whose status their code alone does not choose.
const (
	WrongMethod Answer = "wrong_method" // 405: the route is served, but for another method
	NoCodeRead  Answer = "no_code_read" // 422: a picture or PDF that holds no readable code
	// TooManyRequests: 429, a client over a public route's rate (EUNAVAILABLE, with Retry-After)
	TooManyRequests Answer = "too_many_requests"
)

// errorStatus is one row of the table: an answer, the code in its body and its status.
type errorStatus struct {
	answer Answer
	code   string
	status int
}

// errorStatuses is the one table of the API's error answers, read one way by the server
// (Status) and the other by the client (Code). A status stands for the code of its first
// row: 400 for EINVALID, although EREFUSED answers 400 too, as Ticketbooth does.
var errorStatuses = []errorStatus{
	{ledger.EINVALID, ledger.EINVALID, http.StatusBadRequest},
	{ledger.EREFUSED, ledger.EREFUSED, http.StatusBadRequest},
	{ledger.ENOTFOUND, ledger.ENOTFOUND, http.StatusNotFound},
	{ledger.ECONFLICT, ledger.ECONFLICT, http.StatusConflict},
	{ledger.EUNAUTHORIZED, ledger.EUNAUTHORIZED, http.StatusUnauthorized},
	{ledger.EFORBIDDEN, ledger.EFORBIDDEN, http.StatusForbidden},
	{ledger.EINTERNAL, ledger.EINTERNAL, http.StatusInternalServerError},
	{ledger.EUNAVAILABLE, ledger.EUNAVAILABLE, http.StatusServiceUnavailable},
	{WrongMethod, ledger.EINVALID, http.StatusMethodNotAllowed},
	{NoCodeRead, ledger.EINVALID, http.StatusUnprocessableEntity},
	{TooManyRequests, ledger.EUNAVAILABLE, http.StatusTooManyRequests},
}

// Status returns the HTTP status of an answer and the error code its body carries: 500
// and EINTERNAL for an answer the table does not know.
func Status(a Answer) (status int, code string) {
	for _, row := range errorStatuses {
		if row.answer == a {
			return row.status, row.code
		}
	}
	return http.StatusInternalServerError, ledger.EINTERNAL
}

// Code returns the error code an HTTP status stands for, for an answer whose body names
// none: EINTERNAL for a status the table does not know.
func Code(status int) string {
	for _, row := range errorStatuses {
		if row.status == status {
			return row.code
		}
	}
	return ledger.EINTERNAL
}
