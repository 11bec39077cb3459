package ledger_test

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

func TestParseWebhookEvents(t *testing.T) {
	all, err := ledger.ParseWebhookEvents(nil)
	if err != nil || len(all) != len(ledger.WebhookEventNames) {
		t.Errorf("no events = %v, %v; want every one", all, err)
	}
	got, err := ledger.ParseWebhookEvents([]string{"new-person", " booking-confirmed", "new-person"})
	if err != nil || strings.Join(got, ",") != "booking-confirmed,new-person" {
		t.Errorf("events = %v, %v", got, err)
	}
	if _, err := ledger.ParseWebhookEvents([]string{"booking-deleted"}); ledger.ErrorCode(err) != ledger.EINVALID {
		t.Errorf("unknown event: %v, want EINVALID", err)
	}
}

// FuzzCheckWebhookURL: any text is refused in words or accepted as an http(s) URL whose
// written address, if any, is one a webhook may go to.
func FuzzCheckWebhookURL(f *testing.F) {
	for _, s := range []string{"https://hooks.example.com/x", "http://127.0.0.1:8080/x", "https://10.0.0.1/",
		"https://[::ffff:169.254.169.254]/", "http://user@localhost/", "https://%zz", "javascript:alert(1)", "https://[fe80::1%25eth0]/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := ledger.CheckWebhookURL(raw, false)
		if err != nil {
			if c := ledger.ErrorCode(err); c != ledger.EINVALID && c != ledger.EREFUSED {
				t.Fatalf("%q: code %s", raw, c)
			}
			return
		}
		if u.Scheme != "https" && u.Scheme != "http" {
			t.Fatalf("%q accepted with scheme %q", raw, u.Scheme)
		}
		if ip, err := netip.ParseAddr(u.Hostname()); err == nil {
			if ledger.CheckWebhookAddress(u.Scheme, ip, false) != nil {
				t.Fatalf("%q accepted, its address refused", raw)
			}
		}
	})
}
