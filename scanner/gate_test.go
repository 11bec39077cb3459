package scanner_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"image"
	"image/color"
	"image/png"
	"path/filepath"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/internal/gateread"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
	"github.com/ticketbooth-go/ticketbooth/qrdecode"
	"github.com/ticketbooth-go/ticketbooth/scanner"
	"github.com/ticketbooth-go/ticketbooth/ticketpdf"
)

// gateEnv is a gate and an issuer over one real SQLite ledger, with a contract of four
// seats on sale and a scanner key's actor.
type gateEnv struct {
	store   *sqlstore.Store
	path    string
	gate    *scanner.Gate
	issuer  *issuer.Issuer
	admin   context.Context
	scanner context.Context
	address string
}

func newGateEnv(tb testing.TB) *gateEnv {
	tb.Helper()
	now := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	e := &gateEnv{path: filepath.Join(tb.TempDir(), "ledger.db"),
		admin: ledger.WithActor(context.Background(), ledger.Actor{Admin: true})}
	s, err := sqlstore.Open(context.Background(), e.path, sqlstore.Options{BlockInterval: 10 * time.Second,
		Now: func() time.Time { return now }})
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	e.store, e.gate, e.issuer = s, &scanner.Gate{Ledger: s.Gate, Pictures: gateread.Image}, &issuer.Issuer{Ledger: s.Selling}
	e.scanner = e.actor(tb, ledger.RoleScanner)
	seats := []ledger.Seat{{Number: 1, Letter: "A"}, {Number: 2, Letter: "A"}, {Number: 3, Letter: "A"}, {Number: 4, Letter: "A"}}
	c, _, err := s.Contracts.CreateContract(e.admin, "Hall", seats)
	if err != nil {
		tb.Fatal(err)
	}
	e.address = c.Address
	var prices []ledger.SeatPrice
	for _, seat := range seats {
		prices = append(prices, ledger.SeatPrice{Seat: seat, Price: 5})
	}
	info, _ := s.Journal.Info(e.admin)
	d := ledger.SaleDetails{Name: "Gig", Organiser: "Band", Time: now.Add(time.Hour).Unix(), EndOfSale: info.Height + 100}
	if _, err := s.Contracts.BeginSale(e.admin, c.Address, prices, d); err != nil {
		tb.Fatal(err)
	}
	return e
}

// actor returns a context carrying the actor of a fresh key of the role.
func (e *gateEnv) actor(tb testing.TB, role ledger.Role) context.Context {
	tb.Helper()
	key, _, err := e.store.Keys.CreateKey(context.Background(), role, string(role))
	if err != nil {
		tb.Fatal(err)
	}
	a, err := e.store.Keys.Authenticate(context.Background(), key)
	if err != nil {
		tb.Fatal(err)
	}
	return ledger.WithActor(context.Background(), a)
}

// sell buys the seats and returns the purchase's QR texts.
func (e *gateEnv) sell(tb testing.TB, seats ...ledger.Seat) []string {
	tb.Helper()
	p, err := e.issuer.Reserve(e.admin, e.address, issuer.Request{Seats: seats, Sender: "ann"})
	if err != nil {
		tb.Fatalf("Reserve: %v", err)
	}
	return p.QR
}

