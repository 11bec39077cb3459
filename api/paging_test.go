package api_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// TestPagingRoundTrip: a cursor handed out reads back to its key in its own list only;
// NextLink keeps the request's other parameters and NextCursor reads the cursor back.
func TestPagingRoundTrip(t *testing.T) {
	c := api.Cursor("customers", "cus_42")
	if key, err := api.DecodeCursor("customers", c); err != nil || key != "cus_42" {
		t.Errorf("DecodeCursor = %q, %v", key, err)
	}
	if _, err := api.DecodeCursor("bookings", c); ledger.ErrorCode(err) != ledger.EINVALID {
		t.Errorf("another list's cursor: %v", err)
	}
	u, _ := url.Parse("/api/v1.0/customers?q=ann&offset=3&limit=5")
	h := http.Header{}
	h.Set("Link", api.NextLink(u, 5, c))
	if api.NextCursor(h) != c || h.Get("Link") != `</api/v1.0/customers?cursor=`+c+`&limit=5&q=ann>; rel="next"` {
		t.Errorf("Link %q gives cursor %q", h.Get("Link"), api.NextCursor(h))
	}
	p, err := api.ParsePage(url.Values{"cursor": {c}}, "customers", api.DefaultPageLimit, api.MaxPageLimit)
	if err != nil || p.After != "cus_42" || p.Limit != api.DefaultPageLimit || !p.Asked {
		t.Errorf("ParsePage = %+v, %v", p, err)
	}
	if p, err := api.ParsePage(url.Values{}, "customers", 100, 1000); err != nil || p.Asked || p.After != "" {
		t.Errorf("ParsePage of nothing = %+v, %v", p, err)
	}
	for _, limit := range []string{"0", "1001", "x", "", "-1"} {
		if _, err := api.ParsePage(url.Values{"limit": {limit}}, "customers", 100, 1000); ledger.ErrorCode(err) != ledger.EINVALID {
			t.Errorf("limit %q: %v", limit, err)
		}
	}
}

// FuzzParsePage: any limit and cursor is a page or EINVALID in words, never a panic;
// a cursor that decodes reads back to the same key when written again.
func FuzzParsePage(f *testing.F) {
	f.Add("10", api.Cursor("tickets", "1/22"))
	f.Add("", "%%%")
	f.Add("1000", "dGlja2V0czo")
	f.Fuzz(func(t *testing.T, limit, cursor string) {
		p, err := api.ParsePage(url.Values{"limit": {limit}, "cursor": {cursor}}, "tickets", 100, 1000)
		if err != nil {
			if ledger.ErrorCode(err) != ledger.EINVALID {
				t.Fatalf("error %v is not EINVALID", err)
			}
			return
		}
		if p.Limit < 1 || p.Limit > 1000 {
			t.Fatalf("limit %d out of range", p.Limit)
		}
		if key, err := api.DecodeCursor("tickets", api.Cursor("tickets", p.After)); err != nil || key != p.After {
			t.Fatalf("key %q does not read back: %q, %v", p.After, key, err)
		}
	})
}
