package delivery_test

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the show's zone is loaded on any machine

	"github.com/ticketbooth-go/ticketbooth/delivery"
	"github.com/ticketbooth-go/ticketbooth/delivery/pkpass"
	"github.com/ticketbooth-go/ticketbooth/internal/mailtest"
	"github.com/ticketbooth-go/ticketbooth/internal/passtest"
	"github.com/ticketbooth-go/ticketbooth/internal/testclock"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
)

const blockInterval = 10 * time.Second

// env is a Courier over a real SQLite ledger writing into an outbox folder, and the
// issuer's confirmer wrapped to mail, acting as the administrator.
type env struct {
	ctx       context.Context
	store     *sqlstore.Store
	outbox    string
	chain     passtest.Chain
	courier   *delivery.Courier
	confirmer delivery.Confirmer
	wallets   *fakeWallets
	log       bytes.Buffer
}

// fakeWallets hands out numbered tokens and keeps the codes each link was given.
type fakeWallets struct{ links [][]ledger.WalletCode }

func (w *fakeWallets) OpenLink(ctx context.Context, customer int64, codes []ledger.WalletCode) (string, error) {
	w.links = append(w.links, codes)
	return "tok" + strings.Repeat("x", len(w.links)), nil
}

func newEnv(t *testing.T) *env {
	t.Helper()
	clock := testclock.New(testclock.Start, blockInterval)
	s, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "ledger.db"),
		sqlstore.Options{BlockInterval: blockInterval, Now: clock.Now})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	e := &env{ctx: ledger.WithActor(context.Background(), ledger.Actor{Admin: true}), store: s,
		outbox: filepath.Join(t.TempDir(), "outbox"), chain: passtest.NewChain(t), wallets: &fakeWallets{}}
	e.courier = &delivery.Courier{Ledger: s.Ledger(), Customers: s.Customers, Tickets: s.TicketLists,
		Queue: &delivery.Outbox{Dir: e.outbox}, Wallets: e.wallets, PublicURL: "https://tickets.example/",
		From: "Globe <tickets@globe.example>", Layout: issuer.LayoutA6, Now: clock.Now,
		Passes: &delivery.Passes{Signer: e.chain.Signer,
			Issuer:    pkpass.Issuer{PassTypeIdentifier: "pass.com.example.tickets", TeamIdentifier: "ABCDE12345", OrganizationName: "Globe"},
			Locations: map[string]pkpass.Location{"Globe": {Latitude: 51.5081, Longitude: -0.0972}}}}
	e.confirmer = delivery.Confirmer{BookingConfirmer: &issuer.Issuer{Ledger: s.Selling, Bookings: s.Bookings},
		Bookings: s.Bookings, Courier: e.courier, Log: slog.New(slog.NewTextHandler(&e.log, nil))}
	return e
}

// openSale creates the Globe's three seats and begins a sale of Hamlet on them.
func (e *env) openSale(t *testing.T) string {
	t.Helper()
	seats := []ledger.Seat{{Number: 1, Letter: "A"}, {Number: 2, Letter: "A"}, {Number: 3, Letter: "A"}}
	c, _, err := e.store.Contracts.CreateContract(e.ctx, "Globe", seats)
	if err != nil {
		t.Fatal(err)
	}
	var prices []ledger.SeatPrice
	for _, s := range seats {
		prices = append(prices, ledger.SeatPrice{Seat: s, Price: 2500})
	}
	d := ledger.SaleDetails{Name: "Hamlet", Organiser: "Globe Players", Time: time.Date(2030, 12, 24, 19, 30, 0, 0, time.UTC).Unix(),
		EndOfSale: 1000, Currency: "EUR", TimeZone: "Europe/London"}
	if _, err := e.store.Contracts.BeginSale(e.ctx, c.Address, prices, d); err != nil {
		t.Fatal(err)
	}
	return c.Address
}

// book opens a booking of the format for a new customer and holds the seats 1A, 2A.
func (e *env) book(t *testing.T, address string, cu ledger.Customer, format string) ledger.Booking {
	t.Helper()
	cu, err := e.store.Customers.CreateCustomer(e.ctx, cu)
	if err != nil {
		t.Fatal(err)
	}
	b, err := e.store.Bookings.OpenBooking(e.ctx, ledger.BookingRequest{Customer: cu.ID, Contract: address, Format: format})
	if err != nil {
		t.Fatal(err)
	}
	rc, err := e.store.Bookings.Hold(e.ctx, b.ID, ledger.HoldSeats("", ledger.Seat{Number: 1, Letter: "A"}, ledger.Seat{Number: 2, Letter: "A"}))
	if err != nil {
		t.Fatal(err)
	}
	return rc.Booking
}

// outboxMail reads the one mail of the outbox.
func (e *env) outboxMail(t *testing.T) mailtest.Message {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(e.outbox, "*.eml"))
	if len(files) != 1 {
		t.Fatalf("the outbox holds %d mails, want one", len(files))
	}
	raw, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	return mailtest.Parse(t, raw)
}

var zoe = ledger.Customer{FirstName: "Zoë", LastName: "Łukasiewicz", Email: "zoe@example.org", Locale: "de-CH"}

