package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/crypto"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
	"github.com/ticketbooth-go/ticketbooth/qrdecode"
	"github.com/ticketbooth-go/ticketbooth/ticketpdf"
)

// checkInLog returns the effects of the journal's check-in transactions, oldest first,
// each read through the receipts route.
func (e *env) checkInLog() []ledger.CheckInEffect {
	e.t.Helper()
	var out []ledger.CheckInEffect
	for _, h := range e.journalHashes(ledger.TxCheckIn) {
		var rc ledger.Receipt
		if err := json.Unmarshal(e.receiptBody(h), &rc); err != nil || rc.Kind != ledger.TxCheckIn {
			e.t.Fatalf("receipt %s: %+v %v", h, rc, err)
		}
		var eff ledger.CheckInEffect
		if err := json.Unmarshal(rc.Effect, &eff); err != nil {
			e.t.Fatalf("effect %s: %v", rc.Effect, err)
		}
		out = append(out, eff)
	}
	return out
}

// wantLogged fails unless the check-in journal grew from before by exactly one attempt
// per gate, in order, and Verify counts the same transactions more.
func (e *env) wantLogged(t *testing.T, before []ledger.CheckInEffect, txBefore int64, gates ...string) {
	t.Helper()
	log := e.checkInLog()
	if len(log) != len(before)+len(gates) {
		t.Fatalf("%d check-in attempts journaled, want %d", len(log)-len(before), len(gates))
	}
	for i, g := range gates {
		if got := log[len(before)+i].Gate; got != g {
			t.Errorf("attempt %d journaled at gate %q, want %q", i+1, got, g)
		}
	}
	if tx := e.transactionCount(); tx != txBefore+int64(len(gates)) {
		t.Errorf("Verify counts %d transactions, want %d", tx, txBefore+int64(len(gates)))
	}
}