// checkIns returns the effects of the journal's check-in transactions, oldest first,
// read through the store's receipts (the journal file gives only their hashes).
func (e *gateEnv) checkIns(tb testing.TB) []ledger.CheckInEffect {
	tb.Helper()
	db, err := sql.Open("sqlite", "file:"+e.path+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT hash FROM journal WHERE kind = ? ORDER BY seq`, ledger.TxCheckIn)
	if err != nil {
		tb.Fatal(err)
	}
	var hashes []string
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			tb.Fatal(err)
		}
		hashes = append(hashes, h)
	}
	rows.Close()
	var out []ledger.CheckInEffect
	for _, h := range hashes {
		rc, err := e.store.Journal.Receipt(e.admin, h)
		if err != nil || rc.Kind != ledger.TxCheckIn || rc.Contract != e.address {
			tb.Fatalf("receipt %s: %+v %v", h, rc, err)
		}
		var eff ledger.CheckInEffect
		if err := json.Unmarshal(rc.Effect, &eff); err != nil {
			tb.Fatalf("effect %s: %v", rc.Effect, err)
		}
		out = append(out, eff)
	}
	return out
}

func statuses(results []ledger.CheckResult) []string {
	var out []string
	for _, r := range results {
		out = append(out, r.Status)
	}
	return out
}

func TestGateCheckInText(t *testing.T) {
	e := newGateEnv(t)
	qr := e.sell(t, ledger.Seat{Number: 1, Letter: "A"}, ledger.Seat{Number: 2, Letter: "A"})[0]
	first, err := e.gate.CheckIn(e.scanner, e.address, scanner.Scan{QR: qr, Gate: "north", Nonce: "n1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != 2 || first[0].Status != ledger.StatusAdmitted || first[1].Status != ledger.StatusAdmitted ||
		first[0].Seat != (ledger.Seat{Number: 1, Letter: "A"}) || first[1].Seat != (ledger.Seat{Number: 2, Letter: "A"}) {
		t.Fatalf("first scan: %+v, want 1A and 2A admitted", first)
	}
	again, err := e.gate.CheckIn(e.scanner, e.address, scanner.Scan{QR: qr, Gate: "south"})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range again {
		if r.Status != ledger.StatusAlreadyCheckedIn || r.Gate != "north" || r.CheckedInAt == nil || !r.CheckedInAt.Equal(*first[i].CheckedInAt) {
			t.Errorf("second scan %+v, want already checked in at north at %v", r, first[i].CheckedInAt)
		}
	}
	log := e.checkIns(t)
	if len(log) != 2 || log[0].Gate != "north" || log[0].Nonce != "n1" || log[1].Gate != "south" ||
		len(log[1].Results) != 2 || log[1].Results[1].Status != ledger.StatusAlreadyCheckedIn {
		t.Errorf("journal of check-ins: %+v", log)
	}
}

func TestGateMalformed(t *testing.T) {
	e := newGateEnv(t)
	texts := map[string]string{
		"Empty":         "  ",
		"EmptyList":     "[]",
		"NotJSON":       "hello gate",
		"Truncated":     `[{"seat":{"number":1,"letter":"A"},"secret":"`,
		"NoSecret":      `[{"seat":{"number":1,"letter":"A"}}]`,
		"UnknownMember": `[{"seat":{"number":1,"letter":"A"},"secret":"abcdefghijklmno","admit":true}]`,
		"ShortKey":      `[{"seat":{"number":1,"letter":"A"},"secret":"abcdefghijklmno","secretKey":"ab","secretIV":"cd"}]`,
	}
	count := 0
	for name, text := range texts {
		t.Run(name, func(t *testing.T) {
			for _, verify := range []bool{true, false} {
				res, err := e.gate.CheckIn(e.scanner, e.address, scanner.Scan{QR: text, Gate: "east", VerifyOnly: verify})
				if ledger.ErrorCode(err) != ledger.EINVALID {
					t.Fatalf("error %v, want EINVALID", err)
				}
				if len(res) != 1 || res[0].Status != ledger.StatusMalformed || res[0].Reason != ledger.ErrorMessage(err) || res[0].Reason == "" {
					t.Errorf("results %+v, want one malformed result with the reason %q", res, ledger.ErrorMessage(err))
				}
			}
			count++
			log := e.checkIns(t)
			if len(log) != count || log[count-1].Gate != "east" || log[count-1].Malformed == "" {
				t.Errorf("journal of check-ins after %d malformed scans: %+v (verifying records nothing)", count, log)
			}
		})
	}
}

func TestGateImage(t *testing.T) {
	e := newGateEnv(t)
	qr := e.sell(t, ledger.Seat{Number: 3, Letter: "A"})[0]
	pic, err := ticketpdf.QRPNG(qr, ticketpdf.DefaultRecovery, 4)
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.gate.CheckIn(e.scanner, e.address, scanner.Scan{Image: pic, Gate: "west"})
	if err != nil || len(res) != 1 || res[0].Status != ledger.StatusAdmitted || res[0].Gate != "west" {
		t.Fatalf("image scan: %+v %v, want 3A admitted at west", res, err)
	}
	// The image wins over text sent with it: the text is not what was scanned.
	res, err = e.gate.CheckIn(e.scanner, e.address, scanner.Scan{Image: pic, QR: "junk"})
	if err != nil || len(res) != 1 || res[0].Status != ledger.StatusAlreadyCheckedIn {
		t.Errorf("image with text: %+v %v, want already checked in", res, err)
	}
}

func TestGateUnreadableImage(t *testing.T) {
	e := newGateEnv(t)
	blank := image.NewGray(image.Rect(0, 0, 200, 200))
	for i := range blank.Pix {
		blank.Pix[i] = 0xff
	}
	blank.Set(100, 100, color.Black)
	var buf bytes.Buffer
	if err := png.Encode(&buf, blank); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"NoCode", buf.Bytes(), qrdecode.ErrNoCode},
		{"NotAnImage", []byte("%PDF-1.4 not a picture"), qrdecode.ErrImageFormat},
		{"CutShort", buf.Bytes()[:40], qrdecode.ErrImageCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := e.gate.CheckIn(e.scanner, e.address, scanner.Scan{Image: tt.data})
			if ledger.ErrorCode(err) != ledger.EINVALID || !errors.Is(err, tt.want) || ledger.ErrorMessage(err) == "" {
				t.Errorf("error %v, want EINVALID wrapping %v", err, tt.want)
			}
			if res != nil {
				t.Errorf("results %+v for an unreadable image", res)
			}
		})
	}
}

