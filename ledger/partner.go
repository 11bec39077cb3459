package ledger

import (
	"context"
	"slices"
	"strings"
	"time"
)

// RolePartner is the role of a partner system's key (a CRM, a season-ticket holder
// portal, a resale or box-office partner) on the season-ticketing command API of seed
// 004 (package season). Its grant says which products and DSNs it may use and how
// often; the command API acts on the ledger with a box-office key's rights on its
// behalf, journaled under the partner's key. The other routes refuse it (403).
const RolePartner Role = "partner"

// The default limits of a partner key, as the seed's: 80 calls a minute, 5,000 a day.
const (
	DefaultCallsPerMinute = 80
	DefaultCallsPerDay    = 5000
)

// PartnerProducts are the products of the command API, lowest first: each includes the
// commands of the ones before it.
var PartnerProducts = []string{"sth-customer", "sth-inventory", "sth-hold", "sth-buy"}

// CheckPartnerGrant checks a grant's product, DSNs and limits: EINVALID in words.
func CheckPartnerGrant(g PartnerGrant) error {
	if !slices.Contains(PartnerProducts, g.Product) {
		return Errorf(EINVALID, "unknown product %q: use %s", g.Product, strings.Join(PartnerProducts, ", "))
	}
	if len(g.DSNs) == 0 {
		return Errorf(EINVALID, "a partner key needs at least one DSN (the ledger it may use, such as main)")
	}
	for _, d := range g.DSNs {
		if err := CheckDSN(d); err != nil {
			return err
		}
	}
	if g.PerMinute < 0 || g.PerDay < 0 {
		return Errorf(EINVALID, "a key's limits are counts of calls, zero for the default, not negative")
	}
	return nil
}

// CheckDSN checks a data source name (the name partners give a ledger): 1 to 64
// characters without commas or spaces; EINVALID in words.
func CheckDSN(d string) error {
	if d == "" || len(d) > 64 || strings.ContainsAny(d, ", \t\r\n") {
		return Errorf(EINVALID, "a DSN is a name of 1 to 64 characters without commas or spaces, not %q", d)
	}
	return nil
}

// PartnerGrant is what a partner key may use of the command API.
type PartnerGrant struct {
	// Product is the highest product the key may use ("sth-customer", "sth-inventory",
	// "sth-hold", "sth-buy"); each includes the ones before it.
	Product string `json:"product"`
	// DSNs are the data source names (ledger databases) the key may use, compared
	// case-insensitively.
	DSNs []string `json:"dsns"`
	// PerMinute and PerDay are the key's limits; zero means the default.
	PerMinute int `json:"perMinute"`
	PerDay    int `json:"perDay"`
}

// Limits returns the key's limits, a minute and a day: the defaults where g says zero.
func (g PartnerGrant) Limits() (perMinute, perDay int) {
	perMinute, perDay = g.PerMinute, g.PerDay
	if perMinute == 0 {
		perMinute = DefaultCallsPerMinute
	}
	if perDay == 0 {
		perDay = DefaultCallsPerDay
	}
	return perMinute, perDay
}

// PartnerKeys resolves the keys of partner systems.
type PartnerKeys interface {
	// Partner returns the actor holding key and its grant: EUNAUTHORIZED for an unknown or
	// revoked key, or one that is not a partner key.
	Partner(ctx context.Context, key string) (Actor, PartnerGrant, error)
}

// CallVerdict is the answer of a CallMeter to one call.
type CallVerdict struct {
	Allowed bool
	// RetryAfter is how long until the refused call would be allowed.
	RetryAfter time.Duration
	// Limit names the limit that refused it: "minute" or "day".
	Limit string
}

// CallMeter counts the calls of partner keys against their limits, across every server
// of the database.
type CallMeter interface {
	// Meter counts one call of the key. A call over a limit is refused, and counted as a
	// refusal rather than a call.
	Meter(ctx context.Context, keyID int64, g PartnerGrant) (CallVerdict, error)
}