func TestCheckIn(t *testing.T) {
	e := newEnv(t)
	addr := e.openSale(threeSeats, threePrices, 100, saleRules{})
	tk := e.buy(addr, seatJSON(1, "A"), "ann", "")
	log, tx := e.checkInLog(), e.transactionCount()
	r := e.do("POST", api.ContractPath(addr, "CheckIn"), e.gate, `{"qr":`+jsonString(tk.QR)+`,"gate":"north","nonce":"n-1"}`)
	var first api.CheckInResponse
	r.want(t, http.StatusOK, &first)
	admittedAt := e.clock.Now()
	a := first.Results[0]
	if len(first.Results) != 1 || a.Status != ledger.StatusAdmitted || a.Seat != seat1A || a.Gate != "north" ||
		a.CheckedInAt == nil || !a.CheckedInAt.Equal(admittedAt) || a.Name != "" || a.IdentityCheckRequired {
		t.Fatalf("first scan %+v, want 1A admitted at north at %v", first.Results, admittedAt)
	}
	e.clock.AdvanceBlocks(2)
	again := e.scan("CheckIn", addr, e.gate, tk.QR, "south", "n-2")[0]
	if again.Status != ledger.StatusAlreadyCheckedIn || again.Gate != "north" || again.CheckedInAt == nil || !again.CheckedInAt.Equal(admittedAt) {
		t.Errorf("second scan %+v, want already checked in at north at %v", again, admittedAt)
	}
	retry := e.scan("CheckIn", addr, e.gate, tk.QR, "north", "n-1")[0]
	if retry.Status != ledger.StatusAdmitted || retry.CheckedInAt == nil || !retry.CheckedInAt.Equal(admittedAt) {
		t.Errorf("retry with the admitting nonce %+v, want admitted as at %v", retry, admittedAt)
	}
	if other := e.admitOne(addr, tk.QR, "north"); other.Status != ledger.StatusAlreadyCheckedIn {
		t.Errorf("scan without a nonce after the retry: %+v, want already checked in", other)
	}
	e.wantLogged(t, log, tx, "north", "south", "north", "north")
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func TestVerifyTicket(t *testing.T) {
	e := newEnv(t)
	addr := e.openSale(threeSeats, threePrices, 100, saleRules{})
	tk := e.buy(addr, seatJSON(1, "A"), "ann", "")
	log, tx := e.checkInLog(), e.transactionCount()
	for range 2 {
		res := e.scan("VerifyTicket", addr, e.gate, tk.QR, "north", "")
		if len(res) != 1 || res[0].Status != ledger.StatusValid || res[0].CheckedInAt != nil || res[0].Gate != "" {
			t.Fatalf("VerifyTicket %+v, want valid and not checked in", res)
		}
	}
	e.wantLogged(t, log, tx) // verifying records nothing
	if res := e.admitOne(addr, tk.QR, "north"); res.Status != ledger.StatusAdmitted {
		t.Errorf("CheckIn after VerifyTicket: %+v, want admitted", res)
	}
	if res := e.scan("VerifyTicket", addr, e.gate, tk.QR, "", ""); res[0].Status != ledger.StatusAlreadyCheckedIn || res[0].Gate != "north" {
		t.Errorf("VerifyTicket after CheckIn: %+v, want already checked in at north", res)
	}
	if rep := e.checkInReport(addr); rep.Admitted != 1 {
		t.Errorf("report %+v, want one admitted", rep)
	}
}

func TestCheckInStatuses(t *testing.T) {
	e := newEnv(t)
	addr := e.openSale(threeSeats, threePrices, 100, saleRules{})
	noSale := e.create(threeSeats)
	t1A := e.buy(addr, seatJSON(1, "A"), "ann", "")
	t1B := e.buy(addr, seatJSON(1, "B"), "bob", "")
	v10 := parseOne(t, t1A.QR)
	v10.SecretKey, v10.SecretIV = "", ""
	// Forged from the public list: a key and IV that truly open 1B's ciphertext to a secret
	// of the forger's choosing.
	forged := ledger.QRTicket{Seat: ledger.Seat{Number: 1, Letter: "B"}, Secret: "forgedSecret-01"}
	forged.SecretKey, forged.SecretIV = cbcForge(t, e.ticketOf(addr, forged.Seat).Secret, forged.Secret)
	guess := func(seat ledger.Seat) ledger.QRTicket { return ledger.QRTicket{Seat: seat, Secret: "guessedSecret01"} }
	wrongSecret := parseOne(t, t1B.QR)
	wrongSecret.Secret = t1A.Secret.Plaintext
	tests := []struct {
		name, addr string
		qr         ledger.QRTicket
		want       string
	}{
		{"V10FormAdmitted", addr, v10, ledger.StatusAdmitted},
		{"ForgedFromTicketList", addr, forged, ledger.StatusInvalid},
		{"ForgedWithoutKeys", addr, guess(forged.Seat), ledger.StatusInvalid},
		{"SecretOfAnotherTicket", addr, wrongSecret, ledger.StatusInvalid},
		{"UnknownSeat", addr, guess(ledger.Seat{Number: 9, Letter: "Z"}), ledger.StatusUnknownSeat},
		{"NotSold", addr, guess(ledger.Seat{Number: 2, Letter: "A"}), ledger.StatusNotSold},
		{"NoSale", noSale, guess(seat1A), ledger.StatusNoSale},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log, tx := e.checkInLog(), e.transactionCount()
			res := e.admitOne(tt.addr, qrText(t, tt.qr), "gate-"+tt.name)
			if res.Status != tt.want || res.Seat != tt.qr.Seat || res.Name != "" {
				t.Errorf("result %+v, want %s for %s", res, tt.want, tt.qr.Seat)
			}
			if tt.want != ledger.StatusAdmitted && (res.Reason == "" || res.CheckedInAt != nil) {
				t.Errorf("a refusal without a reason, or with a check-in time: %+v", res)
			}
			if tt.addr == addr {
				e.wantLogged(t, log, tx, "gate-"+tt.name)
			}
		})
	}
	if res := e.admitOne(addr, t1B.QR, "north"); res.Status != ledger.StatusAdmitted {
		t.Errorf("1B's genuine QR after the forgeries: %+v, want admitted", res)
	}
}

