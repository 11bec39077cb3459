package main

import (
	"bytes"
	"context"
	"crypto/x509/pkix"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/urfave/cli/v2"
	pkcs12 "software.sslmate.com/src/go-pkcs12"

	"github.com/ticketbooth-go/ticketbooth/client"
	"github.com/ticketbooth-go/ticketbooth/delivery"
	"github.com/ticketbooth-go/ticketbooth/delivery/mailq"
	"github.com/ticketbooth-go/ticketbooth/delivery/pkpass"
	"github.com/ticketbooth-go/ticketbooth/internal/mailtest"
	"github.com/ticketbooth-go/ticketbooth/internal/passtest"
	"github.com/ticketbooth-go/ticketbooth/internal/smtptest"
	"github.com/ticketbooth-go/ticketbooth/internal/wiring"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
	"github.com/ticketbooth-go/ticketbooth/scanner"
	"github.com/ticketbooth-go/ticketbooth/server"
)

// mailRig is a real server on loopback that mails the tickets it confirms, as `serve`
// wires it: through the ledger's mail queue and its sender to an SMTP server started by
// the test (emersion/go-smtp, in process).
type mailRig struct {
	url, organizer, scanner string
	smtp                    *smtptest.Server
	chain                   passtest.Chain
	wallets                 *countingWallets
	read                    int // the messages read so far
}

// countingWallets mints numbered tokens.
type countingWallets struct{ n int }

func (w *countingWallets) OpenLink(ctx context.Context, customer int64, codes []ledger.WalletCode) (string, error) {
	w.n++
	return "token" + strconv.Itoa(w.n), nil
}

