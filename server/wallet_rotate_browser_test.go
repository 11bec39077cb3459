package server_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"image"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/internal/testtool"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// secureFixture is a sale with one customer's confirmed SECURE booking of 1A and 2A and
// the customer's wallet link.
type secureFixture struct {
	*env
	addr     string
	customer int64
	p        issuer.Purchase
	token    string
}

func newSecureFixture(t *testing.T) *secureFixture {
	t.Helper()
	f := &secureFixture{env: newEnv(t)}
	f.addr = f.create(threeSeats)
	f.do("POST", api.ContractPath(f.addr, "BeginSale"), f.alice, f.saleBody(threePrices, 1000)).want(t, http.StatusCreated, nil)
	var b ledger.Booking
	f.do("POST", api.BookingsPath, f.shop, `{"customer":`+itoa(f.newCustomer())+`,"contract":"`+f.addr+`","format":"SECURE"}`).
		want(t, http.StatusCreated, &b)
	f.do("POST", api.BookingPath(b.ID, "tickets"), f.shop, `{"seats":[`+seatJSON(1, "A")+`,`+seatJSON(2, "A")+`]}`).want(t, http.StatusOK, nil)
	f.do("POST", api.BookingPath(b.ID, "confirm"), f.shop, `{"ticketsPerQR":1}`).want(t, http.StatusCreated, &f.p)
	f.customer = b.Customer
	admin := ledger.WithActor(context.Background(), ledger.Actor{Admin: true})
	var err error
	if f.token, err = f.store.Wallets.OpenLink(admin, f.customer, nil); err != nil {
		t.Fatalf("OpenLink: %v", err)
	}
	return f
}

// showRotating opens the n-th ticket of the wallet and waits for its drawn code; it
// answers the code's time step.
func (b *browser) showRotating(n int) string {
	b.t.Helper()
	b.do("showing the code", chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('.show-code')[`+itoa(int64(n))+`].click()`))
	b.pollWallet("the rotating code", `(() => { const c = document.getElementById('code-canvas');
		return !document.getElementById('code').hidden && c && c.dataset.step; })()`)
	return eval[string](b, `document.getElementById('code-canvas').dataset.step`)
}

// pollWallet waits until the expression is truthy on the wallet page, showing the code's
// note when it is not.
func (b *browser) pollWallet(what, expr string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 45*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingInterval(50*time.Millisecond))); err != nil {
		note, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.getElementById('code-note').textContent + ' | ' + document.getElementById('state').textContent`))
		b.t.Fatalf("waiting for %s: %v (page: %s)", what, err, note)
	}
}

// TestBrowserRotatingCode runs the wallet page in headless chromium for a SECURE ticket:
// opening it registers this browser's key, the page draws a code that the gate admits
// (read back from a screenshot), the ticket's static QR is refused in words, the same
// screenshot replayed once the ledger's clock has moved past the window is refused as
// expired, and after a reissue the phone's codes are refused. A second browser opening
// the same link is offered to move the ticket; moving it retires the first browser's key.
func TestBrowserRotatingCode(t *testing.T) {
	chromium := chromiumPath(t)
	zbarimg := testtool.Need(t, "zbarimg", "zbar-tools")
	f := newSecureFixture(t)
	blank := filepath.Join(t.TempDir(), "blank.y4m")
	writeY4M(t, blank, image.NewRGBA(image.Rect(0, 0, 16, 16)), 1)
	b := newBrowser(t, chromium, blank)

	b.do("opening the wallet link", chromedp.Navigate(f.srv.URL+"/wallet#"+f.token))
	b.pollWallet("the tickets", `document.querySelectorAll('.ticket').length === 2`)
	b.showRotating(0)
	code := zbarScreenshot(t, b, zbarimg, "wallet-rotating-code")
	if !strings.HasPrefix(code, ledger.RotatingPrefix+f.addr+".1A.") {
		t.Fatalf("the screen shows %q, want a rotating code of 1A", code)
	}
	if res := f.admitOne(f.addr, f.p.QR[0], "North"); res.Status != ledger.StatusInvalid || !strings.Contains(res.Reason, "show the code in the wallet") {
		t.Errorf("the ticket's static QR once a phone holds it: %+v", res)
	}
	if res := f.admitOne(f.addr, code, "North"); res.Status != ledger.StatusAdmitted || res.Seat.String() != "1A" {
		t.Fatalf("the code from the screen at the gate: %+v", res)
	}
	shot, err := os.ReadFile(filepath.Join(b.dir, "wallet-rotating-code.png"))
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(time.Duration(ledger.RotatingWindow+1) * ledger.RotatingStep)
	var replay api.CheckInResponse
	f.postImage(f.addr, "CheckIn", "?gate=South", "image/png", shot).want(t, http.StatusOK, &replay)
	if len(replay.Results) != 1 || replay.Results[0].Status != ledger.StatusInvalid || replay.Results[0].Reason != ledger.MsgCodeExpired {
		t.Errorf("the screenshot replayed after the window: %+v", replay.Results)
	}
	b.do("closing the code", chromedp.Evaluate[chromedp.Void](`document.getElementById('code-close').click()`))

	// 2A: registered on opening, then reissued: the phone's fresh codes no longer admit.
	b.showRotating(1)
	f.do("POST", api.ContractPath(f.addr, "ReissueTicket"), f.shop, `{"seat":`+seatJSON(2, "A")+`}`).want(t, http.StatusCreated, nil)
	stale := zbarScreenshot(t, b, zbarimg, "wallet-rotating-reissued")
	if res := f.admitOne(f.addr, stale, "North"); res.Status != ledger.StatusInvalid || !strings.Contains(res.Reason, "reissued or passed on") {
		t.Errorf("the phone's code after a reissue: %+v", res)
	}
	b.do("closing the code", chromedp.Evaluate[chromedp.Void](`document.getElementById('code-close').click()`))
	moveToSecondBrowser(t, f, b, chromium, blank, zbarimg)
}

