package offline_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
	"github.com/ticketbooth-go/ticketbooth/scanner"
	"github.com/ticketbooth-go/ticketbooth/scanner/offline"
)

// saleEnv is a real SQLite ledger with a contract of four seats on sale, its issuer and
// a scanner key's actor.
type saleEnv struct {
	store   *sqlstore.Store
	issuer  *issuer.Issuer
	admin   context.Context
	scanner context.Context
	address string
	now     time.Time
}

func newSaleEnv(tb testing.TB, seats ...ledger.Seat) *saleEnv {
	tb.Helper()
	return newSaleEnvNamed(tb, false, seats...)
}

// newSaleEnvNamed is newSaleEnv, under the identity policy when named.
func newSaleEnvNamed(tb testing.TB, named bool, seats ...ledger.Seat) *saleEnv {
	tb.Helper()
	e := &saleEnv{now: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC),
		admin: ledger.WithActor(context.Background(), ledger.Actor{Admin: true})}
	s, err := sqlstore.Open(context.Background(), filepath.Join(tb.TempDir(), "ledger.db"),
		sqlstore.Options{BlockInterval: 10 * time.Second, Now: func() time.Time { return e.now }})
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	e.store, e.issuer = s, &issuer.Issuer{Ledger: s.Selling}
	key, _, err := s.Keys.CreateKey(context.Background(), ledger.RoleScanner, "gate")
	if err != nil {
		tb.Fatal(err)
	}
	a, err := s.Keys.Authenticate(context.Background(), key)
	if err != nil {
		tb.Fatal(err)
	}
	e.scanner = ledger.WithActor(context.Background(), a)
	if len(seats) == 0 {
		seats = []ledger.Seat{seat("1A"), seat("2A"), seat("3A"), seat("4A")}
	}
	c, _, err := s.Contracts.CreateContract(e.admin, "Hall", seats)
	if err != nil {
		tb.Fatal(err)
	}
	e.address = c.Address
	if named {
		if _, err := s.Contracts.SetRules(e.admin, c.Address, ledger.RulesChange{RequireIdentityVerification: &named}); err != nil {
			tb.Fatal(err)
		}
	}
	var prices []ledger.SeatPrice
	for _, st := range seats {
		prices = append(prices, ledger.SeatPrice{Seat: st, Price: 5})
	}
	info, _ := s.Journal.Info(e.admin)
	d := ledger.SaleDetails{Name: "Gig", Organiser: "Band", Time: e.now.Add(time.Hour).Unix(), EndOfSale: info.Height + 100}
	if _, err := s.Contracts.BeginSale(e.admin, c.Address, prices, d); err != nil {
		tb.Fatal(err)
	}
	return e
}

func seat(text string) ledger.Seat {
	s, err := ledger.ParseSeat(text)
	if err != nil {
		panic(err)
	}
	return s
}

// sell buys the seats, one QR text per ticket.
func (e *saleEnv) sell(tb testing.TB, name string, seats ...ledger.Seat) []string {
	tb.Helper()
	p, err := e.issuer.Reserve(e.admin, e.address, issuer.Request{Seats: seats, Sender: "ann", CustomerName: name, TicketsPerQR: 1})
	if err != nil {
		tb.Fatalf("Reserve: %v", err)
	}
	return p.QR
}

// copyOf downloads the gate copy from the store, as the scanner key.
func (e *saleEnv) copyOf(tb testing.TB, cursor string) ledger.GateCopy {
	tb.Helper()
	cp, err := e.store.GateCopies.GateCopy(e.scanner, e.address, cursor)
	if err != nil {
		tb.Fatalf("GateCopy(%q): %v", cursor, err)
	}
	return cp
}

func (e *saleEnv) device(tb testing.TB) *offline.Copy {
	tb.Helper()
	c, err := offline.New(e.copyOf(tb, ""))
	if err != nil {
		tb.Fatal(err)
	}
	c.Now = func() time.Time { return e.now }
	return c
}