func TestCheckInAcrossSales(t *testing.T) {
	e := newEnv(t)
	addr := e.openSale(threeSeats, threePrices, 3, saleRules{})
	t1A := e.buy(addr, seatJSON(1, "A"), "ann", "")
	t1B := e.buy(addr, seatJSON(1, "B"), "ann", "")
	e.clock.AdvanceBlocks(3)
	e.do("POST", api.ContractPath(addr, "EndSale"), e.alice, "").want(t, http.StatusCreated, nil)
	if res := e.scan("VerifyTicket", addr, e.gate, t1B.QR, "", ""); res[0].Status != ledger.StatusValid {
		t.Errorf("1B verified after EndSale: %+v, want valid", res[0])
	}
	if res := e.admitOne(addr, t1A.QR, "north"); res.Status != ledger.StatusAdmitted {
		t.Errorf("1A after EndSale: %+v, want admitted until the next sale begins", res)
	}
	e.do("POST", api.ContractPath(addr, "BeginSale"), e.alice, e.saleBody(threePrices, 100)).want(t, http.StatusCreated, nil)
	for _, qr := range []string{t1A.QR, t1B.QR} {
		if res := e.admitOne(addr, qr, "north"); res.Status != ledger.StatusNotSold {
			t.Errorf("a ticket of the last sale after BeginSale: %+v, want not sold", res)
		}
	}
}

func TestCheckInAfterRelease(t *testing.T) {
	e := newEnv(t)
	addr := e.openSale(threeSeats, threePrices, 100, saleRules{})
	old := e.buy(addr, seatJSON(1, "A"), "ann", "")
	e.release(addr, e.shop, `{"seat":`+seatJSON(1, "A")+`,"sender":"ann"}`).want(t, http.StatusCreated, nil)
	if res := e.admitOne(addr, old.QR, "north"); res.Status != ledger.StatusNotSold {
		t.Errorf("released ticket: %+v, want not sold", res)
	}
	bob := e.buy(addr, seatJSON(1, "A"), "bob", "")
	if res := e.admitOne(addr, old.QR, "north"); res.Status != ledger.StatusInvalid {
		t.Errorf("released ticket after a re-buy: %+v, want invalid", res)
	}
	if res := e.admitOne(addr, bob.QR, "north"); res.Status != ledger.StatusAdmitted {
		t.Errorf("the new holder's ticket: %+v, want admitted", res)
	}
}

func TestCheckInIdentityPolicy(t *testing.T) {
	e := newEnv(t)
	addr := e.openSale(threeSeats, threePrices, 100, saleRules{identity: true})
	alice := e.buy(addr, seatJSON(1, "A"), "ann", "Alice Smith")
	bob := e.buy(addr, seatJSON(1, "B"), "bob", "Bob Stone")
	if res := e.scan("VerifyTicket", addr, e.gate, alice.QR, "", "")[0]; res.Status != ledger.StatusValid || res.Name != "Alice Smith" || !res.IdentityCheckRequired {
		t.Errorf("VerifyTicket of a named ticket: %+v", res)
	}
	if res := e.admitOne(addr, alice.QR, "north"); res.Status != ledger.StatusAdmitted || res.Name != "Alice Smith" || !res.IdentityCheckRequired {
		t.Errorf("named ticket: %+v, want admitted with the name and an ID check", res)
	}
	listed := e.ticketOf(addr, ledger.Seat{Number: 1, Letter: "B"}).CustomerIdentifier
	noKey := parseOne(t, bob.QR)
	noKey.NameKey, noKey.NameIV = "", ""
	ivOnly := parseOne(t, bob.QR)
	key, _ := crypto.DecodeHex(ivOnly.NameKey, crypto.KeySize)
	ivOnly.NameIV = cbcIV(t, key, listed, "Mallory") // the real key, another IV
	forged := parseOne(t, bob.QR)
	forged.NameKey, forged.NameIV = cbcForge(t, listed, "Mallory")
	for name, q := range map[string]ledger.QRTicket{"NameKeyMissing": noKey, "NameIVAltered": ivOnly, "NameKeysForged": forged} {
		t.Run(name, func(t *testing.T) {
			r := e.do("POST", api.ContractPath(addr, "CheckIn"), e.gate, `{"qr":`+jsonString(qrText(t, q))+`}`)
			var out api.CheckInResponse
			r.want(t, http.StatusOK, &out)
			if res := out.Results[0]; res.Status != ledger.StatusInvalid || res.Name != "" || !res.IdentityCheckRequired {
				t.Errorf("result %+v, want invalid with an ID check and no name", res)
			}
			if strings.Contains(string(r.body), "Mallory") {
				t.Errorf("the answer shows the forged name: %s", r.body)
			}
		})
	}
	if res := e.admitOne(addr, bob.QR, "north"); res.Status != ledger.StatusAdmitted || res.Name != "Bob Stone" {
		t.Errorf("the genuine ticket after the altered ones: %+v", res)
	}
}

