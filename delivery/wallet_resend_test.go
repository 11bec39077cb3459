package delivery_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/internal/mailtest"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/scanner"
)

// storeWallets gives the Courier the store's wallet links.
type storeWallets struct{ ledger.Wallets }

func (w storeWallets) OpenLink(ctx context.Context, customer int64, codes []ledger.WalletCode) (string, error) {
	return w.Wallets.OpenLink(ctx, customer, codes)
}

var walletToken = regexp.MustCompile(`/wallet#([A-Za-z0-9_-]{43})`)

// mailsToken reads the wallet token of the outbox's mails, in their order.
func (e *env) mailsTokens(t *testing.T) (tokens []string, last mailtest.Message) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(e.outbox, "*.eml"))
	for _, f := range files {
		last = e.readMail(t, f)
		m := walletToken.FindStringSubmatch(string(last.One(t, "text/plain").Body))
		if m == nil {
			t.Fatalf("%s carries no wallet link", f)
		}
		tokens = append(tokens, m[1])
	}
	return tokens, last
}

// TestResendWallet: resending a customer's wallet revokes their link, reissues their
// tickets and mails them with a new link that opens the new codes; the old codes stop
// at the gate and the new ones admit.
func TestResendWallet(t *testing.T) {
	e := newEnv(t)
	e.courier.Wallets = storeWallets{e.store.Wallets}
	address := e.openSale(t)
	b := e.book(t, address, zoe, ledger.FormatPDF)
	first, err := e.confirmer.ConfirmBooking(e.ctx, b.ID, issuer.ConfirmRequest{})
	if err != nil {
		t.Fatal(err)
	}
	sales := &issuer.Issuer{Ledger: e.store.Selling, Bookings: e.store.Bookings}
	r := &issuer.WalletResender{Wallets: e.store.Wallets, Issuer: sales, Mailer: e.courier}
	out, err := r.ResendWallet(e.ctx, b.Customer)
	if err != nil || out.Revoked != 1 || out.Reissued != 2 || out.Mails != 1 || len(out.Skipped) != 0 {
		t.Fatalf("ResendWallet = %+v, %v; want 1 link revoked, 2 tickets reissued, 1 mail", out, err)
	}
	tokens, m := e.mailsTokens(t)
	if len(tokens) != 2 {
		t.Fatalf("%d mails, want the confirmation and the resend", len(tokens))
	}
	if _, err := e.store.Wallets.Wallet(context.Background(), tokens[0]); ledger.ErrorCode(err) != ledger.EUNAUTHORIZED {
		t.Errorf("the old link after the resend: %v, want EUNAUTHORIZED", err)
	}
	wl, err := e.store.Wallets.Wallet(context.Background(), tokens[1])
	if err != nil || len(wl.Tickets) != 2 || !wl.Tickets[0].HasCode || !wl.Tickets[1].HasCode {
		t.Fatalf("the new link's wallet = %+v, %v; want both tickets with codes", wl, err)
	}
	codes := mailtest.PDFCodes(t, m.One(t, "application/pdf").Body)
	id, _ := ledger.ParseTicketID(wl.Tickets[0].ID)
	if qr, err := e.store.Wallets.Code(context.Background(), tokens[1], id); err != nil || len(codes) != 2 || qr != codes[0] {
		t.Fatalf("the new link's code %q (%v), want the new PDF's first code of %q", qr, err, codes)
	}
	old, _ := issuer.QRTexts(first.Tickets, 1)
	gate := &scanner.Gate{Ledger: e.store.Gate}
	for qr, want := range map[string]string{old[0]: ledger.StatusInvalid, codes[0]: ledger.StatusAdmitted} {
		res, err := gate.CheckIn(e.ctx, address, scanner.Scan{QR: qr, Gate: "North"})
		if err != nil || len(res) != 1 || res[0].Status != want {
			t.Errorf("at the gate: %+v, %v; want %s", res, err, want)
		}
	}
	again, err := r.ResendWallet(e.ctx, b.Customer)
	if err != nil || again.Reissued != 1 || len(again.Skipped) != 1 {
		t.Errorf("the second resend = %+v, %v; want the admitted ticket skipped in words", again, err)
	}
}

// readMail reads one mail file of the outbox.
func (e *env) readMail(t *testing.T, file string) mailtest.Message {
	t.Helper()
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return mailtest.Parse(t, raw)
}
