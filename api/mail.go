package api

import (
	"net/url"
	"strconv"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// MailPath is the mail queue (ledger.MailView): GET lists it (?state=queued|sent|failed,
// ?after=ID, ?limit=N, at most 1000), GET MailPath/ID reads one mail, POST MailPath/ID/retry
// makes a mail due now.
const MailPath = "/api/v1.0/mail"

// MailItemPath returns the path of a mail's route: MailItemPath(7, "") is the mail,
// MailItemPath(7, "retry") its retry.
func MailItemPath(id int64, route string) string {
	p := MailPath + "/" + strconv.FormatInt(id, 10)
	if route != "" {
		p += "/" + route
	}
	return p
}

// MailQuery is the query of a listing.
func MailQuery(f ledger.MailFilter) url.Values {
	v := url.Values{}
	if f.State != "" {
		v.Set("state", string(f.State))
	}
	if f.After > 0 {
		v.Set("after", strconv.FormatInt(f.After, 10))
	}
	if f.Limit > 0 {
		v.Set("limit", strconv.Itoa(f.Limit))
	}
	return v
}

// ParseMailQuery reads a listing's query: EINVALID for an unknown state, a negative or
// malformed after or a limit outside 1 to 1000.
func ParseMailQuery(v url.Values) (ledger.MailFilter, error) {
	var f ledger.MailFilter
	var err error
	if f.State, err = ledger.ParseMailState(v.Get("state")); err != nil {
		return f, err
	}
	if s := v.Get("after"); s != "" {
		if f.After, err = strconv.ParseInt(s, 10, 64); err != nil || f.After < 0 {
			return f, ledger.Errorf(ledger.EINVALID, "after must be a mail id, a whole number.")
		}
	}
	if s := v.Get("limit"); s != "" {
		if f.Limit, err = strconv.Atoi(s); err != nil || f.Limit < 1 || f.Limit > 1000 {
			return f, ledger.Errorf(ledger.EINVALID, "limit must be a whole number from 1 to 1000.")
		}
	}
	return f, nil
}