func TestCheckInSeveralTickets(t *testing.T) {
	e := newEnv(t)
	seats, prices := hallOf(4)
	addr := e.openSale(seats, prices, 100, saleRules{})
	p := e.buyMany(addr, 1, 3, 0)
	for _, want := range []string{ledger.StatusAdmitted, ledger.StatusAlreadyCheckedIn} {
		res := e.scan("CheckIn", addr, e.gate, p.QR[0], "north", "")
		if len(res) != 3 {
			t.Fatalf("%d results for a 3-ticket QR, want 3", len(res))
		}
		for i, r := range res {
			if r.Status != want || r.Seat != p.Tickets[i].Seat {
				t.Errorf("result %d: %+v, want %s for %s", i, r, want, p.Tickets[i].Seat)
			}
		}
	}
	mixed := []ledger.QRTicket{parseOne(t, e.buy(addr, seatJSON(4, "A"), "ann", "").QR), {Seat: ledger.Seat{Number: 9, Letter: "Z"}, Secret: "guessedSecret01"}}
	res := e.scan("CheckIn", addr, e.gate, qrText(t, mixed...), "north", "")
	if len(res) != 2 || res[0].Status != ledger.StatusAdmitted || res[1].Status != ledger.StatusUnknownSeat {
		t.Errorf("a QR of a genuine ticket and an unknown seat: %+v", res)
	}
}

func TestCheckInMalformed(t *testing.T) {
	e := newEnv(t)
	addr := e.openSale(threeSeats, threePrices, 100, saleRules{})
	texts := []string{
		"hello gate",
		"[]",
		`{"seat":{"number":1,"letter":"A"}}`,
		`[{"seat":{"number":1,"letter":"A"},"secret":"abcdefghijklmno","secretKey":"00"}]`,
		`[{"seat":{"number":1,"letter":"A"},"secret":"abcdefghijklmno","nameKey":null}]`,
	}
	for i, text := range texts {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			log, tx := e.checkInLog(), e.transactionCount()
			for _, route := range []string{"VerifyTicket", "CheckIn"} {
				r := e.do("POST", api.ContractPath(addr, route)+"?gate=ignored", e.gate, `{"qr":`+jsonString(text)+`,"gate":"east"}`)
				var out api.CheckInErrorResponse
				r.want(t, http.StatusBadRequest, &out)
				if out.Code != ledger.EINVALID || len(out.Results) != 1 || out.Results[0].Status != ledger.StatusMalformed ||
					out.Results[0].Reason != out.Error || bytes.Contains(r.body, []byte(`"seat"`)) {
					t.Errorf("%s answer %s, want {error, code, results:[{status: malformed, reason}]} with no seat", route, r.body)
				}
				checkSentence(t, out.Error)
			}
			e.wantLogged(t, log, tx, "east") // CheckIn journals it, VerifyTicket does not
			if got := e.checkInLog()[len(log)].Malformed; got == "" {
				t.Error("the journal does not say why the scan was malformed")
			}
		})
	}
	e.do("POST", api.ContractPath(addr, "CheckIn"), e.gate, `{"gate":"east"}`).wantErrorText(t, 400, ledger.EINVALID, "qr")
}

