package api_test

import (
	"net/http"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Every answer's status reads back as its code, except where a status carries two codes
// (400: invalid and refused), where it reads back as the first.
func TestStatusBothWays(t *testing.T) {
	tests := []struct {
		answer api.Answer
		status int
		code   string
		back   string
	}{
		{ledger.EINVALID, http.StatusBadRequest, ledger.EINVALID, ledger.EINVALID},
		{ledger.EREFUSED, http.StatusBadRequest, ledger.EREFUSED, ledger.EINVALID},
		{ledger.ENOTFOUND, http.StatusNotFound, ledger.ENOTFOUND, ledger.ENOTFOUND},
		{ledger.ECONFLICT, http.StatusConflict, ledger.ECONFLICT, ledger.ECONFLICT},
		{ledger.EUNAUTHORIZED, http.StatusUnauthorized, ledger.EUNAUTHORIZED, ledger.EUNAUTHORIZED},
		{ledger.EFORBIDDEN, http.StatusForbidden, ledger.EFORBIDDEN, ledger.EFORBIDDEN},
		{ledger.EINTERNAL, http.StatusInternalServerError, ledger.EINTERNAL, ledger.EINTERNAL},
		{ledger.EUNAVAILABLE, http.StatusServiceUnavailable, ledger.EUNAVAILABLE, ledger.EUNAVAILABLE},
		{api.WrongMethod, http.StatusMethodNotAllowed, ledger.EINVALID, ledger.EINVALID},
		{api.NoCodeRead, http.StatusUnprocessableEntity, ledger.EINVALID, ledger.EINVALID},
		{"no such answer", http.StatusInternalServerError, ledger.EINTERNAL, ledger.EINTERNAL},
	}
	for _, tt := range tests {
		t.Run(string(tt.answer), func(t *testing.T) {
			status, code := api.Status(tt.answer)
			if status != tt.status || code != tt.code {
				t.Errorf("Status(%q) = %d %q, want %d %q", tt.answer, status, code, tt.status, tt.code)
			}
			if back := api.Code(status); back != tt.back {
				t.Errorf("Code(%d) = %q, want %q", status, back, tt.back)
			}
		})
	}
	if got := api.Code(http.StatusTeapot); got != ledger.EINTERNAL {
		t.Errorf("Code(418) = %q, want %q", got, ledger.EINTERNAL)
	}
}
