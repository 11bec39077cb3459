package ledgertest

import (
	"testing"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// testWebhooks: an organizer registers an endpoint, gets its secret once and lists it;
// another organizer neither sees nor removes it; scanner keys and no key are refused;
// bad URLs and private addresses are refused in words; removing it ends it.
func testWebhooks(t *testing.T, b Backend) {
	o := b.Organizer
	if o.Webhooks == nil {
		t.Skip("this backend keeps no webhooks")
	}
	h, err := o.Webhooks.AddWebhook(o.Ctx, ledger.WebhookRequest{URL: "https://hooks.example.com/tb", Events: []string{ledger.EventNewBooking}})
	must(t, err, "AddWebhook")
	if h.ID == 0 || len(h.Secret) < 40 || len(h.Events) != 1 || h.URL != "https://hooks.example.com/tb" {
		t.Errorf("AddWebhook = %+v", h)
	}
	hooks, err := o.Webhooks.Webhooks(o.Ctx)
	must(t, err, "Webhooks")
	if len(hooks) != 1 || hooks[0].ID != h.ID || hooks[0].Owner != h.Owner {
		t.Errorf("Webhooks = %+v, want the one added", hooks)
	}
	r := b.Rival
	rivals, err := r.Webhooks.Webhooks(r.Ctx)
	must(t, err, "the rival's Webhooks")
	if len(rivals) != 0 {
		t.Errorf("the rival sees %+v", rivals)
	}
	wantCode(t, r.Webhooks.RemoveWebhook(r.Ctx, h.ID), ledger.ENOTFOUND, "the rival removing it")
	_, err = r.Webhooks.WebhookDeliveries(r.Ctx, ledger.DeliveryQuery{Webhook: h.ID})
	wantCode(t, err, ledger.ENOTFOUND, "the rival reading its deliveries")
	_, err = b.Scanner.Webhooks.Webhooks(b.Scanner.Ctx)
	wantCode(t, err, ledger.EFORBIDDEN, "a scanner key listing webhooks")
	_, err = b.Anonymous.Webhooks.AddWebhook(b.Anonymous.Ctx, ledger.WebhookRequest{URL: "https://hooks.example.com/x"})
	wantCode(t, err, ledger.EUNAUTHORIZED, "no key adding a webhook")
	_, err = o.Webhooks.AddWebhook(o.Ctx, ledger.WebhookRequest{URL: "https://169.254.169.254/latest"})
	wantCode(t, err, ledger.EREFUSED, "a link-local endpoint")
	_, err = o.Webhooks.AddWebhook(o.Ctx, ledger.WebhookRequest{URL: "hooks.example.com"})
	wantCode(t, err, ledger.EINVALID, "a URL without scheme")
	ds, err := o.Webhooks.WebhookDeliveries(o.Ctx, ledger.DeliveryQuery{Webhook: h.ID})
	must(t, err, "WebhookDeliveries")
	if len(ds) != 0 {
		t.Errorf("deliveries before any event: %+v", ds)
	}
	must(t, o.Webhooks.RemoveWebhook(o.Ctx, h.ID), "RemoveWebhook")
	hooks, err = o.Webhooks.Webhooks(o.Ctx)
	must(t, err, "Webhooks after removing")
	if len(hooks) != 0 {
		t.Errorf("Webhooks after removing = %+v", hooks)
	}
}
