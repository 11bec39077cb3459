package main

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestCustomerWalletLink: customer wallet-link prints a new link once, in-process and
// through a server (where the link opens the wallet); --revoke revokes the older links
// first; --send without a server that mails is refused in words; a bad id is a usage
// error.
func TestCustomerWalletLink(t *testing.T) {
	url, organizer, _, _ := remote(t)
	for name, conn := range map[string][]string{
		"InProcess": {"--db", newDB(t, time.Hour)},
		"Remote":    {"--server", url, "--key", organizer},
	} {
		t.Run(name, func(t *testing.T) {
			cmd := func(args ...string) []string { return append(args, conn...) }
			id := strings.TrimSpace(mustCLI(t, cmd("customer", "add", "--quiet", "--last-name", "Tomson", "--email", "tom@tomsons.com")...))
			base := ""
			if name == "Remote" {
				base = url
			}
			link := regexp.MustCompile(`^` + regexp.QuoteMeta(base) + `/wallet#([A-Za-z0-9_-]{43})\n$`)
			first := mustCLI(t, cmd("customer", "wallet-link", "--id", id, "--quiet")...)
			if !link.MatchString(first) {
				t.Fatalf("wallet-link --quiet printed %q", first)
			}
			text := mustCLI(t, cmd("customer", "wallet-link", "--id", id, "--revoke")...)
			if !strings.Contains(text, "(1 older links revoked)") || !strings.Contains(text, base+"/wallet#") {
				t.Errorf("wallet-link --revoke printed:\n%s", text)
			}
			if base != "" {
				wantWalletStatus(t, url, link.FindStringSubmatch(first)[1], http.StatusUnauthorized)
				last := strings.TrimSpace(text[strings.LastIndex(text, "#")+1:])
				wantWalletStatus(t, url, last, http.StatusOK)
			}
			send := runCLI(t, "", cmd("customer", "wallet-link", "--id", id, "--send")...)
			if want := map[string]int{"InProcess": exitUsage, "Remote": exitFailed}[name]; send.code != want ||
				!strings.Contains(send.stderr, "e-mail") {
				t.Errorf("--send: exit %d, stderr %q; want %d saying that no e-mail is sent", send.code, send.stderr, want)
			}
			for _, bad := range [][]string{{"customer", "wallet-link"}, {"customer", "wallet-link", "--id", "x"}} {
				if r := runCLI(t, "", cmd(bad...)...); r.code != exitUsage || r.stderr == "" {
					t.Errorf("%v: exit %d, stderr %q; want %d with a reason", bad, r.code, r.stderr, exitUsage)
				}
			}
		})
	}
}

// wantWalletStatus asks the server's wallet with the token and checks the status.
func wantWalletStatus(t *testing.T, url, token string, status int) {
	t.Helper()
	req, _ := http.NewRequest("GET", url+"/api/v1.0/wallet", nil)
	req.Header.Set("Authorization", "Wallet "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != status {
		t.Errorf("the wallet with token %.6s…: %d, want %d", token, res.StatusCode, status)
	}
}