// TestGateWithoutPictures: a Gate given no picture reader refuses an image as a fault of
// its wiring, journaling nothing, and still reads QR text.
func TestGateWithoutPictures(t *testing.T) {
	e := newGateEnv(t)
	qr := e.sell(t, ledger.Seat{Number: 2, Letter: "A"})[0]
	pic, err := ticketpdf.QRPNG(qr, ticketpdf.DefaultRecovery, 4)
	if err != nil {
		t.Fatal(err)
	}
	gate := &scanner.Gate{Ledger: e.store.Gate}
	if res, err := gate.CheckIn(e.scanner, e.address, scanner.Scan{Image: pic}); ledger.ErrorCode(err) != ledger.EINTERNAL || res != nil {
		t.Fatalf("image without a reader: %+v %v, want an internal error", res, err)
	}
	if log := e.checkIns(t); len(log) != 0 {
		t.Errorf("the refused image journaled %+v", log)
	}
	res, err := gate.CheckIn(e.scanner, e.address, scanner.Scan{QR: qr})
	if err != nil || len(res) != 1 || res[0].Status != ledger.StatusAdmitted {
		t.Errorf("QR text: %+v %v, want admitted", res, err)
	}
}

func TestGateAuthorization(t *testing.T) {
	e := newGateEnv(t)
	qr := e.sell(t, ledger.Seat{Number: 4, Letter: "A"})[0]
	tests := []struct {
		name  string
		ctx   context.Context
		code  string
		texts []string
	}{
		{"NoKey", context.Background(), ledger.EUNAUTHORIZED, []string{qr, "not a ticket"}},
		{"BoxOffice", e.actor(t, ledger.RoleBoxOffice), ledger.EFORBIDDEN, []string{qr, "not a ticket"}},
		{"OtherOrganizer", e.actor(t, ledger.RoleOrganizer), ledger.EFORBIDDEN, []string{qr}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, text := range tt.texts {
				if _, err := e.gate.CheckIn(tt.ctx, e.address, scanner.Scan{QR: text}); ledger.ErrorCode(err) != tt.code {
					t.Errorf("CheckIn(%.12q): %v, want %s", text, err, tt.code)
				}
			}
		})
	}
	if log := e.checkIns(t); len(log) != 0 {
		t.Errorf("refused scans were journaled: %+v", log)
	}
	res, err := e.gate.CheckIn(e.scanner, e.address, scanner.Scan{QR: qr})
	if err != nil || len(res) != 1 || res[0].Status != ledger.StatusAdmitted {
		t.Errorf("after refused scans the ticket is %+v %v, want admitted", res, err)
	}
}

func TestGateCheckIns(t *testing.T) {
	e := newGateEnv(t)
	qrs := e.sell(t, ledger.Seat{Number: 1, Letter: "A"})
	qrs = append(qrs, e.sell(t, ledger.Seat{Number: 2, Letter: "A"})...)
	e.sell(t, ledger.Seat{Number: 3, Letter: "A"})
	for i, qr := range qrs {
		if _, err := e.gate.CheckIn(e.scanner, e.address, scanner.Scan{QR: qr, Gate: []string{"north", "south"}[i]}); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := e.gate.CheckIns(e.admin, e.address)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Sold != 3 || rep.Admitted != 2 || rep.ToCome != 1 || rep.PerGate["north"] != 1 || rep.PerGate["south"] != 1 || len(rep.CheckIns) != 2 {
		t.Errorf("report %+v, want 3 sold, 2 admitted (north, south), 1 to come", rep)
	}
	if _, err := e.gate.CheckIns(e.scanner, e.address); ledger.ErrorCode(err) != ledger.EFORBIDDEN {
		t.Errorf("CheckIns with a scanner key: %v, want EFORBIDDEN", err)
	}
}
