package issuer_test

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the show's zone is loaded on any machine

	"github.com/ticketbooth-go/ticketbooth/crypto"
	"github.com/ticketbooth-go/ticketbooth/internal/testclock"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
	"github.com/ticketbooth-go/ticketbooth/ticketpdf"
)

const blockInterval = 10 * time.Second

// clock is the clock the test moves by hand.
type clock = testclock.Clock

// sellEnv is an issuer over a real SQLite ledger, acting as the administrator.
type sellEnv struct {
	store  *sqlstore.Store
	issuer *issuer.Issuer
	clock  *clock
	ctx    context.Context
}

func newSellEnv(tb testing.TB) *sellEnv {
	tb.Helper()
	e := &sellEnv{clock: testclock.New(testclock.Start, blockInterval),
		ctx: ledger.WithActor(context.Background(), ledger.Actor{Admin: true})}
	s, err := sqlstore.Open(context.Background(), filepath.Join(tb.TempDir(), "ledger.db"),
		sqlstore.Options{BlockInterval: blockInterval, Now: e.clock.Now})
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	e.store, e.issuer = s, &issuer.Issuer{Ledger: s.Selling}
	return e
}

func (e *sellEnv) height(tb testing.TB) int64 {
	tb.Helper()
	info, err := e.store.Journal.Info(e.ctx)
	if err != nil {
		tb.Fatal(err)
	}
	return info.Height
}

// seats returns n seats 1A, 2A, ...
func seats(n int) []ledger.Seat {
	out := make([]ledger.Seat, n)
	for i := range out {
		out[i] = ledger.Seat{Number: i + 1, Letter: "A"}
	}
	return out
}

// openSale creates a contract of n seats priced 10, 20, ... with the rules, and begins a
// sale ending blocks from now; it returns the contract.
func (e *sellEnv) openSale(tb testing.TB, n int, rules ledger.Rules, blocks int64) ledger.Contract {
	tb.Helper()
	c, _, err := e.store.Contracts.CreateContract(e.ctx, "Globe", seats(n))
	if err != nil {
		tb.Fatalf("CreateContract: %v", err)
	}
	steps := []func() (ledger.Receipt, error){
		func() (ledger.Receipt, error) {
			return e.store.Contracts.SetReleaseFee(e.ctx, c.Address, rules.ReleaseFee)
		},
		func() (ledger.Receipt, error) {
			return e.store.Contracts.SetNoReleaseBlocks(e.ctx, c.Address, rules.NoReleaseBlocks)
		},
		func() (ledger.Receipt, error) {
			return e.store.Contracts.SetIdentityPolicy(e.ctx, c.Address, rules.RequireIdentityVerification)
		},
	}
	for _, step := range steps {
		if _, err := step(); err != nil {
			tb.Fatalf("setting rules: %v", err)
		}
	}
	var prices []ledger.SeatPrice
	for i, s := range seats(n) {
		prices = append(prices, ledger.SeatPrice{Seat: s, Price: int64(10 * (i + 1))})
	}
	d := ledger.SaleDetails{Name: "Hamlet", Organiser: "Globe Ltd", Time: e.clock.Now().Add(48 * time.Hour).Unix(),
		EndOfSale: e.height(tb) + blocks, Currency: "CHF", TimeZone: "Europe/Zurich"}
	if _, err := e.store.Contracts.BeginSale(e.ctx, c.Address, prices, d); err != nil {
		tb.Fatalf("BeginSale: %v", err)
	}
	if c, err = e.store.Contracts.Contract(e.ctx, c.Address); err != nil {
		tb.Fatal(err)
	}
	return c
}

func (e *sellEnv) reserve(tb testing.TB, address string, r issuer.Request) issuer.Purchase {
	tb.Helper()
	p, err := e.issuer.Reserve(e.ctx, address, r)
	if err != nil {
		tb.Fatalf("Reserve(%+v): %v", r, err)
	}
	return p
}

