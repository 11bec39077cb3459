package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/scanner"
)

// TestBrowserDashboardDoubleEntries: a ticket admitted online at North and uploaded as
// admitted offline at South shows on the dashboard as "Double entries: 1", with both
// gates; with none the panel is hidden.
func TestBrowserDashboardDoubleEntries(t *testing.T) {
	chromium := chromiumPath(t)
	f := newGateFixtureAt(t, time.Hour)
	qr := f.tickets[1].QR[0]
	body, _ := json.Marshal(api.CheckInRequest{QR: qr, Gate: "North", Nonce: "n1"})
	if status, b := f.do(t, http.MethodPost, api.ContractPath(f.addr, "CheckIn"), ledger.RoleScanner, "application/json", body); status != http.StatusOK {
		t.Fatalf("check-in: %d %s", status, b)
	}
	b := newBrowser(t, chromium, "")
	b.do("opening the dashboard", chromedp.EmulateViewport(1100, 760), chromedp.Navigate(f.srv.URL+"/dashboard/"+f.addr),
		chromedp.WaitVisible(chromedp.CSS("#setup-key")),
		chromedp.SendKeys(chromedp.CSS("#setup-key"), f.keys[ledger.RoleOrganizer]),
		chromedp.Click(chromedp.CSS("#setup-save")))
	b.poll("the dashboard's counts", `document.getElementById('admitted').textContent === '1'`)
	if !eval[bool](b, `document.getElementById('doubles-panel').hidden`) {
		t.Errorf("the double entries panel shows with none")
	}
	up, _ := json.Marshal(api.CheckInUploadRequest{Device: "phone 2", Items: []scanner.Upload{{QR: qr, Gate: "South", Nonce: "o1", At: time.Now().Add(-time.Minute)}}})
	if status, b := f.do(t, http.MethodPost, api.ContractPath(f.addr, "CheckInUpload"), ledger.RoleScanner, "application/json", up); status != http.StatusOK ||
		!strings.Contains(string(b), ledger.StatusDoubleEntry) {
		t.Fatalf("upload: %d %s, want a double entry", status, b)
	}
	b.poll("the double entry", `!document.getElementById('doubles-panel').hidden`)
	title := eval[string](b, `document.getElementById('doubles-title').textContent`)
	row := eval[string](b, `document.querySelector('#doubles tr').textContent`)
	if title != "Double entries: 1" || !strings.Contains(row, "South (phone 2)") || !strings.Contains(row, "North") {
		t.Errorf("dashboard: %q, row %q; want one double entry at South, first at North", title, row)
	}
	b.shot("dashboard-double")
}
