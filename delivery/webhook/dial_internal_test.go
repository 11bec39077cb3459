package webhook

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

// TestDialChecksTheAddress: the check runs where the connection is made, on the address a
// name resolved to, so a name pointing at a private address is refused like the address.
func TestDialChecksTheAddress(t *testing.T) {
	d := &Dispatcher{}
	d.setDefaults()
	dial := d.https.Transport.(*http.Transport).DialContext
	for _, addr := range []string{"10.1.2.3:443", "169.254.169.254:80", "[fd00::1]:443"} {
		_, err := dial(context.Background(), "tcp", addr)
		if err == nil || !strings.Contains(d.reason(err), "private") {
			t.Errorf("dial %s: %v (%q), want a refusal of the private address", addr, err, d.reason(err))
		}
	}
	dialHTTP := d.http.Transport.(*http.Transport).DialContext
	if _, err := dialHTTP(context.Background(), "tcp", "192.0.2.1:80"); err == nil || !strings.Contains(d.reason(err), "https") {
		t.Errorf("http dial off loopback: %v, want a refusal", err)
	}
}
