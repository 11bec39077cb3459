package season

import (
	"context"
	"strings"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// customerQuery is customer_query's request.
type customerQuery struct {
	AcctID     whole  `json:"acct_id"`
	Email      string `json:"email"`
	AltID      string `json:"alt_id"`
	AltIDType  string `json:"alt_id_type"`
	Pin        string `json:"pin"`
	CallReason string `json:"call_reason"`
	SiteName   string `json:"site_name"`
}

// customerQueryCmd answers the account found by acct_id, email (the first account of
// that address, exactly, ignoring case) or alt_id with alt_id_type; with its pin, or
// for a service call (call_reason S). site_name is accepted and names nothing here.
func customerQueryCmd(ctx context.Context, h *Handler, c *call) (map[string]any, error) {
	var q customerQuery
	if err := c.decode(&q); err != nil {
		return nil, err
	}
	id, err := q.find(ctx, h)
	if err != nil {
		return nil, err
	}
	cu, err := account(ctx, h, id)
	if err != nil {
		return nil, err
	}
	if err := unlock(ctx, h, id, q.Pin, q.CallReason); err != nil {
		return nil, err
	}
	a, err := h.svc.Accounts.SeasonAccount(ctx, id)
	if err != nil {
		return nil, err
	}
	return map[string]any{"customer": customerAnswer(cu, a)}, nil
}

// find is the id of the account the query names.
func (q customerQuery) find(ctx context.Context, h *Handler) (int64, error) {
	switch {
	case q.AcctID != 0:
		return int64(q.AcctID), nil
	case strings.TrimSpace(q.Email) != "":
		page, err := h.svc.Customers.FindCustomers(ctx, ledger.CustomerQuery{Email: strings.TrimSpace(q.Email), Limit: 1})
		if err != nil {
			return 0, err
		}
		if len(page.Customers) == 0 {
			return 0, failf(ResultNotFound, "No account has that e-mail address.")
		}
		return page.Customers[0].ID, nil
	case q.AltID != "" || q.AltIDType != "":
		return byAltID(ctx, h, ledger.AltID{Type: strings.TrimSpace(q.AltIDType), ID: strings.TrimSpace(q.AltID)})
	}
	return 0, failf(ResultMissingField, "command1 needs acct_id, email, or alt_id with alt_id_type.")
}

// byAltID is the account of the external id.
func byAltID(ctx context.Context, h *Handler, id ledger.AltID) (int64, error) {
	if err := ledger.CheckAltID(id); err != nil {
		return 0, failf(ResultInvalidField, "command1.alt_id and alt_id_type: %s.", ledger.ErrorMessage(err))
	}
	n, err := h.svc.Accounts.AccountByAltID(ctx, id)
	if ledger.ErrorCode(err) == ledger.ENOTFOUND {
		return 0, failf(ResultNotFound, "No account has that external id of type %q.", clipWords(id.Type))
	}
	return n, err
}

// customerAdd is customer_add's request.
type customerAdd struct {
	Customer *customerFields `json:"customer"`
	Pin      string          `json:"pin"`
}

// customerAddCmd makes an account: a customer of the shop with the fields given, its pin
// (hashed) and external id. An e-mail address that is already an account's is
// ResultEmailExists. Should the pin and external id fail to be kept after the customer
// was made (an external id taken by a call at the same moment), the customer is erased
// again.
func customerAddCmd(ctx context.Context, h *Handler, c *call) (map[string]any, error) {
	var q customerAdd
	if err := c.decode(&q); err != nil {
		return nil, err
	}
	if q.Customer == nil {
		return nil, failf(ResultMissingField, "command1 needs customer: the account's fields (name_last, name_first, email, ...).")
	}
	alt, err := q.check(ctx, h)
	if err != nil {
		return nil, err
	}
	cu, err := h.svc.Customers.CreateCustomer(ctx, q.Customer.customer())
	if err != nil {
		return nil, err
	}
	change := ledger.SeasonAccountChange{AltIDs: &alt}
	if q.Pin != "" {
		change.Pin = &q.Pin
	}
	if _, err := h.svc.Accounts.ChangeSeasonAccount(ctx, cu.ID, change); err != nil {
		// An external id taken meanwhile: no account is left half made.
		if _, eraseErr := h.svc.Customers.EraseCustomer(context.WithoutCancel(ctx), cu.ID); eraseErr != nil {
			h.log.Error("erasing a customer whose account could not be made", "cmd", c.req.cmd, "err", eraseErr)
		}
		return nil, err
	}
	return map[string]any{"acct_id": cu.ID, "cust_name_id": cu.ID}, nil
}

// check checks what the ledger's customers do not: the pin, the external id (free), and
// that the e-mail address is no account's yet.
func (q customerAdd) check(ctx context.Context, h *Handler) ([]ledger.AltID, error) {
	if q.Pin != "" {
		if err := ledger.CheckPinText(q.Pin); err != nil {
			return nil, failf(ResultInvalidField, "command1.pin: %s.", ledger.ErrorMessage(err))
		}
	}
	alt, err := q.Customer.altIDs()
	if err != nil {
		return nil, err
	}
	for _, id := range alt {
		if _, err := h.svc.Accounts.AccountByAltID(ctx, id); err == nil {
			return nil, failf(ResultRefused, "The external id of type %q is already another account's.", clipWords(id.Type))
		} else if ledger.ErrorCode(err) != ledger.ENOTFOUND {
			return nil, err
		}
	}
	return alt, emailFree(ctx, h, q.Customer.customer().Email, 0)
}

// emailFree checks that no account but except has the e-mail address.
func emailFree(ctx context.Context, h *Handler, email string, except int64) error {
	if email == "" {
		return nil
	}
	page, err := h.svc.Customers.FindCustomers(ctx, ledger.CustomerQuery{Email: email, Limit: 2})
	if err != nil {
		return err
	}
	for _, other := range page.Customers {
		if other.ID != except {
			return failf(ResultEmailExists, "The e-mail address is already account %d's.", other.ID)
		}
	}
	return nil
}
