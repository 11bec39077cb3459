package client_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/delivery/webhook"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// TestWebhooksThroughTheAPI registers an endpoint through the client, has the server's
// dispatcher deliver an event to a receiver on loopback, reads the delivery and its
// attempt back, retries it and removes the endpoint; other keys may not touch it.
func TestWebhooksThroughTheAPI(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	var mu sync.Mutex
	var got []http.Header
	var bodies [][]byte
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		got, bodies = append(got, r.Header.Clone()), append(bodies, body)
		mu.Unlock()
	}))
	t.Cleanup(rcv.Close)

	h, err := e.alice.AddWebhook(ctx, ledger.WebhookRequest{URL: rcv.URL + "/hook", Events: []string{ledger.EventNewPerson}})
	if err != nil || h.ID == 0 || len(h.Secret) < 40 || h.Owner == "" {
		t.Fatalf("AddWebhook = %+v, %v", h, err)
	}
	checkWebhookRefusals(t, e, h.ID)

	d := &webhook.Dispatcher{Queue: e.store.Webhooks, Poll: 10 * time.Millisecond, Now: e.clock.Now}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { d.Run(runCtx); close(done) }()
	t.Cleanup(func() { stop(); <-done })

	if _, err := e.alice.CreateCustomer(ctx, ledger.Customer{FirstName: "Tom", LastName: "Tomson", Email: "tom@tomsons.com"}); err != nil {
		t.Fatalf("CreateCustomer: %v", err)
	}
	e.clock.AdvanceBlocks(1) // the block closes: the dispatcher follows it
	ds := waitDeliveries(t, e, h.ID, func(ds []ledger.WebhookDelivery) bool {
		return len(ds) == 1 && ds[0].State == ledger.DeliveryDelivered
	})
	if a := ds[0].Attempts; len(a) != 1 || a[0].Status != http.StatusOK || ds[0].Event != ledger.EventNewPerson {
		t.Errorf("delivery = %+v", ds[0])
	}
	mu.Lock()
	err = webhook.Verify(h.Secret, got[0], bodies[0], e.clock.Now(), time.Minute)
	mu.Unlock()
	if err != nil {
		t.Errorf("Verify: %v", err)
	}

	again, err := e.alice.RetryWebhookDelivery(ctx, ds[0].ID)
	if err != nil || again.State != ledger.DeliveryPending {
		t.Fatalf("RetryWebhookDelivery = %+v, %v", again, err)
	}
	waitDeliveries(t, e, h.ID, func(ds []ledger.WebhookDelivery) bool {
		return len(ds[0].Attempts) == 2 && ds[0].State == ledger.DeliveryDelivered
	})

	if err := e.alice.RemoveWebhook(ctx, h.ID); err != nil {
		t.Fatalf("RemoveWebhook: %v", err)
	}
	if hooks, err := e.alice.Webhooks(ctx); err != nil || len(hooks) != 0 {
		t.Errorf("Webhooks after removing = %+v, %v", hooks, err)
	}
	if _, err := e.alice.WebhookDeliveries(ctx, ledger.DeliveryQuery{Webhook: h.ID}); ledger.ErrorCode(err) != ledger.ENOTFOUND {
		t.Errorf("deliveries of a removed webhook: %v, want ENOTFOUND", err)
	}
}

// checkWebhookRefusals: another organizer, a scanner key and no key may not see or touch
// alice's endpoint; bad URLs and events are refused in words.
func checkWebhookRefusals(t *testing.T, e *env, id int64) {
	t.Helper()
	ctx := context.Background()
	if hooks, err := e.bob.Webhooks(ctx); err != nil || len(hooks) != 0 {
		t.Errorf("bob's webhooks = %+v, %v; want none", hooks, err)
	}
	if err := e.bob.RemoveWebhook(ctx, id); ledger.ErrorCode(err) != ledger.ENOTFOUND {
		t.Errorf("bob removing alice's webhook: %v, want ENOTFOUND", err)
	}
	if _, err := e.bob.WebhookDeliveries(ctx, ledger.DeliveryQuery{Webhook: id}); ledger.ErrorCode(err) != ledger.ENOTFOUND {
		t.Errorf("bob reading alice's deliveries: %v, want ENOTFOUND", err)
	}
	if _, err := e.gate.Webhooks(ctx); ledger.ErrorCode(err) != ledger.EFORBIDDEN {
		t.Errorf("a scanner key listing webhooks: %v, want EFORBIDDEN", err)
	}
	if _, err := e.anon.Webhooks(ctx); ledger.ErrorCode(err) != ledger.EUNAUTHORIZED {
		t.Errorf("no key listing webhooks: %v, want EUNAUTHORIZED", err)
	}
	for url, code := range map[string]string{"https://10.1.1.1/x": ledger.EREFUSED, "ftp://x/": ledger.EINVALID} {
		if _, err := e.alice.AddWebhook(ctx, ledger.WebhookRequest{URL: url}); ledger.ErrorCode(err) != code {
			t.Errorf("AddWebhook(%s): %v, want %s", url, err, code)
		}
	}
	if _, err := e.alice.AddWebhook(ctx, ledger.WebhookRequest{URL: "https://x.example/", Events: []string{"nope"}}); ledger.ErrorCode(err) != ledger.EINVALID {
		t.Errorf("an unknown event: %v, want EINVALID", err)
	}
}

// waitDeliveries reads the endpoint's deliveries until ok holds (the test fails after a
// generous deadline that only ends a hanging test).
func waitDeliveries(t *testing.T, e *env, id int64, ok func([]ledger.WebhookDelivery) bool) []ledger.WebhookDelivery {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		ds, err := e.alice.WebhookDeliveries(context.Background(), ledger.DeliveryQuery{Webhook: id})
		if err != nil {
			t.Fatalf("WebhookDeliveries: %v", err)
		}
		if len(ds) > 0 && ok(ds) {
			return ds
		}
		if time.Now().After(deadline) {
			t.Fatalf("deliveries still %+v", ds)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