// journalSize is the number of transactions in the journal.
func (e *sellEnv) journalSize(tb testing.TB) int64 {
	tb.Helper()
	rep, err := e.store.Journal.Verify(e.ctx)
	if err != nil || !rep.OK {
		tb.Fatalf("Verify: %+v %v", rep, err)
	}
	return rep.Transactions
}

func wantCode(tb testing.TB, err error, code string) {
	tb.Helper()
	if got := ledger.ErrorCode(err); got != code {
		tb.Fatalf("error %v has code %q, want %q", err, got, code)
	}
}

func TestReserveValidation(t *testing.T) {
	e := newSellEnv(t)
	c := e.openSale(t, 3, ledger.Rules{RequireIdentityVerification: true}, 100)
	before := e.journalSize(t)
	one := seats(1)
	tests := []struct {
		name string
		req  issuer.Request
		code string
	}{
		{"NoSender", issuer.Request{Seats: one, CustomerName: "Ann"}, ledger.EINVALID},
		{"BlankSender", issuer.Request{Seats: one, Sender: "  ", CustomerName: "Ann"}, ledger.EINVALID},
		{"SenderTooLong", issuer.Request{Seats: one, Sender: strings.Repeat("s", ledger.MaxSenderLen+1), CustomerName: "Ann"}, ledger.EINVALID},
		{"SenderTwoLines", issuer.Request{Seats: one, Sender: "ann\nbob", CustomerName: "Ann"}, ledger.EINVALID},
		{"NoSeats", issuer.Request{Sender: "ann", CustomerName: "Ann"}, ledger.EINVALID},
		{"TooManySeats", issuer.Request{Seats: seats(ledger.MaxTicketsInOrder + 1), Sender: "ann", CustomerName: "Ann"}, ledger.EINVALID},
		{"SeatWithoutParts", issuer.Request{Seats: []ledger.Seat{{}}, Sender: "ann", CustomerName: "Ann"}, ledger.EINVALID},
		{"SeatLetterNotALetter", issuer.Request{Seats: []ledger.Seat{{Number: 1, Letter: "1"}}, Sender: "ann", CustomerName: "Ann"}, ledger.EINVALID},
		{"TicketsPerQRNegative", issuer.Request{Seats: one, Sender: "ann", CustomerName: "Ann", TicketsPerQR: -1}, ledger.EINVALID},
		{"TicketsPerQRAboveFour", issuer.Request{Seats: one, Sender: "ann", CustomerName: "Ann", TicketsPerQR: 5}, ledger.EINVALID},
		{"UnknownLayout", issuer.Request{Seats: one, Sender: "ann", CustomerName: "Ann", Layout: issuer.Layout(7)}, ledger.EINVALID},
		{"NameRequired", issuer.Request{Seats: one, Sender: "ann"}, ledger.EREFUSED},
		{"NameBlank", issuer.Request{Seats: one, Sender: "ann", CustomerName: " \t"}, ledger.EREFUSED},
		{"NameTooLong", issuer.Request{Seats: one, Sender: "ann", CustomerName: strings.Repeat("n", ledger.MaxNameLen+1)}, ledger.EINVALID},
		{"UnknownSeat", issuer.Request{Seats: []ledger.Seat{{Number: 9, Letter: "Z"}}, Sender: "ann", CustomerName: "Ann"}, ledger.EREFUSED},
		{"SeatTwice", issuer.Request{Seats: []ledger.Seat{one[0], one[0]}, Sender: "ann", CustomerName: "Ann"}, ledger.EINVALID},
		{"NegativeAmount", issuer.Request{Seats: one, Sender: "ann", CustomerName: "Ann", Amount: ptr(-1)}, ledger.EINVALID},
		{"NotEnoughFunds", issuer.Request{Seats: one, Sender: "ann", CustomerName: "Ann", Amount: ptr(9)}, ledger.EREFUSED},
		{"OneSeatUnknownOfTwo", issuer.Request{Seats: []ledger.Seat{one[0], {Number: 4, Letter: "A"}}, Sender: "ann", CustomerName: "Ann"}, ledger.EREFUSED},
		{"NoContract", issuer.Request{Seats: one, Sender: "ann", CustomerName: "Ann"}, ledger.ENOTFOUND},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			address := c.Address
			if tt.code == ledger.ENOTFOUND {
				address = ledger.ZeroAddress
			}
			p, err := e.issuer.Reserve(e.ctx, address, tt.req)
			wantCode(t, err, tt.code)
			if p.TransactionHash != "" || len(p.Tickets) != 0 || len(p.QR) != 0 {
				t.Errorf("failed Reserve returned a purchase %+v", p)
			}
		})
	}
	if after := e.journalSize(t); after != before {
		t.Errorf("journal grew from %d to %d transactions on failed reservations", before, after)
	}
	wantAvailable(t, e, c.Address, 3)
}

