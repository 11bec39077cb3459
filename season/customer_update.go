package season

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"strings"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// customerUpdate is customer_update's request.
type customerUpdate struct {
	Customer    *customerFields `json:"customer"`
	Pin         string          `json:"pin"`
	NewPin      *string         `json:"new_pin"`
	LockAccount *flag           `json:"lock_account"`
	CallReason  string          `json:"call_reason"`
}

// customerUpdateCmd makes the account customer.acct_id exactly the fields given: as the
// real API does, every field left out is cleared (the external id too). new_pin sets the
// pin ("" removes it), lock_account locks or unlocks the account. It needs the pin, or
// call_reason S; a locked account can be changed by a service call only.
func customerUpdateCmd(ctx context.Context, h *Handler, c *call) (map[string]any, error) {
	var q customerUpdate
	if err := c.decode(&q); err != nil {
		return nil, err
	}
	if q.Customer == nil || q.Customer.AcctID == 0 {
		return nil, failf(ResultMissingField, "command1 needs customer with its acct_id and the account's fields.")
	}
	id := int64(q.Customer.AcctID)
	change, err := q.check(ctx, h, id)
	if err != nil {
		return nil, err
	}
	cu, err := h.svc.Customers.UpdateCustomer(ctx, id, q.Customer.change())
	if err != nil {
		return nil, err
	}
	a, err := h.svc.Accounts.ChangeSeasonAccount(ctx, id, change)
	if err != nil {
		return nil, err
	}
	return map[string]any{"acct_id": id, "customer": customerAnswer(cu, a)}, nil
}

// check checks the account, the call's right to change it, the new pin, the external
// id and the e-mail address, and returns the account's change.
func (q customerUpdate) check(ctx context.Context, h *Handler, id int64) (ledger.SeasonAccountChange, error) {
	var change ledger.SeasonAccountChange
	if _, err := account(ctx, h, id); err != nil {
		return change, err
	}
	if err := unlock(ctx, h, id, q.Pin, q.CallReason); err != nil {
		return change, err
	}
	if q.NewPin != nil && *q.NewPin != "" {
		if err := ledger.CheckPinText(*q.NewPin); err != nil {
			return change, failf(ResultInvalidField, "command1.new_pin: %s.", ledger.ErrorMessage(err))
		}
	}
	alt, err := q.Customer.altIDs()
	if err != nil {
		return change, err
	}
	change = ledger.SeasonAccountChange{Pin: q.NewPin, AltIDs: &alt}
	if q.LockAccount != nil {
		locked := bool(*q.LockAccount)
		change.Locked = &locked
	}
	return change, emailFree(ctx, h, q.Customer.customer().Email, id)
}

// flag is a yes or no of a request: "Y" or "N" (in any case), or true or false.
type flag bool

// UnmarshalJSON reads "Y", "N", true or false.
func (f *flag) UnmarshalJSON(data []byte) error {
	var b bool
	if json.Unmarshal(data, &b) == nil {
		*f = flag(b)
		return nil
	}
	switch strings.ToUpper(string(bytes.Trim(data, `"`))) {
	case "Y":
		*f = true
		return nil
	case "N":
		*f = false
		return nil
	}
	return &json.UnmarshalTypeError{Value: "value", Type: reflect.TypeFor[bool]()}
}
