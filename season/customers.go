package season

import (
	"context"
	"strings"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// CallReasonService is the call_reason of a service call (a box office serving the
// account holder), which may read and change an account without its pin.
const CallReasonService = "S"

// customerFields are an account's fields as the command API names them, in a request's
// customer object; the external id too. A field left out is nil.
type customerFields struct {
	AcctID      whole   `json:"acct_id"`
	NameTitle   *string `json:"name_title"`
	NameFirst   *string `json:"name_first"`
	NameLast    *string `json:"name_last"`
	CompanyName *string `json:"company_name"`
	Email       *string `json:"email"`
	PhoneDay    *string `json:"phone_day"`
	Street1     *string `json:"street_addr_1"`
	Street2     *string `json:"street_addr_2"`
	City        *string `json:"city"`
	Zip         *string `json:"zip"`
	Country     *string `json:"country"`
	Language    *string `json:"language"`
	AltID       string  `json:"alt_id"`
	AltIDType   string  `json:"alt_id_type"`
}

// customer is the ledger's customer of the fields; a field left out is empty.
func (f customerFields) customer() ledger.Customer {
	v := func(s *string) string {
		if s == nil {
			return ""
		}
		return strings.TrimSpace(*s)
	}
	return ledger.Customer{Salutation: v(f.NameTitle), FirstName: v(f.NameFirst), LastName: v(f.NameLast),
		Company: v(f.CompanyName), Email: v(f.Email), Phone: v(f.PhoneDay), Locale: v(f.Language),
		Address: ledger.PostalAddress{Country: strings.ToUpper(v(f.Country)), Address1: v(f.Street1), Address2: v(f.Street2), Zip: v(f.Zip), City: v(f.City)}}
}

// change is the change that makes a customer exactly the fields: every field set, the
// ones left out to "" (customer_update clears what it leaves out, as the real API does).
func (f customerFields) change() ledger.CustomerChange {
	c := f.customer()
	a := c.Address
	return ledger.CustomerChange{Salutation: &c.Salutation, FirstName: &c.FirstName, LastName: &c.LastName,
		Company: &c.Company, Email: &c.Email, Phone: &c.Phone, Locale: &c.Locale,
		Address: &ledger.AddressChange{Country: &a.Country, Address1: &a.Address1, Address2: &a.Address2, Zip: &a.Zip, City: &a.City}}
}

// altIDs are the fields' external ids: none, or the one given (both parts needed).
func (f customerFields) altIDs() ([]ledger.AltID, error) {
	id := ledger.AltID{Type: strings.TrimSpace(f.AltIDType), ID: strings.TrimSpace(f.AltID)}
	if id.Type == "" && id.ID == "" {
		return []ledger.AltID{}, nil
	}
	if err := ledger.CheckAltID(id); err != nil {
		return nil, failf(ResultInvalidField, "command1.customer.alt_id and alt_id_type: %s.", ledger.ErrorMessage(err))
	}
	return []ledger.AltID{id}, nil
}

// customerAnswer is an account as the command API answers it. cust_name_id is the
// account's id too: a customer of the ledger has one name.
func customerAnswer(c ledger.Customer, a ledger.SeasonAccount) map[string]any {
	alt := make([]map[string]any, len(a.AltIDs))
	for i, id := range a.AltIDs {
		alt[i] = map[string]any{"alt_id": id.ID, "alt_id_type": id.Type}
	}
	return map[string]any{
		"acct_id": c.ID, "cust_name_id": c.ID, "name_title": c.Salutation, "name_first": c.FirstName,
		"name_last": c.LastName, "company_name": c.Company, "email": c.Email, "phone_day": c.Phone,
		"street_addr_1": c.Address.Address1, "street_addr_2": c.Address.Address2, "city": c.Address.City,
		"zip": c.Address.Zip, "country": c.Address.Country, "language": c.Locale, "alt_ids": alt,
		"has_pin": yesNo(a.HasPin), "account_locked": yesNo(a.Locked),
	}
}

// yesNo writes a flag as the real API does: "Y" or "N".
func yesNo(b bool) string {
	if b {
		return "Y"
	}
	return "N"
}

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

// unlock checks that the call may act on the account: a service call (call_reason S)
// may; any other needs the account's pin (ResultRefused in words otherwise).
func unlock(ctx context.Context, h *Handler, id int64, pin, reason string) error {
	if strings.EqualFold(strings.TrimSpace(reason), CallReasonService) {
		return nil
	}
	if pin == "" {
		return failf(ResultMissingField, "command1 needs the account's pin, or call_reason S for a service call.")
	}
	if err := h.svc.Accounts.CheckPin(ctx, id, pin); err != nil {
		if ledger.ErrorCode(err) == ledger.EREFUSED {
			return failf(ResultRefused, "%s.", ledger.ErrorMessage(err))
		}
		return err
	}
	return nil
}
