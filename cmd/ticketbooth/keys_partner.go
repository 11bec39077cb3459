package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
)

// grantFlags are keys create's flags of a partner key's grant on the command API.
func grantFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "product", Usage: "partner keys: the highest command API `PRODUCT` the key may use: " +
			strings.Join(ledger.PartnerProducts, ", ") + " (each includes the ones before it)"},
		&cli.StringSliceFlag{Name: "dsn", Usage: "partner keys: a DSN the key may use, the `NAME` of a ledger as serve --dsn gives it; repeat for several"},
		&cli.IntFlag{Name: "per-minute", Usage: fmt.Sprintf("partner keys: at most `N` calls a minute (default %d)", ledger.DefaultCallsPerMinute)},
		&cli.IntFlag{Name: "per-day", Usage: fmt.Sprintf("partner keys: at most `N` calls a day, UTC (default %d)", ledger.DefaultCallsPerDay)},
	}
}

var grantFlagNames = []string{"product", "dsn", "per-minute", "per-day"}

// grantOf reads the grant flags: refused in words for a role other than partner, and
// --product and --dsn required for a partner.
func grantOf(c *cli.Context, role ledger.Role) (ledger.PartnerGrant, error) {
	if role != ledger.RolePartner {
		for _, f := range grantFlagNames {
			if c.IsSet(f) {
				return ledger.PartnerGrant{}, usagef("--%s describes a partner key's grant on the command API: use it with --role partner, not --role %s", f, role)
			}
		}
		return ledger.PartnerGrant{}, nil
	}
	if !c.IsSet("product") || !c.IsSet("dsn") {
		return ledger.PartnerGrant{}, usagef("a partner key needs --product (%s) and --dsn (such as main)", strings.Join(ledger.PartnerProducts, ", "))
	}
	return ledger.PartnerGrant{Product: c.String("product"), DSNs: c.StringSlice("dsn"),
		PerMinute: c.Int("per-minute"), PerDay: c.Int("per-day")}, nil
}

// grantWords says a grant on one line: "sth-hold on main, other; 80 calls a minute, 5000 a day".
func grantWords(g ledger.PartnerGrant) string {
	perMinute, perDay := g.Limits()
	return fmt.Sprintf("%s on %s; %d calls a minute, %d a day", g.Product, strings.Join(g.DSNs, ", "), perMinute, perDay)
}

// listedKey is a key as keys list and keys show print it: a partner's with its grant,
// and in keys show with its usage.
type listedKey struct {
	sqlstore.Key
	Grant *ledger.PartnerGrant `json:"grant,omitempty"`
	Usage *sqlstore.CallUsage  `json:"usage,omitempty"`
}

// listedKeys joins the keys with the partner keys' grants.
func listedKeys(c *cli.Context, st *sqlstore.Store) ([]listedKey, error) {
	keys, err := st.Keys.List(c.Context)
	if err != nil {
		return nil, err
	}
	grants, err := st.Keys.Grants(c.Context)
	if err != nil {
		return nil, err
	}
	out := make([]listedKey, len(keys))
	for i, k := range keys {
		out[i].Key = k
		if g, ok := grants[k.ID]; ok {
			out[i].Grant = &g
		}
	}
	return out, nil
}

// printKeyLine prints a key on one line, a partner's with its grant.
func printKeyLine(w io.Writer, k listedKey) {
	state := ""
	if k.Revoked {
		state = "  (revoked)"
	}
	grant := ""
	if k.Grant != nil {
		grant = "  " + grantWords(*k.Grant)
	}
	fmt.Fprintf(w, "%4d  %-10s  %s%s%s\n", k.ID, k.Role, k.Name, grant, state)
}

func keysShow(c *cli.Context) error {
	st, err := openStore(c)
	if err != nil {
		return err
	}
	defer st.Close()
	keys, err := listedKeys(c, st)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(keys, func(k listedKey) bool { return k.ID == c.Int64("id") })
	if i < 0 {
		return ledger.Errorf(ledger.ENOTFOUND, "No API key with id %d: see 'ticketbooth keys list'", c.Int64("id"))
	}
	k := keys[i]
	if k.Grant != nil {
		u, err := st.Calls.Usage(c.Context, k.ID)
		if err != nil {
			return err
		}
		k.Usage = &u
	}
	s := &session{out: c.App.Writer, json: c.Bool("json")}
	return s.print(k, func(w io.Writer) { printKey(w, k) })
}

// printKey prints a key with its grant and usage.
func printKey(w io.Writer, k listedKey) {
	printKeyLine(w, k)
	if k.Usage == nil {
		return
	}
	perMinute, perDay := k.Grant.Limits()
	fmt.Fprintf(w, "this minute: %d of %d calls, %d refused\n", k.Usage.MinuteCalls, perMinute, k.Usage.MinuteRefused)
	fmt.Fprintf(w, "today (UTC): %d of %d calls, %d refused\n", k.Usage.DayCalls, perDay, k.Usage.DayRefused)
}