func ptr(n int64) *int64 { return &n }

// wantAvailable fails unless the contract's first n tickets are all available.
func wantAvailable(tb testing.TB, e *sellEnv, address string, n int) {
	tb.Helper()
	list, err := e.store.Contracts.Tickets(e.ctx, address)
	if err != nil {
		tb.Fatal(err)
	}
	for _, tk := range list[:n] {
		if tk.Address != ledger.ZeroAddress || tk.Secret != "" || tk.CustomerIdentifier != "" {
			tb.Errorf("ticket %s is not available: %+v", tk.Seat, tk)
		}
	}
}

var (
	hex64 = regexp.MustCompile(`^[0-9a-f]{64}$`)
	hex32 = regexp.MustCompile(`^[0-9a-f]{32}$`)
)

func TestReserveSealsTickets(t *testing.T) {
	for _, named := range []bool{false, true} {
		t.Run(fmt.Sprintf("IdentityPolicy=%v", named), func(t *testing.T) {
			e := newSellEnv(t)
			c := e.openSale(t, 3, ledger.Rules{RequireIdentityVerification: named}, 100)
			p := e.reserve(t, c.Address, issuer.Request{Seats: seats(3)[1:], Sender: "ann@example.org",
				CustomerName: "Zoë Łukasiewicz", Amount: ptr(75)})
			if p.Contract != c.Address || p.Sender != "ann@example.org" || p.Total != 50 || p.Refunded != 25 ||
				len(p.TransactionHash) != 64 || p.Height != e.height(t) || p.TicketsPerQR != issuer.MaxSeatsPerTicket {
				t.Errorf("purchase %+v: want total 50, refunded 25 at height %d", p, e.height(t))
			}
			if wantName := map[bool]string{true: "Zoë Łukasiewicz"}[named]; p.CustomerName != wantName {
				t.Errorf("CustomerName %q, want %q", p.CustomerName, wantName)
			}
			list, err := e.store.Contracts.Tickets(e.ctx, c.Address)
			if err != nil {
				t.Fatal(err)
			}
			checkIssued(t, p, list[1:], named)
			if p.Tickets[0].Secret.Plaintext == p.Tickets[1].Secret.Plaintext || p.Tickets[0].Secret.Key == p.Tickets[1].Secret.Key {
				t.Error("two tickets share a secret or key")
			}
		})
	}
}

