package webhook_test

import (
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// TestPrivateAddressesRefused: endpoints on private, link-local or shared addresses, and
// http off loopback, are refused at registration; the server's flag allows private ones;
// and a sender without the flag refuses them again when it connects.
func TestPrivateAddressesRefused(t *testing.T) {
	w := newWorld(t)
	for _, url := range []string{"https://10.0.0.5/hook", "https://192.168.1.20/hook", "https://172.16.0.1/hook",
		"https://169.254.169.254/latest/meta-data", "https://[fe80::1]/hook", "https://[fd00::1]/hook",
		"https://100.64.0.1/hook", "http://hooks.example.com/hook", "http://10.0.0.5/hook", "https://0.0.0.0/hook",
		"https://[::ffff:10.0.0.5]/hook"} {
		_, err := w.st.Webhooks.AddWebhook(w.alice, ledger.WebhookRequest{URL: url})
		if ledger.ErrorCode(err) != ledger.EREFUSED {
			t.Errorf("AddWebhook(%s) = %v, want EREFUSED", url, err)
		}
	}
	for _, url := range []string{"ftp://example.com/x", "https://user:pw@example.com/x", "hooks.example.com", "https://"} {
		_, err := w.st.Webhooks.AddWebhook(w.alice, ledger.WebhookRequest{URL: url})
		if ledger.ErrorCode(err) != ledger.EINVALID {
			t.Errorf("AddWebhook(%s) = %v, want EINVALID", url, err)
		}
	}
	for _, url := range []string{"https://hooks.example.com/ticketbooth", "http://127.0.0.1:9/x", "http://localhost:9/x", "https://[::1]/x"} {
		if _, err := w.st.Webhooks.AddWebhook(w.alice, ledger.WebhookRequest{URL: url}); err != nil {
			t.Errorf("AddWebhook(%s): %v", url, err)
		}
	}

	w.st.Webhooks.AllowPrivate = true
	h := w.register(w.alice, "https://10.0.0.5/hook", ledger.EventNewPerson)
	w.st.Webhooks.AllowPrivate = false
	stop := run(t, dispatcher(w.st))
	w.customer(w.alice, "Tom")
	waitFor(t, "an attempt", func() bool {
		ds := w.deliveries(w.alice, h.ID)
		return len(ds) == 1 && len(ds[0].Attempts) > 0
	})
	stop()
	a := w.deliveries(w.alice, h.ID)[0].Attempts[0]
	if a.Status != 0 || !strings.Contains(a.Error, "private") {
		t.Errorf("attempt = %+v, want a refusal of the private address", a)
	}
}
