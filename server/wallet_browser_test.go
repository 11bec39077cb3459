package server_test

import (
	"context"
	"image"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ticketbooth-go/ticketbooth/internal/testtool"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// TestBrowserWallet opens the wallet page in headless chromium by its link, as a
// customer's phone does: the token leaves the address bar, the tickets are listed, a
// ticket's code is shown full-screen, and the code read back from a screenshot by zbarimg
// admits at the gate. Reopened without the link, in the customer's German, the page
// still finds its token in the browser.
func TestBrowserWallet(t *testing.T) {
	chromium := chromiumPath(t)
	zbarimg := testtool.Need(t, "zbarimg", "zbar-tools")
	f := newWalletFixture(t)
	blank := filepath.Join(t.TempDir(), "blank.y4m")
	writeY4M(t, blank, image.NewRGBA(image.Rect(0, 0, 16, 16)), 1)
	b := newBrowser(t, chromium, blank)

	b.do("opening the wallet link", chromedp.Navigate(f.srv.URL+"/wallet#"+f.myToken))
	b.poll("the tickets", `document.querySelectorAll('.ticket').length === 2`)
	if hash := eval[string](b, `location.hash`); hash != "" {
		t.Errorf("the address bar keeps the fragment %q", hash)
	}
	if kept := eval[string](b, `sessionStorage.getItem('ticketbooth.wallet')`); kept != f.myToken {
		t.Errorf("sessionStorage holds %q, want the token", kept)
	}
	if text := eval[string](b, `document.querySelector('.ticket').textContent`); !strings.Contains(text, "Seat 1A") || !strings.Contains(text, "Valid") {
		t.Errorf("first ticket reads %q", text)
	}
	b.shot("wallet-list")
	b.showCode(0)
	if when := eval[string](b, `document.getElementById('code-time').textContent`); !strings.Contains(when, "Europe/Zurich") {
		t.Errorf("the code's show time reads %q, want it in the show's zone", when)
	}
	qr := zbarScreenshot(t, b, zbarimg, "wallet-code")
	if qr != f.mine.QR[0] {
		t.Fatalf("the screenshot's code reads %q, want the ticket's QR", qr)
	}
	if res := f.admitOne(f.addr, qr, "North"); res.Status != ledger.StatusAdmitted {
		t.Errorf("the code from the screen at the gate: %+v", res)
	}
	b.do("closing the code", chromedp.Evaluate[chromedp.Void](`document.getElementById('code-close').click()`))

	german := "de-CH"
	admin := ledger.WithActor(context.Background(), ledger.Actor{Admin: true})
	if _, err := f.store.Customers.UpdateCustomer(admin, f.mineID, ledger.CustomerChange{Locale: &german}); err != nil {
		t.Fatal(err)
	}
	b.do("reopening the page without the link", chromedp.Navigate(f.srv.URL+"/wallet"))
	b.poll("the tickets in German", `document.querySelectorAll('.ticket').length === 2 && document.getElementById('title').textContent === 'Deine Tickets'`)
	if text := eval[string](b, `document.querySelector('.ticket').textContent`); !strings.Contains(text, "Eingelassen") {
		t.Errorf("the admitted ticket reads %q, want Eingelassen", text)
	}
}

// showCode opens the code of the n-th ticket and waits for its image.
func (b *browser) showCode(n int) {
	b.t.Helper()
	b.do("showing the code", chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('.show-code')[`+itoa(int64(n))+`].click()`))
	b.poll("the code's image", `(() => { const i = document.getElementById('code-image');
		return !document.getElementById('code').hidden && i && i.complete && i.naturalWidth > 0; })()`)
}

// zbarScreenshot takes a screenshot, keeps it as an artifact and reads its QR code with zbarimg.
func zbarScreenshot(t *testing.T, b *browser, zbarimg, name string) string {
	t.Helper()
	b.shot(name)
	out, err := exec.Command(zbarimg, "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", filepath.Join(b.dir, name+".png")).Output()
	if err != nil {
		t.Fatalf("zbarimg read no code from the screenshot: %v", err)
	}
	return strings.TrimSuffix(string(out), "\n")
}