// checkIssued checks each issued ticket against the ledger's public ticket list: the
// ciphertexts there open with the purchaser's keys to the secret and the name, and
// the QR carries exactly the issued tickets.
func checkIssued(t *testing.T, p issuer.Purchase, list []ledger.Ticket, named bool) {
	t.Helper()
	var inQR []ledger.QRTicket
	if err := json.Unmarshal([]byte(p.QR[0]), &inQR); err != nil || len(p.QR) != 1 {
		t.Fatalf("QR %q: %v", p.QR, err)
	}
	for i, tk := range p.Tickets {
		if tk.Seat != list[i].Seat || tk.Price != list[i].Price || list[i].Address != p.Holder || list[i].Sender != p.Sender {
			t.Errorf("issued %+v, ledger %+v", tk, list[i])
		}
		s := tk.Secret
		if len(s.Plaintext) != crypto.SecretLength || strings.Trim(s.Plaintext, crypto.SecretAlphabet) != "" ||
			!hex64.MatchString(s.Key) || !hex32.MatchString(s.IV) {
			t.Errorf("secret %+v is not 15 secret characters with a 64-hex key and 32-hex IV", s)
		}
		if got := open(t, s.Key, s.IV, list[i].Secret); got != s.Plaintext {
			t.Errorf("ledger's secret ciphertext opens to %q, want %q", got, s.Plaintext)
		}
		if (tk.CustomerName != nil) != named || (list[i].CustomerIdentifier != "") != named {
			t.Fatalf("named %v: customerName %+v, identifier %q", named, tk.CustomerName, list[i].CustomerIdentifier)
		}
		if named {
			if got := open(t, tk.CustomerName.Key, tk.CustomerName.IV, list[i].CustomerIdentifier); got != p.CustomerName {
				t.Errorf("ledger's name ciphertext opens to %q, want %q", got, p.CustomerName)
			}
		}
		if inQR[i] != tk.QRTicket() {
			t.Errorf("QR ticket %+v, want %+v", inQR[i], tk.QRTicket())
		}
	}
}

// open decrypts the hex ciphertext with the hex key and IV.
func open(tb testing.TB, keyHex, ivHex, ctHex string) string {
	tb.Helper()
	key, err1 := hex.DecodeString(keyHex)
	iv, err2 := hex.DecodeString(ivHex)
	ct, err3 := hex.DecodeString(ctHex)
	if err1 != nil || err2 != nil || err3 != nil {
		tb.Fatalf("bad hex: %v %v %v", err1, err2, err3)
	}
	plain, err := crypto.Decrypt(key, iv, ct)
	if err != nil {
		tb.Fatalf("Decrypt: %v", err)
	}
	return string(plain)
}

func TestReserveAllOrNothing(t *testing.T) {
	e := newSellEnv(t)
	c := e.openSale(t, 4, ledger.Rules{}, 100)
	e.reserve(t, c.Address, issuer.Request{Seats: seats(3)[2:], Sender: "bob"})
	_, err := e.issuer.Reserve(e.ctx, c.Address, issuer.Request{Seats: seats(4), Sender: "ann"})
	wantCode(t, err, ledger.EREFUSED)
	wantAvailable(t, e, c.Address, 2)
	list, _ := e.store.Contracts.Tickets(e.ctx, c.Address)
	if list[2].Sender != "bob" || list[3].Address != ledger.ZeroAddress {
		t.Errorf("after a failed order: 3A %q, 4A %q", list[2].Sender, list[3].Address)
	}
}

// issued returns n issued tickets with fresh secrets and keys, as a purchase holds them.
func issued(tb testing.TB, n int) []issuer.IssuedTicket {
	tb.Helper()
	out := make([]issuer.IssuedTicket, n)
	for i, s := range seats(n) {
		secret, err := crypto.NewSecret()
		if err != nil {
			tb.Fatal(err)
		}
		out[i] = issuer.IssuedTicket{Seat: s, Price: int64(i), Secret: issuer.SecretKeys{Plaintext: secret,
			Key: strings.Repeat(fmt.Sprintf("%02x", i), 32), IV: strings.Repeat("ab", 16)}}
	}
	out[n-1].CustomerName = &issuer.NameKeys{Key: strings.Repeat("cd", 32), IV: strings.Repeat("ef", 16)}
	return out
}

