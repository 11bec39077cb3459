package server_test

import (
	"context"
	"image"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/crypto"
	"github.com/ticketbooth-go/ticketbooth/internal/mailtest"
	"github.com/ticketbooth-go/ticketbooth/internal/testtool"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// TestBrowserWalletTransfer: a holder opens their wallet in headless chromium and gives a
// ticket to a second person through the page's Transfer form: the ticket leaves the list
// with a sentence that the receiver got an e-mail, and the old code is refused at the
// gate. The receiver's mail (the Courier's outbox) carries a wallet link; opened in the
// browser it lists the ticket and shows its code, which zbarimg reads from the screen and
// the gate admits. Back in the holder's wallet, Sell above the cap shows the API's
// refusal, Sell at a lower price lists the offer (price, fee, credit) and the offer is in
// the contract's open resale offers; Withdraw offer takes it off that list. Send a new
// code says so, the old code is refused, and the one mailed to the holder admitted. A
// link that keeps no code of the ticket offers only Send a new code, in the customer's
// German.
func TestBrowserWalletTransfer(t *testing.T) {
	chromium := chromiumPath(t)
	zbarimg := testtool.Need(t, "zbarimg", "zbar-tools")
	e, outbox := newMailingEnv(t)
	addr, ann, annToken, codes := walletOfTwo(e)
	blank := filepath.Join(t.TempDir(), "blank.y4m")
	writeY4M(t, blank, image.NewRGBA(image.Rect(0, 0, 16, 16)), 1)
	b := newBrowser(t, chromium, blank)

	b.do("opening the holder's wallet", chromedp.Navigate(e.srv.URL+"/wallet#"+annToken))
	b.poll("the tickets and their actions", `document.querySelectorAll('.ticket .transfer').length === 2`)
	b.shot("wallet-actions")
	b.do("giving the first ticket away", chromedp.Evaluate[chromedp.Void](`(() => {
		window.confirm = () => true;
		document.querySelector('.ticket .transfer').click();
		const f = document.querySelector('.ticket-form');
		f.elements.email.value = 'bea@example.com';
		f.elements.firstName.value = 'Bea';
		f.elements.lastName.value = 'Example';
		f.requestSubmit();
	})()`))
	b.poll("the ticket gone with a sentence", `document.querySelectorAll('.ticket').length === 1 &&
		/e-mail/.test(document.getElementById('notice').textContent)`)
	if notice := eval[string](b, `document.getElementById('notice').textContent`); !strings.Contains(notice, "bea@example.com") {
		t.Errorf("the notice after the transfer reads %q", notice)
	}
	if got := e.admitOne(addr, codes[0].QR, "north"); got.Status != ledger.StatusInvalid {
		t.Errorf("the giver's code at the gate: %+v, want invalid", got)
	}

	link, mailed := receiverLink(t, outbox, "bea@example.com")
	token, ok := strings.CutPrefix(link, "https://tickets.example/wallet#")
	if !ok {
		t.Fatalf("the receiver's wallet link is %q, want it on the public URL", link)
	}
	b.do("opening the receiver's link", chromedp.Navigate(e.srv.URL+"/wallet#"+token))
	b.poll("the receiver's ticket", `document.querySelectorAll('.ticket .show-code').length === 1 &&
		document.querySelector('.ticket').textContent.includes('Seat 1A')`)
	b.showCode(0)
	qr := zbarScreenshot(t, b, zbarimg, "wallet-received-code")
	if qr != mailed {
		t.Errorf("the receiver's wallet shows %q, want the code of the mail's PDF %q", qr, mailed)
	}
	if got := e.admitOne(addr, qr, "north"); got.Status != ledger.StatusAdmitted {
		t.Errorf("the receiver's code from the screen at the gate: %+v, want admitted", got)
	}

	b.do("closing the code", chromedp.Evaluate[chromedp.Void](`document.getElementById('code-close').click()`))
	b.do("back to the holder's wallet", chromedp.Navigate(e.srv.URL+"/wallet#"+annToken))
	b.poll("the holder's one ticket", `document.querySelectorAll('.ticket .sell').length === 1 &&
		document.querySelector('.ticket').textContent.includes('Seat 1B')`)
	b.sell("101")
	b.poll("the refusal over the cap", `/cap/.test(document.querySelector('.ticket-status.problem')?.textContent || '')`)
	b.sell("90")
	b.poll("the offer", `/0\.90/.test(document.querySelector('.ticket-status').textContent) &&
		document.querySelectorAll('.ticket .withdraw').length === 1`)
	var offers api.OffersResponse
	e.do("GET", api.ContractPath(addr, "ResaleOffers"), e.shop, "").want(t, http.StatusOK, &offers)
	if len(offers.Offers) != 1 || offers.Offers[0].Price != 90 || offers.Offers[0].State != ledger.OfferOpen {
		t.Fatalf("resale offers = %+v, want the page's offer at 90", offers.Offers)
	}
	b.do("withdrawing the offer", chromedp.Evaluate[chromedp.Void](`document.querySelector('.ticket .withdraw').click()`))
	b.poll("the offer withdrawn", `document.querySelectorAll('.ticket .sell').length === 1 && /withdrawn/.test(document.querySelector('.ticket-status').textContent)`)
	e.do("GET", api.ContractPath(addr, "ResaleOffers"), e.shop, "").want(t, http.StatusOK, &offers)
	if len(offers.Offers) != 0 {
		t.Errorf("resale offers after the withdrawal = %+v, want none open", offers.Offers)
	}

	b.do("asking for a new code", chromedp.Evaluate[chromedp.Void](`document.querySelector('.ticket .reissue').click()`))
	b.poll("the new code's sentence", `/new code/.test(document.getElementById('notice').textContent) && !document.getElementById('notice').hidden`)
	if got := e.admitOne(addr, codes[1].QR, "north"); got.Status != ledger.StatusInvalid {
		t.Errorf("the old code after Send a new code: %+v, want invalid", got)
	}

	admin := ledger.WithActor(context.Background(), ledger.Actor{Admin: true})
	german := "de-CH"
	if _, err := e.store.Customers.UpdateCustomer(admin, ann, ledger.CustomerChange{Locale: &german}); err != nil {
		t.Fatal(err)
	}
	bare, err := e.store.Wallets.OpenLink(admin, ann, nil)
	if err != nil {
		t.Fatal(err)
	}
	b.do("opening a link without codes", chromedp.Navigate(e.srv.URL+"/wallet#"+bare))
	b.poll("the ticket without its code", `document.querySelectorAll('.ticket .ticket-nocode').length === 1`)
	if n := eval[int](b, `document.querySelectorAll('.ticket .transfer, .ticket .sell').length`); n != 0 {
		t.Errorf("a link without the ticket's code offers %d transfer or sell buttons, want only Send a new code", n)
	}
	if n := eval[int](b, `document.querySelectorAll('.ticket .reissue').length`); n != 1 {
		t.Errorf("a link without the ticket's code offers %d Send a new code buttons, want one", n)
	}
	if text := eval[string](b, `document.querySelector('.ticket .reissue').textContent`); text != "Neuen Code senden" {
		t.Errorf("in the customer's German the button reads %q", text)
	}
	if _, qr := receiverLink(t, outbox, "ann@example.com"); e.admitOne(addr, qr, "north").Status != ledger.StatusAdmitted {
		t.Errorf("the new code mailed to the holder is not admitted")
	}
	e.verifyOK()
}

// sell opens the ticket's Sell form (when closed) and offers it at the price.
func (b *browser) sell(price string) {
	b.t.Helper()
	b.do("offering at "+price, chromedp.Evaluate[chromedp.Void](`(() => {
		if (!document.querySelector('.ticket-form')) document.querySelector('.ticket .sell').click();
		const f = document.querySelector('.ticket-form');
		f.elements.price.value = `+strconv.Quote(price)+`;
		f.requestSubmit();
	})()`))
}

// walletOfTwo sells two tickets to a customer, Ann, and opens a wallet link holding
// their codes: it returns the contract, Ann's id, the link's token and the codes.
func walletOfTwo(e *env) (string, int64, string, []ledger.WalletCode) {
	e.t.Helper()
	admin := ledger.WithActor(context.Background(), ledger.Actor{Admin: true})
	addr := e.openSale(`[`+seatJSON(1, "A")+`,`+seatJSON(1, "B")+`]`,
		`[{"seat":`+seatJSON(1, "A")+`,"price":100},{"seat":`+seatJSON(1, "B")+`,"price":100}]`, 50, saleRules{})
	ann, err := e.store.Customers.CreateCustomer(admin, ledger.Customer{LastName: "Ann", Email: "ann@example.com"})
	if err != nil {
		e.t.Fatal(err)
	}
	var codes []ledger.WalletCode
	for _, seat := range []string{seatJSON(1, "A"), seatJSON(1, "B")} {
		b := e.buy(addr, seat, ledger.BookingSender(ann.ID), "")
		codes = append(codes, ledger.WalletCode{Contract: addr, Seat: b.Seat, QR: b.QR, SecretDigest: crypto.SecretDigest(b.Secret.Plaintext)})
	}
	token, err := e.store.Wallets.OpenLink(admin, ann.ID, codes)
	if err != nil {
		e.t.Fatalf("OpenLink: %v", err)
	}
	return addr, ann.ID, token, codes
}

var walletLinkRE = regexp.MustCompile(`(\S+)/wallet#([A-Za-z0-9_-]{43})`)

// receiverLink reads the outbox's one mail to the address and returns the wallet link in
// its text and the code of its PDF's one ticket.
func receiverLink(t *testing.T, outbox, to string) (string, string) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(outbox, "*.eml"))
	for _, name := range files {
		raw, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		m := mailtest.Parse(t, raw)
		if !strings.Contains(m.Header.Get("To"), to) {
			continue
		}
		got := walletLinkRE.FindSubmatch(m.One(t, "text/plain").Body)
		if got == nil {
			t.Fatalf("the mail to %s carries no wallet link", to)
		}
		codes := mailtest.PDFCodes(t, m.One(t, "application/pdf").Body)
		if len(codes) != 1 {
			t.Fatalf("the mail's PDF holds %d codes, want one", len(codes))
		}
		return string(got[0]), codes[0]
	}
	t.Fatalf("no mail to %s among %d in the outbox", to, len(files))
	return "", ""
}
