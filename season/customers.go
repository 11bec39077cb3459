package season

import (
	"context"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// account reads the customer whose id is the account's: ResultNotFound in words when
// there is none (or it was erased).
func account(ctx context.Context, h *Handler, id int64) (ledger.Customer, error) {
	if id <= 0 {
		return ledger.Customer{}, failf(ResultInvalidField, "command1.acct_id must be a positive number.")
	}
	c, err := h.svc.Customers.Customer(ctx, id)
	if ledger.ErrorCode(err) == ledger.ENOTFOUND || err == nil && c.Erased {
		return ledger.Customer{}, failf(ResultNotFound, "There is no account %d.", id)
	}
	return c, err
}