// TestConfirmMailsPDFAndPasses: confirming a PDF booking queues one mail in the
// customer's language with the PDF (one page a ticket, its codes the ones the wallet got)
// and one signed pass a ticket carrying the same code, the date, zone and venue location.
func TestConfirmMailsPDFAndPasses(t *testing.T) {
	e := newEnv(t)
	b := e.book(t, e.openSale(t), zoe, ledger.FormatPDF)
	p, err := e.confirmer.ConfirmBooking(e.ctx, b.ID, issuer.ConfirmRequest{})
	if err != nil || len(p.QR) != 1 {
		t.Fatalf("ConfirmBooking = %d codes, %v: want the purchase answered as ever, two tickets in one code", len(p.QR), err)
	}
	m := e.outboxMail(t)
	if s := m.Subject(t); s != "Ihre Tickets für Hamlet" || m.Header.Get("To") != "<zoe@example.org>" {
		t.Errorf("Subject %q, To %q", s, m.Header.Get("To"))
	}
	text := string(m.One(t, "text/plain").Body)
	if !strings.Contains(text, "Hallo Zoë Łukasiewicz") || !strings.Contains(text, "https://tickets.example/wallet#tokx") {
		t.Errorf("the German text lacks the greeting or the wallet link:\n%s", text)
	}
	want, _ := issuer.QRTexts(p.Tickets, 1)
	if len(e.wallets.links) != 1 || e.wallets.links[0][1].QR != want[1] || e.wallets.links[0][1].Seat.String() != "2A" {
		t.Errorf("the wallet link got %+v, want the two tickets' codes", e.wallets.links)
	}
	codes := mailtest.PDFCodes(t, m.One(t, "application/pdf").Body)
	if len(codes) != 2 || codes[0] != want[0] || codes[1] != want[1] {
		t.Errorf("the PDF's codes read %q, want %q", codes, want)
	}
	passes := m.All("application/vnd.apple.pkpass")
	if len(passes) != 2 {
		t.Fatalf("%d passes, want one a ticket", len(passes))
	}
	for i, part := range passes {
		checkPass(t, e.chain.Check(t, part.Body), want[i])
	}
}

func checkPass(t *testing.T, pass map[string]any, qr string) {
	t.Helper()
	barcode := pass["barcodes"].([]any)[0].(map[string]any)
	loc := pass["locations"].([]any)[0].(map[string]any)
	if barcode["message"] != qr || pass["relevantDate"] != "2030-12-24T19:30:00Z" || loc["latitude"] != 51.5081 {
		t.Errorf("pass: barcode %v, relevant date %v, location %v", barcode["message"], pass["relevantDate"], loc)
	}
}

// TestSecureBookingMailsTheLinkOnly: a SECURE booking's mail carries the wallet link and
// no attachment; without wallets it is not mailed, and the confirmation still succeeds.
func TestSecureBookingMailsTheLinkOnly(t *testing.T) {
	e := newEnv(t)
	address := e.openSale(t)
	b := e.book(t, address, ledger.Customer{FirstName: "Ann", Email: "ann@example.org", Locale: "en"}, ledger.FormatSecure)
	if _, err := e.confirmer.ConfirmBooking(e.ctx, b.ID, issuer.ConfirmRequest{}); err != nil {
		t.Fatal(err)
	}
	m := e.outboxMail(t)
	if len(m.Parts) != 2 || len(m.All("application/")) != 0 {
		t.Errorf("the SECURE mail has %d parts, want the text and HTML only", len(m.Parts))
	}
	if text := string(m.One(t, "text/plain").Body); !strings.Contains(text, "https://tickets.example/wallet#tokx") ||
		!strings.Contains(text, "in your wallet") {
		t.Errorf("the SECURE mail lacks the link:\n%s", text)
	}
	if len(e.wallets.links) != 1 || len(e.wallets.links[0]) != 2 {
		t.Errorf("the wallet got %+v, want the two codes", e.wallets.links)
	}
	e.courier.Wallets = nil
	err := e.courier.SendTickets(e.ctx, b.Customer, "again", issuer.Purchase{Contract: address,
		Tickets: []issuer.IssuedTicket{{Seat: ledger.Seat{Number: 1, Letter: "A"}, Secret: issuer.SecretKeys{Plaintext: "s"}}}})
	if ledger.ErrorCode(err) != ledger.EREFUSED {
		t.Errorf("SECURE tickets without wallets: %v, want EREFUSED", err)
	}
}

// TestMailFailureNeverFailsTheConfirmation: a customer without an e-mail address gets no
// mail; the booking is confirmed all the same, and the log names the booking, not the
// customer.
func TestMailFailureNeverFailsTheConfirmation(t *testing.T) {
	e := newEnv(t)
	b := e.book(t, e.openSale(t), ledger.Customer{FirstName: "Nomail", LastName: "Person", Phone: "+41 79 000 00 00"}, ledger.FormatPDF)
	p, err := e.confirmer.ConfirmBooking(e.ctx, b.ID, issuer.ConfirmRequest{})
	if err != nil || len(p.Tickets) != 2 {
		t.Fatalf("ConfirmBooking = %+v, %v", p, err)
	}
	if files, _ := filepath.Glob(filepath.Join(e.outbox, "*.eml")); len(files) != 0 {
		t.Errorf("mails written: %v", files)
	}
	log := e.log.String()
	if !strings.Contains(log, "booking=1") || !strings.Contains(log, "no e-mail address") || strings.Contains(log, "Nomail") {
		t.Errorf("log: %s", log)
	}
}

// TestSendTicketsOnce: a second mail under the same key is not queued.
func TestSendTicketsOnce(t *testing.T) {
	e := newEnv(t)
	b := e.book(t, e.openSale(t), zoe, ledger.FormatPDF)
	p, err := e.confirmer.ConfirmBooking(e.ctx, b.ID, issuer.ConfirmRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.courier.SendTickets(e.ctx, b.Customer, delivery.ConfirmedKey(b.ID), p); err != nil {
		t.Fatal(err)
	}
	e.outboxMail(t) // still one
}