func wantStatus(tb testing.TB, what string, got []ledger.CheckResult, want ...string) {
	tb.Helper()
	var statuses []string
	for _, r := range got {
		statuses = append(statuses, r.Status)
	}
	if strings.Join(statuses, ",") != strings.Join(want, ",") {
		tb.Fatalf("%s: %+v, want %v", what, got, want)
	}
}

// forge returns a QR text for the seat made from public data only: a well-formed
// secret that is not the ticket's.
func forge(s ledger.Seat) string {
	return `[{"seat":{"number":` + strconv.Itoa(s.Number) + `,"letter":"` + s.Letter + `"},"secret":"Ab3dEf6hIj9kLm0"}]`
}

// TestCopyDecidesAsTheLedger: tickets sold on a real store are decided from the copy
// as the ledger decides them: genuine ones valid, then admitted once at this device and
// refused the second time; forged, free, unknown and unreadable ones refused.
func TestCopyDecidesAsTheLedger(t *testing.T) {
	e := newSaleEnv(t)
	qr := e.sell(t, "", seat("1A"), seat("2A"))
	dev := e.device(t)
	wantStatus(t, "verify 1A", dev.Verify(qr[0]), ledger.StatusValid)
	res, adm := dev.Admit(qr[0], " north  door ", "")
	wantStatus(t, "admit 1A", res, ledger.StatusAdmitted)
	if len(adm.Seats) != 1 || adm.Seats[0] != seat("1A") || adm.Gate != "north door" || adm.Nonce == "" || !adm.At.Equal(e.now) || adm.QR != qr[0] {
		t.Fatalf("admission = %+v", adm)
	}
	again, _ := dev.Admit(qr[0], "south", "")
	wantStatus(t, "1A again", again, ledger.StatusAlreadyCheckedIn)
	if again[0].Gate != "north door" || again[0].CheckedInAt == nil {
		t.Errorf("1A again: %+v, want the first admission's gate and time", again[0])
	}
	retry, _ := dev.Admit(qr[0], "north door", adm.Nonce)
	wantStatus(t, "a retry of the admitting scan", retry, ledger.StatusAdmitted)
	wantStatus(t, "a forged 2A", dev.Verify(forge(seat("2A"))), ledger.StatusInvalid)
	wantStatus(t, "free 3A", dev.Verify(forge(seat("3A"))), ledger.StatusNotSold)
	wantStatus(t, "no seat 9Z", dev.Verify(forge(seat("9Z"))), ledger.StatusUnknownSeat)
	wantStatus(t, "garbage", dev.Verify("hello"), ledger.StatusMalformed)
	if got := dev.Admissions(); len(got) != 1 || got[0].Nonce != adm.Nonce {
		t.Errorf("Admissions = %+v, want the one admission", got)
	}
	online, err := (&scanner.Gate{Ledger: e.store.Gate}).CheckIn(e.scanner, e.address, scanner.Scan{QR: forge(seat("2A")), VerifyOnly: true})
	if err != nil || online[0].Reason != dev.Verify(forge(seat("2A")))[0].Reason {
		t.Errorf("online %+v, %v: the reasons differ from the copy's", online, err)
	}
}

