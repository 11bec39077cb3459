package api

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

func TestParseRelations(t *testing.T) {
	for expr, want := range map[string]string{
		"":                                    "",
		"  ":                                  "",
		"[]":                                  "",
		"booking":                             "booking",
		"[booking,booking.customer,sale]":     "booking booking.customer sale",
		"[ booking , sale ]":                  "booking sale",
		"booking.[customer, owner]":           "booking.customer booking.owner",
		"[a.[b.[c,d]], a.b.c, e]":             "a.b.c a.b.d e",
		"[ticket_holder,ticket_config.event]": "ticket_holder ticket_config.event",
	} {
		got, err := ParseRelations(expr)
		if err != nil || strings.Join(got, " ") != want {
			t.Errorf("ParseRelations(%q) = %q, %v; want %q", expr, got, err, want)
		}
	}
	for expr, part := range map[string]string{
		"[booking":               "closing ]",
		"booking.":               "name missing",
		"[booking,,sale]":        "unexpected \",\"",
		"booking sale":           "unexpected \"s\" at character 9",
		"1booking":               "where a relation name belongs",
		"[[[[[a]]]]]":            "nested more than 4",
		"booking]":               "unexpected \"]\"",
		"booking;drop":           "unexpected \";\"",
		strings.Repeat("a", 41):  "longer than 40",
		strings.Repeat("[", 300): "longer than 256",
	} {
		_, err := ParseRelations(expr)
		if ledger.ErrorCode(err) != ledger.EINVALID || !strings.Contains(ledger.ErrorMessage(err), part) {
			t.Errorf("ParseRelations(%.20q) = %v; want EINVALID saying %q", expr, err, part)
		}
	}
}

// FuzzParseRelations: any text parses or is EINVALID, never panics; the paths it names
// are dotted names within the bounds, and written back they parse to the same paths.
func FuzzParseRelations(f *testing.F) {
	for _, s := range []string{"[booking,booking.customer,sale]", "a.[b,c.[d]]", "[", "a..b", "[a,]", " [ a ] "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		paths, err := ParseRelations(expr)
		if err != nil {
			if ledger.ErrorCode(err) != ledger.EINVALID {
				t.Fatalf("ParseRelations(%q): %v is not EINVALID", expr, err)
			}
			return
		}
		if len(paths) > MaxRelations || len(expr) > MaxRelationExprLength {
			t.Fatalf("ParseRelations(%q) = %d paths past the bounds", expr, len(paths))
		}
		for _, p := range paths {
			for _, name := range strings.Split(p, ".") {
				if name == "" || len(name) > maxRelationName || strings.ContainsAny(name, " [],") {
					t.Fatalf("ParseRelations(%q) names %q", expr, p)
				}
			}
		}
		again, err := ParseRelations(FormatRelations(paths))
		if len(FormatRelations(paths)) <= MaxRelationExprLength && (err != nil || !slices.Equal(again, paths)) {
			t.Fatalf("ParseRelations(%q) = %q, written back %q", expr, paths, again)
		}
	})
}

func TestParseTicketQuery(t *testing.T) {
	address, _ := ledger.NewAddress()
	v := url.Values{"contract": {address}, "status": {"reserved"}, "format": {"secure"}, "sort_by": {"price"}, "direction": {"DESC"},
		"with": {"[booking.customer,sale]"}, "limit": {"5"}}
	q, err := ParseTicketQuery(v)
	if err != nil || q.Contract != address || q.Status != ledger.TicketReserved || q.Format != ledger.FormatSecure || q.SortBy != ledger.SortPrice ||
		!q.Desc || q.Limit != 5 || strings.Join(q.With, " ") != "booking booking.customer sale" {
		t.Fatalf("ParseTicketQuery = %+v, %v", q, err)
	}
	q.After = "40|" + address + ":1:2"
	back, err := ParseTicketQuery(TicketQueryValues(q))
	if err != nil || back.After != q.After || back.Limit != 5 || !back.Desc || back.SortBy != ledger.SortPrice {
		t.Fatalf("written and read back: %+v, %v", back, err)
	}
	for query, part := range map[string]string{
		"status=sold&owner=7":          "not one of available, reserved, issued, checked in",
		"owner=7&sort_by=secret":       "use one of seat, price, status",
		"owner=7&direction=up":         "not asc or desc",
		"owner=7&with=[booking.owner]": "not a relation of a ticket",
		"owner=7&with=[booking":        "closing ]",
		"owner=-1":                     "positive whole number",
		"owner=7&owner=8":              "given 2 times",
		"owner=7&secret=1":             `"secret" is not one of`,
		"ids=abc":                      "ADDRESS:SALE:INDEX",
		"status=issued":                "give a contract, booking, owner or ids",
		"owner=7&limit=0":              "limit must be",
		"owner=7&cursor=" + Cursor("tickets/price/asc", "1|"+address+":1:0"): "not a cursor of this list",
	} {
		v, _ := url.ParseQuery(query)
		_, err := ParseTicketQuery(v)
		if ledger.ErrorCode(err) != ledger.EINVALID || !strings.Contains(ledger.ErrorMessage(err), part) {
			t.Errorf("%s: %v; want EINVALID saying %q", query, err, part)
		}
	}
}
