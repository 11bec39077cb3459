package main

import (
	"strings"
	"testing"
	"time"
)

// TestWebhookCommands runs the webhook commands in-process and through a server with an
// organizer key: add (the secret printed), list, deliveries, remove; refusals in words
// with their exit statuses.
func TestWebhookCommands(t *testing.T) {
	url, organizer, scannerKey, _ := remote(t)
	for name, conn := range map[string][]string{
		"InProcess": {"--db", newDB(t, time.Hour)},
		"Remote":    {"--server", url, "--key", organizer},
	} {
		t.Run(name, func(t *testing.T) { webhookSession(t, conn) })
	}
	r := runCLI(t, "", "webhook", "list", "--server", url, "--key", scannerKey)
	if r.code != exitDenied || !strings.Contains(r.stderr, "scanner key may not") {
		t.Errorf("list with a scanner key: exit %d, stderr %q; want %d", r.code, r.stderr, exitDenied)
	}
}

func webhookSession(t *testing.T, conn []string) {
	cmd := func(args ...string) []string { return append(args, conn...) }
	out := mustCLI(t, cmd("webhook", "add", "--url", "http://127.0.0.1:9/hooks", "--event", "new-person", "--event", "booking-confirmed")...)
	for _, want := range []string{"added webhook 1: http://127.0.0.1:9/hooks", "events  booking-confirmed, new-person", "secret  whsec_", "shown only this once"} {
		if !strings.Contains(out, want) {
			t.Errorf("webhook add:\n%s\nwant %q", out, want)
		}
	}
	secret := strings.TrimSpace(mustCLI(t, cmd("webhook", "add", "--quiet", "--url", "https://hooks.example.com/x")...))
	if !strings.HasPrefix(secret, "whsec_") || strings.Contains(secret, "\n") {
		t.Errorf("webhook add --quiet printed %q, want the secret alone", secret)
	}
	list := mustCLI(t, cmd("webhook", "list")...)
	if !strings.Contains(list, "1  http://127.0.0.1:9/hooks  (booking-confirmed, new-person") || !strings.Contains(list, "2  https://hooks.example.com/x") {
		t.Errorf("webhook list:\n%s", list)
	}
	if strings.Contains(list, "whsec_") {
		t.Errorf("webhook list shows a secret:\n%s", list)
	}
	if out := mustCLI(t, cmd("webhook", "deliveries", "--id", "1")...); !strings.Contains(out, "no deliveries") {
		t.Errorf("webhook deliveries:\n%s", out)
	}
	mustCLI(t, cmd("webhook", "remove", "--id", "2")...)
	for _, c := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"webhook", "add", "--url", "https://10.0.0.8/x"}, exitFailed, "private"},
		{[]string{"webhook", "add", "--url", "ftp://example.com/"}, exitUsage, "not an https:// URL"},
		{[]string{"webhook", "add", "--url", "https://example.com/", "--event", "booking-eaten"}, exitUsage, "Unknown webhook event"},
		{[]string{"webhook", "remove", "--id", "2"}, exitFailed, "No webhook 2"},
		{[]string{"webhook", "retry", "--delivery", "99"}, exitFailed, "No webhook delivery 99"},
		{[]string{"webhook", "deliveries", "--id", "1", "--state", "lost"}, exitUsage, "Unknown delivery state"},
	} {
		r := runCLI(t, "", cmd(c.args...)...)
		if r.code != c.code || !strings.Contains(r.stderr, c.says) {
			t.Errorf("%v: exit %d, stderr %q; want %d saying %q", c.args, r.code, r.stderr, c.code, c.says)
		}
	}
}
