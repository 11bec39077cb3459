package ledgertest

import (
	"testing"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// scan checks the QR tickets in (or only verifies them) as the scanner, at the gate.
func scan(t *testing.T, b Backend, address, gate, nonce string, verifyOnly bool, qr ...ledger.QRTicket) []ledger.CheckResult {
	t.Helper()
	s := b.Scanner
	res, err := s.Gate.CheckIn(s.Ctx, address, ledger.CheckInRequest{Tickets: qr, Gate: gate, Nonce: nonce, VerifyOnly: verifyOnly})
	must(t, err, "CheckIn at "+gate)
	if len(res) != len(qr) {
		t.Fatalf("CheckIn of %d tickets gave %d results: %+v", len(qr), len(res), res)
	}
	return res
}

func wantStatus(t *testing.T, res ledger.CheckResult, status, what string) {
	t.Helper()
	if res.Status != status {
		t.Errorf("%s: %+v, want %s", what, res, status)
	}
}

// testCheckIn: a ticket is admitted once: again it is already checked in, with the first
// admission's gate and time, while a retry with the same nonce from the same gate keeps
// its admission; a wrong secret is invalid, a free seat not sold, a seat the hall lacks
// unknown; verifying admits nothing. CheckIns reports the admissions.
func testCheckIn(t *testing.T, b Backend) {
	c := onSale(t, b, 500, "1A", "1B", "2A")
	_, tickets := sell(t, b, c.Address, "ann", "", "1A", "1B")
	a, bb := tickets[0].qr, tickets[1].qr
	wantStatus(t, scan(t, b, c.Address, "north", "v1", true, a)[0], ledger.StatusValid, "verifying 1A")
	wantStatus(t, scan(t, b, c.Address, "north", "n1", false, a)[0], ledger.StatusAdmitted, "first scan of 1A")
	wantStatus(t, scan(t, b, c.Address, "north", "n1", false, a)[0], ledger.StatusAdmitted, "retry of the first scan")
	again := scan(t, b, c.Address, "south", "n2", false, a)[0]
	wantStatus(t, again, ledger.StatusAlreadyCheckedIn, "second scan of 1A")
	if again.Gate != "north" || again.CheckedInAt == nil || again.CheckedInAt.IsZero() {
		t.Errorf("second scan of 1A: %+v, want the first admission's gate and time", again)
	}
	forged := bb
	forged.Secret, forged.SecretKey, forged.SecretIV = a.Secret, "", ""
	wantStatus(t, scan(t, b, c.Address, "north", "n3", false, forged)[0], ledger.StatusInvalid, "1B with 1A's secret")
	free := seal(t, parseSeats(t, "2A")[0], "").qr
	wantStatus(t, scan(t, b, c.Address, "north", "n4", false, free)[0], ledger.StatusNotSold, "free seat 2A")
	lacking := seal(t, parseSeats(t, "9Z")[0], "").qr
	wantStatus(t, scan(t, b, c.Address, "north", "n5", false, lacking)[0], ledger.StatusUnknownSeat, "seat 9Z the hall lacks")
	rep, err := b.Organizer.Gate.CheckIns(b.Organizer.Ctx, c.Address)
	must(t, err, "CheckIns")
	if rep.Sale != 1 || rep.Sold != 2 || rep.Admitted != 1 || rep.ToCome != 1 || rep.PerGate["north"] != 1 ||
		len(rep.CheckIns) != 1 || rep.CheckIns[0].Seat != a.Seat || rep.CheckIns[0].Gate != "north" {
		t.Errorf("CheckIns = %+v", rep)
	}
}

// testCheckInNamed: under the identity policy the gate shows the purchaser's name with
// the admission, and a QR without the name's key is invalid.
func testCheckInNamed(t *testing.T, b Backend) {
	c := create(t, b, "1A", "1B")
	o := b.Organizer
	_, err := o.Service.SetIdentityPolicy(o.Ctx, c.Address, true)
	must(t, err, "SetIdentityPolicy")
	_, err = o.Service.BeginSale(o.Ctx, c.Address, flatPrices(parseSeats(t, "1A", "1B"), 500), details(t, b, 10))
	must(t, err, "BeginSale")
	unnamed, _ := order(t, "ann", "", "1A")
	_, err = b.BoxOffice.Seller.Reserve(b.BoxOffice.Ctx, c.Address, unnamed)
	wantCode(t, err, ledger.EREFUSED, "Reserve without a name under the identity policy")
	_, tickets := sell(t, b, c.Address, "ann", "Zoë Łukasiewicz-Ødegård", "1A", "1B")
	res := scan(t, b, c.Address, "north", "n1", false, tickets[0].qr)[0]
	wantStatus(t, res, ledger.StatusAdmitted, "named 1A")
	if res.Name != "Zoë Łukasiewicz-Ødegård" || !res.IdentityCheckRequired {
		t.Errorf("named 1A: %+v, want the name and an identity check", res)
	}
	keyless := tickets[1].qr
	keyless.NameKey, keyless.NameIV = "", ""
	res = scan(t, b, c.Address, "north", "n2", false, keyless)[0]
	wantStatus(t, res, ledger.StatusInvalid, "named 1B without its name key")
	if res.Name != "" {
		t.Errorf("a QR without the name key showed the name %q", res.Name)
	}
}

// testGateCounts: a scanner sees the counts of the latest sale and the gates seen so far,
// one gate whatever the spelling.
func testGateCounts(t *testing.T, b Backend) {
	c := onSale(t, b, 500, "1A", "1B", "2A")
	_, tickets := sell(t, b, c.Address, "ann", "", "1A", "1B")
	scan(t, b, c.Address, "North door", "n1", false, tickets[0].qr)
	scan(t, b, c.Address, "north  DOOR", "n2", false, tickets[1].qr)
	rep, err := b.Scanner.Gate.GateCounts(b.Scanner.Ctx, c.Address)
	must(t, err, "GateCounts")
	if rep.Sale != 1 || rep.Sold != 2 || rep.Admitted != 2 || rep.ToCome != 0 || len(rep.Gates) != 1 || rep.Gates[0] != "North door" ||
		rep.PerGate["North door"] != 2 {
		t.Errorf("GateCounts = %+v", rep)
	}
	_, err = b.Rival.Gate.GateCounts(b.Rival.Ctx, c.Address)
	wantCode(t, err, ledger.EFORBIDDEN, "rival GateCounts")
}

// testMalformed: an attempt whose QR could not be read is recorded as malformed with its
// reason, for a key that may check in; another organizer may not (EFORBIDDEN), and an
// unknown contract is ENOTFOUND.
func testMalformed(t *testing.T, b Backend) {
	c := onSale(t, b, 500, "1A")
	s := b.Scanner
	res, err := s.Gate.RecordMalformed(s.Ctx, c.Address, "north", "QR text is empty")
	must(t, err, "RecordMalformed")
	if res.Status != ledger.StatusMalformed || res.Reason != "QR text is empty" {
		t.Errorf("RecordMalformed = %+v", res)
	}
	_, err = b.Rival.Gate.RecordMalformed(b.Rival.Ctx, c.Address, "north", "QR text is empty")
	wantCode(t, err, ledger.EFORBIDDEN, "rival RecordMalformed")
	addr, _ := ledger.NewAddress()
	_, err = s.Gate.RecordMalformed(s.Ctx, addr, "north", "QR text is empty")
	wantCode(t, err, ledger.ENOTFOUND, "RecordMalformed on an unknown contract")
}