// postImage posts data as a raw image body of the content type.
func (e *env) postImage(addr, route, query, contentType string, data []byte) response {
	e.t.Helper()
	req, err := http.NewRequest("POST", e.srv.URL+api.ContractPath(addr, route)+query, bytes.NewReader(data))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Authorization", "Bearer "+e.gate)
	return e.send(req)
}

// multipartBody returns a form with the fields and, unless field is "", a file in it.
func multipartBody(t *testing.T, field string, data []byte, fields map[string]string) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	if field != "" {
		f, err := w.CreateFormFile(field, "ticket.png")
		if err != nil {
			t.Fatal(err)
		}
		f.Write(data)
	}
	w.Close()
	return w.FormDataContentType(), buf.Bytes()
}

func TestCheckInImage(t *testing.T) {
	e := newEnv(t)
	seats, prices := hallOf(4)
	addr := e.openSale(seats, prices, 100, saleRules{})
	pictures := make([][]byte, 3)
	for i := range pictures {
		var err error
		if pictures[i], err = ticketpdf.QRPNG(e.buy(addr, seatJSON(i+1, "A"), "ann", "").QR, ticketpdf.DefaultRecovery, 6); err != nil {
			t.Fatal(err)
		}
	}
	img, err := png.Decode(bytes.NewReader(pictures[2]))
	if err != nil {
		t.Fatal(err)
	}
	var jpg bytes.Buffer
	jpeg.Encode(&jpg, img, &jpeg.Options{Quality: 85})
	form, formBody := multipartBody(t, "image", pictures[1], map[string]string{"gate": "side"})
	log, tx := e.checkInLog(), e.transactionCount()
	answers := []struct {
		r          response
		seat, gate string
	}{
		{e.postImage(addr, "CheckIn", "?gate=door&nonce=n1", "image/png", pictures[0]), "1A", "door"},
		{e.postImage(addr, "CheckIn", "", form, formBody), "2A", "side"},
		{e.postImage(addr, "CheckIn", "?gate=back", "image/jpeg", jpg.Bytes()), "3A", "back"},
	}
	for _, a := range answers {
		var out api.CheckInResponse
		a.r.want(t, http.StatusOK, &out)
		if len(out.Results) != 1 || out.Results[0].Status != ledger.StatusAdmitted || out.Results[0].Seat.String() != a.seat || out.Results[0].Gate != a.gate {
			t.Errorf("image scan %s, want %s admitted at %s", a.r.body, a.seat, a.gate)
		}
	}
	e.wantLogged(t, log, tx, "door", "side", "back")
	if res := e.admitOne(addr, mustDecode(t, pictures[0]), "north"); res.Status != ledger.StatusAlreadyCheckedIn || res.Gate != "door" {
		t.Errorf("the PNG's ticket scanned as text afterwards: %+v", res)
	}
}

func mustDecode(t *testing.T, pic []byte) string {
	t.Helper()
	text, err := qrdecode.DecodeBytes(pic)
	if err != nil {
		t.Fatal(err)
	}
	return text
}

// whiteImage is a blank white square of side px: a picture with no code in it.
func whiteImage(px int) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, px, px))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	return img
}

func TestCheckInUnreadable(t *testing.T) {
	e := newEnv(t)
	addr := e.openSale(threeSeats, threePrices, 100, saleRules{})
	var blank bytes.Buffer
	png.Encode(&blank, whiteImage(120))
	noField, noFieldBody := multipartBody(t, "", nil, map[string]string{"gate": "side"})
	wrongField, wrongFieldBody := multipartBody(t, "photo", blank.Bytes(), nil)
	tests := []struct {
		name, contentType string
		body              []byte
		says              string
	}{
		{"NoCode", "image/png", blank.Bytes(), "no QR code"},
		{"NotAnImage", "image/png", []byte("this is text"), "PNG, JPEG or GIF"},
		{"FormWithoutImage", noField, noFieldBody, "image"},
		{"FormWithAnotherField", wrongField, wrongFieldBody, "image"},
		{"TextBody", "text/plain", []byte("[]"), "Content-Type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.postImage(addr, "CheckIn", "", tt.contentType, tt.body).wantErrorText(t, http.StatusBadRequest, ledger.EINVALID, tt.says)
		})
	}
}