func newMailRig(t *testing.T) *mailRig {
	t.Helper()
	st, err := sqlstore.Open(context.Background(), newDB(t, 0), sqlstore.Options{DeliveryKey: bytes.Repeat([]byte{7}, sqlstore.DeliveryKeySize)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	r := &mailRig{smtp: smtptest.Start(t, smtptest.Options{}), chain: passtest.NewChain(t), wallets: &countingWallets{}}
	r.organizer, _, _ = st.Keys.CreateKey(context.Background(), ledger.RoleOrganizer, "office")
	r.scanner, _, _ = st.Keys.CreateKey(context.Background(), ledger.RoleScanner, "north gate")
	svc := wiring.Services(st)
	r.startSender(t, st, &svc)
	svc = wiring.Mailing(svc, st, wiring.Mailer{Wallets: r.wallets, PublicURL: "https://tickets.example", From: "Globe <tickets@globe.example>",
		Passes: &delivery.Passes{Signer: r.chain.Signer, Issuer: pkpass.Issuer{PassTypeIdentifier: "pass.com.example.tickets",
			TeamIdentifier: "ABCDE12345", OrganizationName: "Globe"}}})
	h, err := server.New(svc, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	r.url = srv.URL
	return r
}

// startSender runs the mail queue's sender to the test's SMTP server, as serve does.
func (r *mailRig) startSender(t *testing.T, st *sqlstore.Store, svc *server.Services) {
	t.Helper()
	transport, err := mailq.ParseSMTPURL(r.smtp.URL())
	if err != nil {
		t.Fatal(err)
	}
	w := &mailq.Worker{Spool: st.Mails, Transport: transport, From: "tickets@globe.example"}
	svc.Mail = w.Queue()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); w.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
}

func (r *mailRig) client(t *testing.T, key string) *client.Client {
	t.Helper()
	cl, err := client.New(r.url, key)
	if err != nil {
		t.Fatal(err)
	}
	return cl
}

// nextMail waits for the next message the SMTP server accepts and reads it back.
func (r *mailRig) nextMail(t *testing.T) mailtest.Message {
	t.Helper()
	msgs := r.smtp.Wait(t, r.read+1, time.Minute)
	if len(msgs) != r.read+1 {
		t.Fatalf("the SMTP server got %d messages, want %d", len(msgs), r.read+1)
	}
	r.read++
	return mailtest.Parse(t, msgs[r.read-1].Data)
}

// book opens a booking of the format for a new customer and confirms the seats over HTTP.
func (r *mailRig) book(t *testing.T, address string, cu ledger.Customer, format string, seats ...ledger.Seat) int64 {
	t.Helper()
	ctx, cl := context.Background(), r.client(t, r.organizer)
	cu, err := cl.CreateCustomer(ctx, cu)
	if err != nil {
		t.Fatal(err)
	}
	b, err := cl.OpenBooking(ctx, ledger.BookingRequest{Customer: cu.ID, Contract: address, Format: format})
	if err == nil {
		_, err = cl.Hold(ctx, b.ID, ledger.HoldSeats("", seats...))
	}
	if err == nil {
		_, err = cl.ConfirmBooking(ctx, b.ID, issuer.ConfirmRequest{})
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.ID
}

// checkIn scans a QR text at the gate and returns each ticket's status.
func (r *mailRig) checkIn(t *testing.T, address, qr string) string {
	t.Helper()
	res, err := r.client(t, r.scanner).CheckIn(context.Background(), address, scanner.Scan{QR: qr, Gate: "north"})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, x := range res {
		out = append(out, x.Status)
	}
	return strings.Join(out, ",")
}

// TestConfirmationMailEndToEnd: a booking confirmed through the server is queued, sent
// over SMTP on loopback and read back there, in the customer's language with a PDF whose codes (rasterized by pdftoppm, read by zbarimg)
// are admitted at the gate, and one pass a ticket whose signature openssl verifies; a
// SECURE booking's mail carries the link only; `booking send` reissues the tickets not
// checked in and mails them: the old code is refused at the gate, the new one admitted.
func TestConfirmationMailEndToEnd(t *testing.T) {
	r := newMailRig(t)
	address := theatreOnSale(t, []string{"--server", r.url, "--key", r.organizer}, "1h")
	seat1A, seat1B := ledger.Seat{Number: 1, Letter: "A"}, ledger.Seat{Number: 1, Letter: "B"}
	booking := r.book(t, address, ledger.Customer{FirstName: "Zoë", LastName: "Łukasiewicz", Email: "zoe@example.org", Locale: "de-CH"},
		ledger.FormatPDF, seat1A, seat1B)
	m := r.nextMail(t)
	if to := r.smtp.Messages()[0].To; len(to) != 1 || to[0] != "zoe@example.org" {
		t.Errorf("the SMTP envelope's recipients: %q", to)
	}
	if s := m.Subject(t); s != "Ihre Tickets für Hamlet" || !strings.Contains(string(m.One(t, "text/plain").Body), "Hallo Zoë") {
		t.Errorf("the mail to a de-CH customer: subject %q", s)
	}
	codes := mailtest.PDFCodes(t, m.One(t, "application/pdf").Body)
	passes := m.All("application/vnd.apple.pkpass")
	if len(codes) != 2 || len(passes) != 2 {
		t.Fatalf("%d codes in the PDF and %d passes, want 2 each", len(codes), len(passes))
	}
	for i, p := range passes {
		if pass := r.chain.Check(t, p.Body); pass["barcodes"].([]any)[0].(map[string]any)["message"] != codes[i] {
			t.Errorf("pass %d carries another code than the PDF's", i+1)
		}
	}
	if got := r.checkIn(t, address, codes[0]); got != ledger.StatusAdmitted {
		t.Fatalf("the PDF's first code at the gate: %s", got)
	}

	r.book(t, address, ledger.Customer{FirstName: "Sam", Email: "sam@example.org", Locale: "en"}, ledger.FormatSecure, ledger.Seat{Number: 2, Letter: "A"})
	secure := r.nextMail(t)
	if len(secure.All("application/")) != 0 || !strings.Contains(string(secure.One(t, "text/plain").Body), "https://tickets.example/wallet#token2") {
		t.Errorf("the SECURE mail: %d parts, text:\n%s", len(secure.Parts), secure.One(t, "text/plain").Body)
	}

	out := mustCLI(t, "booking", "send", "--booking", strconv.FormatInt(booking, 10), "--server", r.url, "--key", r.organizer)
	if !strings.Contains(out, "reissued 1B of booking") || !strings.Contains(out, "skipped 1A: checked in at the gate") {
		t.Errorf("booking send said:\n%s", out)
	}
	again := mailtest.PDFCodes(t, r.nextMail(t).One(t, "application/pdf").Body)
	if len(again) != 1 || again[0] == codes[1] {
		t.Fatalf("the mail sent again holds the codes %q, want 1B's new one", again)
	}
	if got := r.checkIn(t, address, codes[1]); got != ledger.StatusInvalid {
		t.Errorf("1B's old code after booking send: %s, want %s", got, ledger.StatusInvalid)
	}
	if got := r.checkIn(t, address, again[0]); got != ledger.StatusAdmitted {
		t.Errorf("1B's new code: %s, want admitted", got)
	}
}

// parsePassFlags runs the pass flags through a command of their own and returns what
// passes made of them.
func parsePassFlags(t *testing.T, args ...string) (*delivery.Passes, error) {
	t.Helper()
	var ps *delivery.Passes
	var perr error
	app := &cli.App{Name: "t", Flags: deliveryFlags(), Action: func(c *cli.Context) error {
		ps, perr = passes(c)
		return nil
	}}
	if err := app.Run(append([]string{"t"}, args...)); err != nil {
		t.Fatal(err)
	}
	return ps, perr
}

// TestPassFlags: the PEM files and a .p12 (its password from the environment only) make
// a signer, the pass type and team default to the certificate's, venue locations are
// read; each mistake is one sentence, and `serve` stops on it with exit status 2.
func TestPassFlags(t *testing.T) {
	chain := passtest.NewChain(t)
	f := chain.WritePEM(t, t.TempDir())
	ps, err := parsePassFlags(t, "--pass-cert", f.Cert, "--pass-key", f.Key, "--pass-wwdr", f.WWDR,
		"--pass-type-id", "pass.org.example", "--pass-team-id", "TEAM1", "--pass-location", "Globe=51.5081,-0.0972",
		"--pass-location", "Hallenstadion Zürich=47.1,8.5")
	if err != nil || ps == nil || ps.Issuer.PassTypeIdentifier != "pass.org.example" || ps.Issuer.OrganizationName != "Ticketbooth" ||
		ps.Locations["Globe"] != (pkpass.Location{Latitude: 51.5081, Longitude: -0.0972}) || ps.Locations["Hallenstadion Zürich"].Longitude != 8.5 {
		t.Fatalf("PEM flags: %+v, %v", ps, err)
	}
	p12 := filepath.Join(t.TempDir(), "pass.p12")
	pfx, err := pkcs12.Modern.Encode(chain.Signer.Key, chain.Signer.Cert, nil, "s3cret")
	if err != nil || os.WriteFile(p12, pfx, 0o600) != nil {
		t.Fatal(err)
	}
	t.Setenv(passPasswordEnv, "s3cret")
	if ps, err := parsePassFlags(t, "--pass-p12", p12, "--pass-wwdr", f.WWDR, "--pass-type-id", "p", "--pass-team-id", "T"); err != nil || ps == nil {
		t.Errorf(".p12 flags: %v", err)
	}
	other := chain.WritePEM(t, t.TempDir())
	other.Key = passtest.NewChain(t).WritePEM(t, t.TempDir()).Key
	for args, want := range map[string]string{
		"--pass-cert " + f.Cert + " --pass-key " + other.Key + " --pass-wwdr " + f.WWDR: "The pass key does not match the pass certificate.",
		"--pass-cert " + f.Cert + " --pass-key " + f.Key:                                "A pass needs Apple's WWDR intermediate certificate",
		"--pass-cert " + f.Cert + " --pass-wwdr " + f.WWDR:                              "--pass-cert and --pass-key go together",
		"--pass-cert " + f.Cert + " --pass-key " + f.Key + " --pass-wwdr " + f.WWDR:     "--pass-type-id and --pass-team-id are needed",
		"--pass-p12 " + p12 + " --pass-cert " + f.Cert:                                  "not both",
		"--pass-wwdr " + f.WWDR: "the pass flags need the pass certificate",
	} {
		r := runCLI(t, "", append([]string{"serve", "--db", filepath.Join(t.TempDir(), "x.db"), "--addr", "127.0.0.1:0"}, strings.Fields(args)...)...)
		if r.code != exitUsage || !strings.Contains(r.stderr, want) || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
			t.Errorf("serve %s: exit %d, %q; want %d and one line with %q", args, r.code, r.stderr, exitUsage, want)
		}
	}
	apple := passtest.NewChainFor(t, pkix.Name{CommonName: "Pass Type ID: pass.org.globe", OrganizationalUnit: []string{"GLOBE12345"},
		Organization: []string{"Globe Theatre Ltd"}, ExtraNames: []pkix.AttributeTypeAndValue{{Type: passtest.OIDUserID, Value: "pass.org.globe"}}})
	af := apple.WritePEM(t, t.TempDir())
	ps, err = parsePassFlags(t, "--pass-cert", af.Cert, "--pass-key", af.Key, "--pass-wwdr", af.WWDR)
	if err != nil || ps.Issuer != (pkpass.Issuer{PassTypeIdentifier: "pass.org.globe", TeamIdentifier: "GLOBE12345", OrganizationName: "Globe Theatre Ltd"}) {
		t.Errorf("the pass type, team and organization from Apple's certificate: %+v, %v", ps, err)
	}
	t.Setenv(passPasswordEnv, "wrong")
	if _, err := parsePassFlags(t, "--pass-p12", p12, "--pass-wwdr", f.WWDR); !strings.Contains(ledger.ErrorMessage(err), "password of the .p12 file pass.p12 is wrong") {
		t.Errorf("a wrong .p12 password: %v", err)
	}
	r := runCLI(t, "", "serve", "--db", filepath.Join(t.TempDir(), "x.db"), "--addr", "127.0.0.1:0", "--public-url", "ftp://x")
	if r.code != exitUsage || !strings.Contains(r.stderr, "--public-url must be an http or https URL") {
		t.Errorf("serve --public-url ftp://x: exit %d %q", r.code, r.stderr)
	}
}