func TestQRTexts(t *testing.T) {
	tests := []struct {
		tickets, perQR int
		want           []int // tickets in each QR
	}{
		{1, 0, []int{1}},
		{4, 0, []int{4}},
		{5, 0, []int{4, 1}},
		{9, 0, []int{4, 4, 1}},
		{5, 1, []int{1, 1, 1, 1, 1}},
		{5, 2, []int{2, 2, 1}},
		{3, 3, []int{3}},
		{8, 4, []int{4, 4}},
		{5, 5, []int{4, 1}},  // out of range: the default
		{5, -1, []int{4, 1}}, // out of range: the default
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%dTickets%dPerQR", tt.tickets, tt.perQR), func(t *testing.T) {
			tickets := issued(t, tt.tickets)
			texts, err := issuer.QRTexts(tickets, tt.perQR)
			if err != nil {
				t.Fatal(err)
			}
			if len(texts) != len(tt.want) {
				t.Fatalf("%d QR texts, want %d", len(texts), len(tt.want))
			}
			var all []ledger.QRTicket
			for i, text := range texts {
				var group []ledger.QRTicket
				if err := json.Unmarshal([]byte(text), &group); err != nil {
					t.Fatalf("QR %d %q: %v", i, text, err)
				}
				if len(group) != tt.want[i] {
					t.Errorf("QR %d holds %d tickets, want %d", i, len(group), tt.want[i])
				}
				all = append(all, group...)
			}
			for i, q := range all {
				if q != tickets[i].QRTicket() {
					t.Errorf("ticket %d in the QRs is %+v, want %+v", i, q, tickets[i].QRTicket())
				}
			}
		})
	}
}

func TestQRTextFormat(t *testing.T) {
	tickets := issued(t, 2)
	texts, err := issuer.QRTexts(tickets, 0)
	if err != nil {
		t.Fatal(err)
	}
	s0, s1 := tickets[0].Secret, tickets[1].Secret
	want := `[{"seat":{"number":1,"letter":"A"},"secret":"` + s0.Plaintext + `","secretKey":"` + s0.Key + `","secretIV":"` + s0.IV + `"},` +
		`{"seat":{"number":2,"letter":"A"},"secret":"` + s1.Plaintext + `","secretKey":"` + s1.Key + `","secretIV":"` + s1.IV +
		`","nameKey":"` + strings.Repeat("cd", 32) + `","nameIV":"` + strings.Repeat("ef", 16) + `"}]`
	if texts[0] != want {
		t.Errorf("QR text\n%s\nwant\n%s", texts[0], want)
	}
}

func TestReference(t *testing.T) {
	tests := []struct{ hash, want string }{
		{strings.Repeat("0", 64), "TB-0000-0000"},
		{strings.Repeat("f", 64), "TB-ZZZZ-ZZZZ"},
		{"0842108421" + strings.Repeat("7", 54), "TB-1111-1111"}, // 5-bit groups of 1
		{"0842108421" + strings.Repeat("0", 54), "TB-1111-1111"}, // only the first 40 bits count
		{"0842108421" + strings.Repeat("A", 54), "TB-1111-1111"}, // either case of hex
		{"5294a5294a" + strings.Repeat("0", 54), "TB-AAAA-AAAA"}, // 5-bit groups of 10
	}
	for _, tt := range tests {
		if got := issuer.Reference(tt.hash); got != tt.want {
			t.Errorf("Reference(%s...) = %q, want %q", tt.hash[:12], got, tt.want)
		}
	}
	format := regexp.MustCompile(`^TB-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$`)
	e := newSellEnv(t)
	c := e.openSale(t, 2, ledger.Rules{}, 100)
	refs := map[string]bool{}
	for _, s := range seats(2) {
		p := e.reserve(t, c.Address, issuer.Request{Seats: []ledger.Seat{s}, Sender: "ann"})
		ref := issuer.Reference(p.TransactionHash)
		if !format.MatchString(ref) || issuer.Reference(p.TransactionHash) != ref || issuer.Reference(strings.ToUpper(p.TransactionHash)) != ref {
			t.Errorf("Reference(%s) = %q: not TB-XXXX-XXXX of the reference alphabet, or not stable", p.TransactionHash, ref)
		}
		refs[ref] = true
	}
	if len(refs) != 2 {
		t.Errorf("two purchases share a reference: %v", refs)
	}
}