func TestCheckIns(t *testing.T) {
	e := newEnv(t)
	seats, prices := hallOf(4)
	addr := e.openSale(seats, prices, 100, saleRules{})
	noSale := e.create(seats)
	var qrs []string
	for k := 1; k <= 3; k++ {
		qrs = append(qrs, e.buy(addr, seatJSON(k, "A"), "ann", "").QR)
	}
	e.admitOne(addr, qrs[0], "north")
	e.clock.AdvanceBlocks(1)
	e.admitOne(addr, qrs[2], "south")
	e.admitOne(addr, qrs[2], "north") // already in: counts once
	rep := e.checkInReport(addr)
	if rep.Sold != 3 || rep.Admitted != 2 || rep.ToCome != 1 || len(rep.PerGate) != 2 || rep.PerGate["north"] != 1 || rep.PerGate["south"] != 1 {
		t.Errorf("report %+v, want 3 sold, 2 admitted (north 1, south 1), 1 to come", rep)
	}
	if len(rep.CheckIns) != 2 || rep.CheckIns[0].Seat != seat1A || rep.CheckIns[0].Gate != "north" ||
		rep.CheckIns[1].Seat != (ledger.Seat{Number: 3, Letter: "A"}) || !rep.CheckIns[1].CheckedInAt.After(rep.CheckIns[0].CheckedInAt) {
		t.Errorf("check-in list %+v, want 1A at north then 3A at south", rep.CheckIns)
	}
	if empty := e.checkInReport(noSale); empty.Sold != 0 || empty.Admitted != 0 || len(empty.CheckIns) != 0 {
		t.Errorf("report of a contract without a sale: %+v", empty)
	}
	path := api.ContractPath(addr, "CheckIns")
	e.do("GET", path, e.gate, "").wantError(t, http.StatusForbidden, ledger.EFORBIDDEN)
	e.do("GET", path, e.shop, "").wantError(t, http.StatusForbidden, ledger.EFORBIDDEN)
	e.do("GET", path, e.bob, "").wantError(t, http.StatusForbidden, ledger.EFORBIDDEN)
	e.do("GET", path, "", "").wantError(t, http.StatusUnauthorized, ledger.EUNAUTHORIZED)
	e.do("GET", api.ContractPath("not-an-address", "CheckIns"), e.alice, "").wantErrorText(t, http.StatusBadRequest, ledger.EINVALID, "Invalid address")
	e.do("GET", api.ContractPath(ledger.ZeroAddress, "CheckIns"), e.alice, "").wantErrorText(t, http.StatusNotFound, ledger.ENOTFOUND, "No smart contract")
}

func (e *env) checkInReport(addr string) ledger.CheckInReport {
	e.t.Helper()
	var rep ledger.CheckInReport
	e.do("GET", api.ContractPath(addr, "CheckIns"), e.alice, "").want(e.t, http.StatusOK, &rep)
	return rep
}

func TestCheckInKeys(t *testing.T) {
	e := newEnv(t)
	addr := e.openSale(threeSeats, threePrices, 100, saleRules{})
	tk := e.buy(addr, seatJSON(1, "A"), "ann", "")
	body := `{"qr":` + jsonString(tk.QR) + `}`
	for _, route := range []string{"CheckIn", "VerifyTicket"} {
		path := api.ContractPath(addr, route)
		e.do("POST", path, "", body).wantError(t, http.StatusUnauthorized, ledger.EUNAUTHORIZED)
		e.do("POST", path, e.shop, body).wantError(t, http.StatusForbidden, ledger.EFORBIDDEN)
		e.do("POST", path, e.bob, body).wantError(t, http.StatusForbidden, ledger.EFORBIDDEN)
	}
	for _, qr := range []string{tk.QR, "not a ticket"} {
		e.do("POST", api.ContractPath(ledger.ZeroAddress, "CheckIn"), e.gate, `{"qr":`+jsonString(qr)+`}`).
			wantErrorText(t, http.StatusNotFound, ledger.ENOTFOUND, "No smart contract")
	}
	if res := e.scan("CheckIn", addr, e.alice, tk.QR, "office", ""); res[0].Status != ledger.StatusAdmitted {
		t.Errorf("the owner's key at the gate: %+v, want admitted", res)
	}
}