// TestCopyFollowsChanges: increments bring the copy up to date: a ticket admitted
// online is already in, a released seat is not sold, a reissued ticket's old QR is
// refused and its new one admitted, and the local admission is forgotten once the
// server shows it.
func TestCopyFollowsChanges(t *testing.T) {
	e := newSaleEnv(t)
	qr := e.sell(t, "", seat("1A"), seat("2A"), seat("3A"), seat("4A"))
	dev := e.device(t)
	if _, adm := dev.Admit(qr[3], "west", ""); len(adm.Seats) != 1 {
		t.Fatalf("admit 4A offline: %+v", adm)
	}
	gate := &scanner.Gate{Ledger: e.store.Gate}
	if res, err := gate.CheckIn(e.scanner, e.address, scanner.Scan{QR: qr[0], Gate: "east"}); err != nil || res[0].Status != ledger.StatusAdmitted {
		t.Fatalf("online check-in of 1A: %+v, %v", res, err)
	}
	if res, err := gate.CheckIn(e.scanner, e.address, scanner.Scan{QR: qr[3], Gate: "west"}); err != nil || res[0].Status != ledger.StatusAdmitted {
		t.Fatalf("online check-in of 4A: %+v, %v", res, err)
	}
	tickets, _ := scanner.ParseQR(qr[1])
	if _, err := e.issuer.Release(e.admin, e.address, ledger.ReleaseRequest{Seat: seat("2A"), Secret: tickets[0].Secret}); err != nil {
		t.Fatalf("release 2A: %v", err)
	}
	re, err := e.issuer.Reissue(e.admin, e.address, issuer.ReissueRequest{Seat: seat("3A")})
	if err != nil {
		t.Fatalf("reissue 3A: %v", err)
	}
	inc := e.copyOf(t, dev.Cursor())
	if inc.Full || len(inc.Tickets) != 4 {
		t.Fatalf("increment = full %v with %d tickets, want the 4 changed seats", inc.Full, len(inc.Tickets))
	}
	if err := dev.Apply(inc); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "1A admitted online", dev.Verify(qr[0]), ledger.StatusAlreadyCheckedIn)
	wantStatus(t, "2A released", dev.Verify(qr[1]), ledger.StatusNotSold)
	wantStatus(t, "3A's old QR", dev.Verify(qr[2]), ledger.StatusInvalid)
	res, _ := dev.Admit(re.QR[0], "west", "")
	wantStatus(t, "3A's new QR", res, ledger.StatusAdmitted)
	if got := dev.Admissions(); len(got) != 1 || got[0].Seats[0] != seat("3A") {
		t.Errorf("Admissions = %+v, want only 3A's: 4A's is on the server", got)
	}
	if !dev.GatePolicy().OfflineAdmission {
		t.Errorf("GatePolicy = %+v, want the default (offline admission allowed)", dev.GatePolicy())
	}
	if none := e.copyOf(t, dev.Cursor()); none.Full || len(none.Tickets) != 0 {
		t.Errorf("nothing changed, yet the increment has %d tickets (full %v)", len(none.Tickets), none.Full)
	}
}

// TestCopyNames: under the identity policy the copy shows the purchaser's name only
// for a QR whose name keys open the sealed name; a QR without them, or with another
// ticket's, is refused.
func TestCopyNames(t *testing.T) {
	e := newSaleEnvNamed(t, true)
	ann := e.sell(t, "Ann Example", seat("1A"))[0]
	bob := e.sell(t, "Bob Example", seat("2A"))[0]
	dev := e.device(t)
	res := dev.Verify(ann)
	wantStatus(t, "Ann's ticket", res, ledger.StatusValid)
	if res[0].Name != "Ann Example" || !res[0].IdentityCheckRequired {
		t.Errorf("Ann's ticket: %+v, want her name and an ID check", res[0])
	}
	annT, _ := scanner.ParseQR(ann)
	bobT, _ := scanner.ParseQR(bob)
	noKeys := annT[0]
	noKeys.NameKey, noKeys.NameIV = "", ""
	swapped := annT[0]
	swapped.NameKey, swapped.NameIV = bobT[0].NameKey, bobT[0].NameIV
	for what, q := range map[string]ledger.QRTicket{"without name keys": noKeys, "with Bob's name keys": swapped} {
		text, _ := json.Marshal([]ledger.QRTicket{q})
		res := dev.Verify(string(text))
		wantStatus(t, what, res, ledger.StatusInvalid)
		if res[0].Name != "" {
			t.Errorf("%s: the name %q shown", what, res[0].Name)
		}
	}
}