// moveToSecondBrowser opens the link in another browser, where 2A (registered again by
// the first browser after its reissue) is offered to move; moving it makes the second
// browser's codes admit and the first browser's refused.
func moveToSecondBrowser(t *testing.T, f *secureFixture, first *browser, chromium, blank, zbarimg string) {
	first.showRotating(1) // the first browser registers its key again for the new secret
	old := zbarScreenshot(t, first, zbarimg, "wallet-rotating-first")
	second := newBrowser(t, chromium, blank)
	second.do("opening the link on another phone", chromedp.Navigate(f.srv.URL+"/wallet#"+f.token))
	second.pollWallet("the tickets", `document.querySelectorAll('.ticket').length === 2`)
	second.do("showing 2A", chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('.show-code')[1].click()`))
	second.pollWallet("the offer to move", `!!document.getElementById('code-move')`)
	second.shot("wallet-rotating-move")
	second.do("moving the ticket here", chromedp.Evaluate[chromedp.Void](`window.confirm = () => true; document.getElementById('code-move').click()`))
	second.pollWallet("the moved code", `(() => { const c = document.getElementById('code-canvas'); return c && c.dataset.step; })()`)
	moved := zbarScreenshot(t, second, zbarimg, "wallet-rotating-moved")
	if res := f.admitOne(f.addr, old, "North"); res.Status != ledger.StatusInvalid || !strings.Contains(res.Reason, "not made by the phone") {
		t.Errorf("the first phone's code after the move: %+v", res)
	}
	if res := f.admitOne(f.addr, moved, "North"); res.Status != ledger.StatusAdmitted {
		t.Errorf("the second phone's code: %+v", res)
	}
}

// TestBrowserScannerRotatingCode: the scanner page's camera path reads a rotating code
// (the server decodes the frame, the page checks the text in): a phone's current code
// admits, and the same picture once the ledger's clock has moved past the window is
// refused in the door's words.
func TestBrowserScannerRotatingCode(t *testing.T) {
	chromium := chromiumPath(t)
	f := newSecureFixture(t)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	spki, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
	id := ledger.TicketID{Contract: f.addr, Sale: 1, Index: 0} // 1A
	if _, err := f.store.Devices.RegisterDevice(context.Background(), ledger.DeviceRequest{Token: f.token, Ticket: id, PublicKey: spki}); err != nil {
		t.Fatal(err)
	}
	code, err := ledger.SignRotatingCode(key, f.addr, ledger.Seat{Number: 1, Letter: "A"}, ledger.RotatingStepAt(f.clock.Now()))
	if err != nil {
		t.Fatal(err)
	}
	camera := filepath.Join(t.TempDir(), "camera.y4m")
	writeY4M(t, camera, ticketFrame(t, code.Text(), 640, 480, 5), 2)
	b := newBrowser(t, chromium, camera)
	b.do("opening the scanner", chromedp.EmulateViewport(360, 740), chromedp.Navigate(f.srv.URL+"/scan/"+f.addr))
	b.do("setting up the scanner", chromedp.WaitVisible(chromedp.CSS("#setup-key")),
		chromedp.SendKeys(chromedp.CSS("#setup-gate"), "North"),
		chromedp.SendKeys(chromedp.CSS("#setup-key"), f.gate), chromedp.Click(chromedp.CSS("#setup-save")))
	admit := b.waitVerdict(1, "admit")
	if admit.Word != "ADMIT" || admit.Detail != "Seat 1A" {
		t.Errorf("the camera's rotating code: %+v", admit)
	}
	b.shot("scanner-rotating-admit")
	f.clock.Advance(time.Duration(ledger.RotatingWindow+1) * ledger.RotatingStep)
	b.typeWedge(code.Text())
	expired := b.waitVerdict(2, "reject")
	if expired.Detail != "Show the live code in the wallet" {
		t.Errorf("the same code after the window: %+v", expired)
	}
	b.shot("scanner-rotating-expired")
}
