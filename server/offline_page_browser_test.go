package server_test

import (
	"image"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
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

// newDevice is a browser of its own (its own profile: storage, caches, service worker),
// as a second phone at another gate is.
func newDevice(t *testing.T) *browser {
	t.Helper()
	camera := filepath.Join(t.TempDir(), "camera.y4m")
	writeY4M(t, camera, image.NewRGBA(image.Rect(0, 0, 64, 64)), 1) // no code in view
	return newBrowser(t, chromiumPath(t), camera)
}

// banner is the scanner page's banner text, "" when hidden.
func banner(b *browser) string {
	return eval[string](b, `(() => { const x = document.getElementById('banner'); return x.hidden ? '' : x.textContent; })()`)
}

// TestBrowserScannerOffline is the test of the page offline: admit online, cut
// the network, admit offline (the page says so and how many wait), reload mid-queue
// (nothing lost, the page from the service worker), a second device offline admits the
// same ticket; restore: both admissions uploaded, the queues empty, the double entry
// recorded by the ledger and flagged on the dashboard.
func TestBrowserScannerOffline(t *testing.T) {
	f := newGateFixture(t)
	srv := newCutServer(t, f)
	a, d := newDevice(t), newDevice(t)
	for _, b := range []*browser{a, d} {
		openScanner(t, f, b, srv.URL)
		b.poll("the gate copy", `document.body.dataset.copy === 'ready'`)
	}
	ada, grace := f.tickets[0].QR[0], f.tickets[1].QR[0]

	a.typeWedge(grace)
	if v := a.waitVerdict(1, "admit"); v.Name != "Grace Hopper" || eval[string](a, `document.getElementById('result').dataset.offline`) != "false" {
		t.Errorf("online: %+v", v)
	}
	srv.cut.Store(true)
	a.typeWedge(ada)
	v := a.waitVerdict(2, "admit")
	note := eval[string](a, `document.getElementById('result-note').textContent`)
	if v.Name != "Ada Lovelace" || eval[string](a, `document.getElementById('result').dataset.offline`) != "true" || !strings.HasPrefix(note, "Decided offline") {
		t.Errorf("offline: %+v, note %q", v, note)
	}
	a.poll("the offline banner", `document.getElementById('banner').textContent === 'Offline — 1 scan waiting to upload'`)
	a.typeWedge(grace)
	if v := a.waitVerdict(3, "already"); !strings.Contains(v.Detail, "North door") {
		t.Errorf("Grace again, offline, admitted online before: %+v", v)
	}

	a.do("reloading mid-queue without the network", chromedp.Reload())
	a.poll("the queue after the reload", `document.body.dataset.waiting === '1' && document.body.dataset.copy === 'ready'`)
	a.poll("the offline banner after the reload", `document.getElementById('banner').textContent === 'Offline — 1 scan waiting to upload'`)
	a.typeWedge(ada)
	if v := a.waitVerdict(1, "already"); !strings.Contains(v.Detail, "North door") {
		t.Errorf("Ada again after the reload, offline: %+v", v)
	}

	d.typeWedge(ada)
	if v := d.waitVerdict(1, "admit"); v.Name != "Ada Lovelace" {
		t.Errorf("the second device, offline: %+v", v)
	}
	d.poll("the second device's banner", `document.getElementById('banner').textContent === 'Offline — 1 scan waiting to upload'`)

	srv.cut.Store(false)
	for _, b := range []*browser{a, d} {
		b.poll("the upload", `document.body.dataset.waiting === '0' && document.getElementById('banner').hidden`)
	}
	checkUploaded(t, f)
	a.do("opening the dashboard", chromedp.Navigate(srv.URL+"/dashboard/"+f.addr), chromedp.WaitVisible(chromedp.CSS("#setup-key")),
		chromedp.SendKeys(chromedp.CSS("#setup-key"), f.keys[ledger.RoleOrganizer]), chromedp.Click(chromedp.CSS("#setup-save")))
	a.poll("the double entry on the dashboard", `!document.getElementById('doubles-panel').hidden && document.querySelectorAll('#doubles tr').length === 1`)
	checkNoOfflinePolicy(t, f, srv, d)
}

// checkNoOfflinePolicy forbids offline admission for the sale: with the network cut the
// page waits for the server and says NOT CHECKED, though it holds a copy.
func checkNoOfflinePolicy(t *testing.T, f *gateFixture, srv *cutServer, d *browser) {
	t.Helper()
	off := false
	if _, err := f.st.Door.SetGatePolicy(f.admin, f.addr, ledger.GatePolicyChange{OfflineAdmission: &off}); err != nil {
		t.Fatal(err)
	}
	d.do("reloading the scanner", chromedp.Reload())
	d.poll("the copy and the contract", `document.body.dataset.copy !== undefined && document.getElementById('show').textContent === 'Opening Night'`)
	srv.cut.Store(true)
	d.typeWedge(f.tickets[2].QR[0])
	if v := d.waitVerdict(1, "unchecked"); v.Word != "NOT CHECKED" {
		t.Errorf("offline admission forbidden: %+v", v)
	}
	if got := banner(d); got != "Server unreachable — tickets cannot be checked" {
		t.Errorf("offline admission forbidden, the banner says %q", got)
	}
	srv.cut.Store(false)
}

// checkUploaded reads the ledger after the upload: Ada and Grace admitted, Ada's second
// admission a double entry.
func checkUploaded(t *testing.T, f *gateFixture) {
	t.Helper()
	rep, err := f.st.Gate.CheckIns(f.admin, f.addr)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Admitted != 2 {
		t.Errorf("admitted %d, want Ada and Grace: %+v", rep.Admitted, rep)
	}
	if rep.DoubleEntries != 1 || len(rep.Doubles) != 1 || rep.Doubles[0].Seat != f.tickets[0].Tickets[0].Seat {
		t.Errorf("double entries %d %+v, want Ada's", rep.DoubleEntries, rep.Doubles)
	}
}
