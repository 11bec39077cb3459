package server_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// cutServer is a server whose network can be cut: while cut, every connection is
// closed without an answer, as when the venue's network fails.
type cutServer struct {
	*httptest.Server
	cut atomic.Bool
}

func newCutServer(t *testing.T, f *gateFixture) *cutServer {
	t.Helper()
	c := &cutServer{}
	h := newServer(t, f.st, slog.New(slog.DiscardHandler))
	c.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !c.cut.Load() {
			h.ServeHTTP(w, r)
			return
		}
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			conn.Close()
		}
	}))
	t.Cleanup(c.Close)
	return c
}

// openScanner opens the scanner page of srv and sets it up at gate North door with the
// scanner key; it waits for the service worker to control the page.
func openScanner(t *testing.T, f *gateFixture, b *browser, url string) {
	t.Helper()
	b.do("opening the scanner", chromedp.Navigate(url+"/scan/"+f.addr), chromedp.WaitVisible(chromedp.CSS("#setup-key")),
		chromedp.SetValue(chromedp.CSS("#setup-gate"), "North door"),
		chromedp.SetValue(chromedp.CSS("#setup-key"), f.keys[ledger.RoleScanner]),
		chromedp.Click(chromedp.CSS("#setup-save")))
	b.poll("the set-up to close", `!document.getElementById('setup').open`)
	b.poll("the service worker", `navigator.serviceWorker.controller !== null`)
}

// TestBrowserScannerReloadOffline reloads the scanner page with the network cut: the
// service worker shows the page from its cache, set up as before, and what the page
// kept in IndexedDB (a copy and its increment, a queued admission) is still there.
func TestBrowserScannerReloadOffline(t *testing.T) {
	f := newGateFixture(t)
	srv := newCutServer(t, f)
	b := openBlankScanner(t, f) // a browser; the fixture's own server is not used below
	openScanner(t, f, b, srv.URL)
	evalAsync[bool](b, `import('/assets/gate-store.js').then(async (s) => {
		await s.saveCopy({contract: 'C1', sale: 1, cursor: 'k0'}, true, [{key: '1a', ticket: ['1A', 'AAAA']}, {key: '1b', ticket: ['1B']}]);
		await s.saveCopy({contract: 'C1', sale: 1, cursor: 'k1'}, false, [{key: '1b', ticket: ['1B', 'BBBB', 1767382200000, 'South door']}]);
		await s.saveCopy({contract: 'C2', sale: 1, cursor: 'other'}, true, [{key: '1a', ticket: ['1A']}]);
		await s.enqueue({nonce: 'n1', contract: 'C1', qr: '[]', gate: 'North door', at: '2026-01-02T19:30:00.000Z', direction: 'in', seats: ['1a']});
		return true; })`)

	srv.cut.Store(true)
	b.do("reloading without the network", chromedp.Reload())
	b.poll("the page from the cache", `document.getElementById('gate-chip').textContent === 'North door' && !document.getElementById('gate-chip').hidden`)
	b.poll("the offline banner", `document.getElementById('banner').textContent.startsWith('Server unreachable')`)
	kept := evalAsync[string](b, `import('/assets/gate-store.js').then(async (s) => {
		const c = await s.loadCopy('C1'), q = await s.queued('C1');
		return c.cursor + ' ' + c.seats.map((x) => x.ticket.join(':')).sort().join() + ' ' + q.map((x) => x.nonce + '@' + x.gate).join(); })`)
	if kept != "k1 1A:AAAA,1B:BBBB:1767382200000:South door n1@North door" {
		t.Errorf("kept in IndexedDB across the reload: %q", kept)
	}
	if got := eval[string](b, `document.querySelector('link[rel=stylesheet][href="/assets/scan.css"]') && getComputedStyle(document.body).backgroundColor`); got == "" || strings.Contains(got, "rgba(0, 0, 0, 0)") {
		t.Errorf("the page's style is not applied offline: background %q", got)
	}
}

// TestScanWorker checks the service worker's route: a script allowed to control /scan,
// listing the page's files (those the HTML links and the scripts import).
func TestScanWorker(t *testing.T) {
	f := newGateFixture(t)
	res, body := get(t, f.srv.URL+"/scan/sw.js", nil)
	if res.StatusCode != http.StatusOK || res.Header.Get("Service-Worker-Allowed") != "/scan" ||
		!strings.HasPrefix(res.Header.Get("Content-Type"), "text/javascript") {
		t.Fatalf("GET /scan/sw.js: %d %v", res.StatusCode, res.Header)
	}
	for _, want := range []string{`"/assets/scan.js"`, `"/assets/scan.css"`, `"/assets/verdict.js"`, `"/assets/sha3.js"`, `"/assets/gate-store.js"`, "const VERSION = '"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("the worker does not list %s", want)
		}
	}
	if strings.Contains(string(body), `"/assets/wallet.js"`) {
		t.Error("the worker keeps the wallet's files, which the scanner does not use")
	}
}
