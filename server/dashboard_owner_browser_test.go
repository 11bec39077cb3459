package server_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// An organizer key that does not own the contract is told so on the dashboard, in a
// grammatical sentence that says what to do.
func TestBrowserDashboardNotTheOwner(t *testing.T) {
	chromium := chromiumPath(t)
	f := newGateFixtureAt(t, time.Hour)
	other, _, err := f.st.Keys.CreateKey(f.admin, ledger.RoleOrganizer, "another office")
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, chromium, "")
	b.do("opening the dashboard", chromedp.EmulateViewport(1100, 760), chromedp.Navigate(f.srv.URL+"/dashboard/"+f.addr),
		chromedp.WaitVisible(chromedp.CSS("#setup-key")),
		chromedp.SendKeys(chromedp.CSS("#setup-key"), other),
		chromedp.Click(chromedp.CSS("#setup-save")))
	b.poll("the set-up error", `!document.getElementById('setup-error').hidden`)
	msg := eval[string](b, `document.getElementById('setup-error').textContent`)
	for _, want := range []string{"Only the owner of contract " + f.addr, "Use an organizer key that owns this contract", "ticketbooth contract transfer"} {
		if !strings.Contains(msg, want) {
			t.Errorf("set-up error %q lacks %q", msg, want)
		}
	}
	if strings.Contains(msg, "a organizer") {
		t.Errorf("set-up error %q is not grammatical", msg)
	}
}