// BenchmarkCheckInRoundTrip measures one verify-and-check-in of a fresh one-ticket QR
// through the HTTP API on loopback: request, JSON, parse, verify, admit, journal, answer.
func BenchmarkCheckInRoundTrip(b *testing.B) {
	srv, scannerKey, addr, qrs := benchSoldTickets(b, b.N)
	client := srv.Client()
	url := srv.URL + api.ContractPath(addr, "CheckIn")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		body, _ := json.Marshal(api.CheckInRequest{QR: qrs[i], Gate: "north"})
		req, _ := http.NewRequest("POST", url, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+scannerKey)
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		var out api.CheckInResponse
		err = json.NewDecoder(resp.Body).Decode(&out)
		resp.Body.Close()
		if err != nil || len(out.Results) != 1 || out.Results[0].Status != ledger.StatusAdmitted {
			b.Fatalf("ticket %d: %+v %v", i, out, err)
		}
	}
	b.ReportMetric(float64(b.Elapsed())/float64(b.N)/float64(time.Millisecond), "ms/op")
}

// benchSoldTickets serves a ledger with n tickets sold, one QR each, in orders of the
// largest size, and returns the server, a scanner key, the contract and the QR texts.
func benchSoldTickets(b *testing.B, n int) (*httptest.Server, string, string, []string) {
	b.Helper()
	ctx := ledger.WithActor(context.Background(), ledger.Actor{Admin: true})
	st, err := sqlstore.Open(ctx, filepath.Join(b.TempDir(), "bench.db"), sqlstore.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	key, _, err := st.Keys.CreateKey(ctx, ledger.RoleScanner, "bench gate")
	if err != nil {
		b.Fatal(err)
	}
	seats := make([]ledger.Seat, n)
	prices := make([]ledger.SeatPrice, n)
	for i := range seats {
		seats[i] = ledger.Seat{Section: fmt.Sprint("S", i/1000), Number: i%1000 + 1}
		prices[i] = ledger.SeatPrice{Seat: seats[i], Price: 100}
	}
	c, _, err := st.Contracts.CreateContract(ctx, "Bench Arena", seats)
	if err != nil {
		b.Fatal(err)
	}
	info, _ := st.Journal.Info(ctx)
	d := ledger.SaleDetails{Name: "Bench", Organiser: "Bench", Time: time.Now().Add(time.Hour).Unix(), EndOfSale: info.Height + 1000}
	if _, err := st.Contracts.BeginSale(ctx, c.Address, prices, d); err != nil {
		b.Fatal(err)
	}
	is := &issuer.Issuer{Ledger: st.Selling}
	var qrs []string
	for start := 0; start < n; start += ledger.MaxTicketsInOrder {
		p, err := is.Reserve(ctx, c.Address, issuer.Request{Seats: seats[start:min(start+ledger.MaxTicketsInOrder, n)], Sender: "box office", TicketsPerQR: 1})
		if err != nil {
			b.Fatal(err)
		}
		qrs = append(qrs, p.QR...)
	}
	srv := httptest.NewServer(newServer(b, st, slog.New(slog.DiscardHandler)))
	b.Cleanup(srv.Close)
	return srv, key, c.Address, qrs
}

// An organizer may not write check-in records into another organizer's contract, even
// with text that is not a ticket.
func TestCheckInMalformedOtherOrganizer(t *testing.T) {
	e := newEnv(t)
	addr := e.openSale(threeSeats, threePrices, 100, saleRules{})
	log, tx := e.checkInLog(), e.transactionCount()
	e.do("POST", api.ContractPath(addr, "CheckIn"), e.bob, `{"qr":"not a ticket","gate":"bob's gate"}`).wantError(t, http.StatusForbidden, ledger.EFORBIDDEN)
	e.wantLogged(t, log, tx)
}