func TestPrinted(t *testing.T) {
	e := newSellEnv(t)
	c := e.openSale(t, 6, ledger.Rules{ReleaseFee: 3, NoReleaseBlocks: 5, RequireIdentityVerification: true}, 20)
	p := e.reserve(t, c.Address, issuer.Request{Seats: seats(6), Sender: "ann", CustomerName: "Ann Lee"})
	pages, err := ticketpdf.Printed(p, c, e.store.Clock())
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 2 {
		t.Fatalf("%d printed tickets, want 2 (4 + 2 seats)", len(pages))
	}
	info, err := e.store.Journal.Info(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	zurich, _ := time.LoadLocation("Europe/Zurich")
	deadline := info.Genesis.Add(time.Duration(c.Sale.Details.EndOfSale-5) * blockInterval)
	for i, pg := range pages {
		if pg.ShowName != "Hamlet" || pg.Organiser != "Globe Ltd" || pg.Venue != "Globe" || pg.Currency != "CHF" ||
			pg.PurchaserName != "Ann Lee" || pg.ReleaseFee != 3 || pg.QRText != p.QR[i] ||
			pg.Reference != issuer.Reference(p.TransactionHash) || pg.TransactionHash != p.TransactionHash {
			t.Errorf("printed ticket %d: %+v", i, pg)
		}
		if !pg.ShowTime.Equal(time.Unix(c.Sale.Details.Time, 0)) || pg.ShowTime.Location().String() != zurich.String() {
			t.Errorf("show time %v, want %v in Europe/Zurich", pg.ShowTime, time.Unix(c.Sale.Details.Time, 0).In(zurich))
		}
		if !pg.ReleaseDeadline.Equal(deadline) || pg.ReleaseDeadline.Location().String() != zurich.String() {
			t.Errorf("release deadline %v, want %v in Europe/Zurich", pg.ReleaseDeadline, deadline.In(zurich))
		}
		for k, ps := range pg.Seats {
			n := 4*i + k
			if want := (ticketpdf.PrintedSeat{Seat: seats(6)[n], Price: int64(10 * (n + 1))}); ps != want {
				t.Errorf("printed ticket %d seat %d = %+v, want %+v", i, k, ps, want)
			}
		}
	}
	if len(pages[0].Seats) != 4 || len(pages[1].Seats) != 2 {
		t.Errorf("seats per printed ticket %d and %d, want 4 and 2", len(pages[0].Seats), len(pages[1].Seats))
	}
	checkDeadlineHolds(t, e, c.Address, deadline)
}

// checkDeadlineHolds checks the printed deadline against the ledger itself: a release
// just before it goes through, one at it is refused.
func checkDeadlineHolds(t *testing.T, e *sellEnv, address string, deadline time.Time) {
	t.Helper()
	e.clock.Set(deadline.Add(-time.Nanosecond))
	if _, err := e.issuer.Release(e.ctx, address, ledger.ReleaseRequest{Seat: seats(1)[0], Sender: "ann"}); err != nil {
		t.Errorf("release just before the printed deadline: %v", err)
	}
	e.clock.Set(deadline)
	_, err := e.issuer.Release(e.ctx, address, ledger.ReleaseRequest{Seat: seats(2)[1], Sender: "ann"})
	wantCode(t, err, ledger.ECONFLICT)
}

func TestPrintedOneTicketPerQR(t *testing.T) {
	e := newSellEnv(t)
	c := e.openSale(t, 6, ledger.Rules{}, 20)
	p := e.reserve(t, c.Address, issuer.Request{Seats: seats(6)[1:], Sender: "ann", CustomerName: "ignored", TicketsPerQR: 1})
	pages, err := ticketpdf.Printed(p, c, e.store.Clock())
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 5 || len(p.QR) != 5 {
		t.Fatalf("%d printed tickets and %d QRs, want 5 each", len(pages), len(p.QR))
	}
	for i, pg := range pages {
		if len(pg.Seats) != 1 || pg.Seats[0].Seat != seats(6)[i+1] || pg.QRText != p.QR[i] || pg.PurchaserName != "" {
			t.Errorf("printed ticket %d: %+v", i, pg)
		}
		if want := info(t, e).Genesis.Add(time.Duration(c.Sale.Details.EndOfSale) * blockInterval); !pg.ReleaseDeadline.Equal(want) {
			t.Errorf("release deadline %v, want the end of sale %v when no blocks are withheld", pg.ReleaseDeadline, want)
		}
	}
}

// TestReserveGroupsForLayout buys four named seats for each layout, asking for four
// tickets a code: on A4 they share one code; on A6 a code of three or four named tickets
// would print under MinModuleMM, so two codes of two, each printing at least that, and
// the pages say "code 1 of 2".
func TestReserveGroupsForLayout(t *testing.T) {
	e := newSellEnv(t)
	c := e.openSale(t, 8, ledger.Rules{RequireIdentityVerification: true}, 20)
	for i, tc := range []struct {
		layout           issuer.Layout
		wantPer, wantQRs int
	}{{issuer.LayoutA4, 4, 1}, {issuer.LayoutA6, 2, 2}} {
		p := e.reserve(t, c.Address, issuer.Request{Seats: seats(8)[4*i : 4*i+4], Sender: "ann", CustomerName: "Ann Lee",
			TicketsPerQR: 4, Layout: tc.layout})
		if p.TicketsPerQR != tc.wantPer || len(p.QR) != tc.wantQRs {
			t.Errorf("%s: %d QR codes of %d tickets, want %d of %d", tc.layout, len(p.QR), p.TicketsPerQR, tc.wantQRs, tc.wantPer)
		}
		for k, text := range p.QR {
			if mm, err := issuer.ModuleMM(tc.layout, text); err != nil || mm < issuer.MinModuleMM {
				t.Errorf("%s: code %d prints with %.3f mm modules (%v)", tc.layout, k+1, mm, err)
			}
		}
		pages, err := ticketpdf.Printed(p, c, e.store.Clock())
		if err != nil {
			t.Fatal(err)
		}
		for k, pg := range pages {
			if want := map[bool][2]int{true: {k + 1, tc.wantQRs}}[tc.wantQRs > 1]; pg.Code != want[0] || pg.Codes != want[1] {
				t.Errorf("%s: page %d is code %d of %d, want %d of %d", tc.layout, k+1, pg.Code, pg.Codes, want[0], want[1])
			}
		}
	}
}

func info(tb testing.TB, e *sellEnv) ledger.Info {
	tb.Helper()
	i, err := e.store.Journal.Info(e.ctx)
	if err != nil {
		tb.Fatal(err)
	}
	return i
}

func TestPrintedNoRelease(t *testing.T) {
	e := newSellEnv(t)
	// The window covers the whole sale: height + 20 >= endOfSale from the start.
	c := e.openSale(t, 2, ledger.Rules{NoReleaseBlocks: 20}, 20)
	p := e.reserve(t, c.Address, issuer.Request{Seats: seats(1), Sender: "ann"})
	pages, err := ticketpdf.Printed(p, c, e.store.Clock())
	if err != nil {
		t.Fatal(err)
	}
	if !pages[0].ReleaseDeadline.IsZero() {
		t.Errorf("release deadline %v, want zero: this ticket can never be released", pages[0].ReleaseDeadline)
	}
	_, err = e.issuer.Release(e.ctx, c.Address, ledger.ReleaseRequest{Seat: seats(1)[0], Sender: "ann"})
	wantCode(t, err, ledger.ECONFLICT)
	// Bought after the window opened, a ticket of a sale with a deadline has none either.
	if d := ticketpdf.ReleaseDeadline(c, e.store.Clock(), c.Sale.Details.EndOfSale-1); !d.IsZero() {
		t.Errorf("ReleaseDeadline at the last block = %v, want zero", d)
	}
}

func TestPrintedErrors(t *testing.T) {
	e := newSellEnv(t)
	c := e.openSale(t, 5, ledger.Rules{}, 20)
	p := e.reserve(t, c.Address, issuer.Request{Seats: seats(5), Sender: "ann"})
	noSale, _, err := e.store.Contracts.CreateContract(e.ctx, "Empty", seats(1))
	if err != nil {
		t.Fatal(err)
	}
	short := p
	short.QR = p.QR[:1]
	none := p
	none.QR = nil
	regrouped := p
	regrouped.TicketsPerQR = 1
	for name, tt := range map[string]struct {
		p issuer.Purchase
		c ledger.Contract
	}{
		"NoSale": {p, noSale}, "QRMissing": {short, c}, "NoQR": {none, c}, "GroupingMismatch": {regrouped, c},
	} {
		t.Run(name, func(t *testing.T) {
			pages, err := ticketpdf.Printed(tt.p, tt.c, e.store.Clock())
			wantCode(t, err, ledger.EINVALID)
			if pages != nil {
				t.Errorf("pages %+v on error", pages)
			}
		})
	}
}

// TestReservePolicyChangedBetweenSales: the issuer remembers a contract's identity policy
// while its sale runs; when the organizer ends the sale, changes the policy and begins a
// new one, the next purchase still follows the new policy.
func TestReservePolicyChangedBetweenSales(t *testing.T) {
	for _, from := range []bool{false, true} {
		t.Run(fmt.Sprintf("from=%v", from), func(t *testing.T) {
			e := newSellEnv(t)
			c := e.openSale(t, 3, ledger.Rules{RequireIdentityVerification: from}, 2)
			first := e.reserve(t, c.Address, issuer.Request{Seats: seats(1), Sender: "ann@example.org", CustomerName: "Ann Example"})
			if (first.CustomerName != "") != from {
				t.Fatalf("first purchase under policy %v has name %q", from, first.CustomerName)
			}
			e.clock.AdvanceBlocks(3)
			if _, err := e.store.Contracts.EndSale(e.ctx, c.Address); err != nil {
				t.Fatal(err)
			}
			if _, err := e.store.Contracts.SetIdentityPolicy(e.ctx, c.Address, !from); err != nil {
				t.Fatal(err)
			}
			var prices []ledger.SeatPrice
			for _, seat := range seats(3) {
				prices = append(prices, ledger.SeatPrice{Seat: seat, Price: 5})
			}
			d := ledger.SaleDetails{Name: "Hamlet, second run", Organiser: "Globe Ltd", Time: e.clock.Now().Add(48 * time.Hour).Unix(),
				EndOfSale: e.height(t) + 100}
			if _, err := e.store.Contracts.BeginSale(e.ctx, c.Address, prices, d); err != nil {
				t.Fatal(err)
			}
			p := e.reserve(t, c.Address, issuer.Request{Seats: seats(2)[1:], Sender: "bob@example.org", CustomerName: "Bob Example"})
			if want := map[bool]string{true: "Bob Example"}[!from]; p.CustomerName != want {
				t.Errorf("purchase after the policy became %v has name %q, want %q", !from, p.CustomerName, want)
			}
			list, err := e.store.Contracts.Tickets(e.ctx, c.Address)
			if err != nil {
				t.Fatal(err)
			}
			for _, tk := range list {
				if tk.Seat == seats(2)[1] {
					checkIssued(t, p, []ledger.Ticket{tk}, !from)
				}
			}
		})
	}
}
