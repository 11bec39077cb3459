package ledgertest

import (
	"encoding/json"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// testGatePolicy: a sale begins with offline admission allowed and re-entry refused; the
// owner changes either part alone (the other stays), the contract's sale shows the
// policy, the journal records it whole and still verifies; a change before any sale is a
// conflict, an empty change invalid, a scanner's or another organizer's change refused.
func testGatePolicy(t *testing.T, b Backend) {
	o := b.Organizer
	if o.Door == nil {
		t.Skip("this backend keeps no gate policies")
	}
	bare := create(t, b, "1A")
	yes, no := true, false
	_, err := o.Door.SetGatePolicy(o.Ctx, bare.Address, ledger.GatePolicyChange{Reentry: &yes})
	wantCode(t, err, ledger.ECONFLICT, "gate policy before any sale")
	c := onSale(t, b, 500, "1A", "1B")
	wantGatePolicy(t, b, c.Address, ledger.DefaultGatePolicy(), "a new sale")
	rc, err := o.Door.SetGatePolicy(o.Ctx, c.Address, ledger.GatePolicyChange{Reentry: &yes})
	must(t, err, "SetGatePolicy reentry")
	var e ledger.GatePolicyEffect
	must(t, json.Unmarshal(rc.Effect, &e), "the receipt's effect")
	if rc.Kind != ledger.TxGatePolicySet || e.Sale != 1 || e.Policy != (ledger.GatePolicy{OfflineAdmission: true, Reentry: true}) {
		t.Errorf("receipt %s %+v, want %s of sale 1 with the whole policy", rc.Kind, e, ledger.TxGatePolicySet)
	}
	_, err = o.Door.SetGatePolicy(o.Ctx, c.Address, ledger.GatePolicyChange{OfflineAdmission: &no})
	must(t, err, "SetGatePolicy offline")
	wantGatePolicy(t, b, c.Address, ledger.GatePolicy{OfflineAdmission: false, Reentry: true}, "after two changes")
	_, err = o.Door.SetGatePolicy(o.Ctx, c.Address, ledger.GatePolicyChange{})
	wantCode(t, err, ledger.EINVALID, "an empty change")
	if b.Scanner.Door != nil {
		_, err = b.Scanner.Door.SetGatePolicy(b.Scanner.Ctx, c.Address, ledger.GatePolicyChange{Reentry: &no})
		wantCode(t, err, ledger.EFORBIDDEN, "a scanner's change")
	}
	if b.Rival.Door != nil {
		_, err = b.Rival.Door.SetGatePolicy(b.Rival.Ctx, c.Address, ledger.GatePolicyChange{Reentry: &no})
		wantCode(t, err, ledger.EFORBIDDEN, "another organizer's change")
	}
	wantGatePolicy(t, b, c.Address, ledger.GatePolicy{OfflineAdmission: false, Reentry: true}, "after the refusals")
	rep, err := o.Service.Verify(o.Ctx)
	must(t, err, "Verify")
	if !rep.OK {
		t.Errorf("Verify after gate policies = %+v", rep)
	}
}

func wantGatePolicy(t *testing.T, b Backend, address string, want ledger.GatePolicy, what string) {
	t.Helper()
	c, err := b.Organizer.Service.Contract(b.Organizer.Ctx, address)
	must(t, err, "Contract")
	if c.Sale == nil || c.Sale.GatePolicy != want {
		t.Errorf("%s: the sale's gate policy is %+v, want %+v", what, c.Sale, want)
	}
}

// moveScan scans the QR ticket in the direction at the gate, as the scanner.
func moveScan(t *testing.T, b Backend, address, gate, nonce, direction string, qr ledger.QRTicket) ledger.CheckResult {
	t.Helper()
	s := b.Scanner
	res, err := s.Gate.CheckIn(s.Ctx, address, ledger.CheckInRequest{Tickets: []ledger.QRTicket{qr}, Gate: gate, Nonce: nonce, Direction: direction})
	must(t, err, "CheckIn "+direction+" at "+gate)
	if len(res) != 1 {
		t.Fatalf("CheckIn %s gave %d results: %+v", direction, len(res), res)
	}
	return res[0]
}

// testExitsAndReentry: an out scan of a ticket never admitted is not_inside; once
// admitted, out is exited (a retry too, a second out not_inside) and the report counts it
// out; in again is already_checked_in in words while the sale refuses re-entry, and
// readmitted once the owner allows it (a retry too); inside now counts it again, the
// admissions count it once, and the journal verifies.
func testExitsAndReentry(t *testing.T, b Backend) {
	c := onSale(t, b, 500, "1A", "1B")
	_, tickets := sell(t, b, c.Address, "ann", "", "1A", "1B")
	a := tickets[0].qr
	wantStatus(t, moveScan(t, b, c.Address, "north", "x0", ledger.DirectionOut, tickets[1].qr), ledger.StatusNotInside, "out before any entry")
	wantStatus(t, moveScan(t, b, c.Address, "north", "x1", "", a), ledger.StatusAdmitted, "in")
	wantInside(t, b, c.Address, 1, 1, "after the entry")
	out := moveScan(t, b, c.Address, "west", "x2", ledger.DirectionOut, a)
	wantStatus(t, out, ledger.StatusExited, "out")
	if out.ExitedAt == nil || out.Gate != "west" {
		t.Errorf("out: %+v, want the exit's time and gate", out)
	}
	wantStatus(t, moveScan(t, b, c.Address, "west", "x2", ledger.DirectionOut, a), ledger.StatusExited, "a retry of the exit")
	wantStatus(t, moveScan(t, b, c.Address, "west", "x3", ledger.DirectionOut, a), ledger.StatusNotInside, "out twice")
	wantInside(t, b, c.Address, 1, 0, "after the exit")
	again := moveScan(t, b, c.Address, "north", "x4", ledger.DirectionIn, a)
	wantStatus(t, again, ledger.StatusAlreadyCheckedIn, "in again without re-entry")
	if again.Reason != ledger.MsgNoReentry || again.Gate != "north" || again.ExitedAt == nil {
		t.Errorf("in again without re-entry: %+v, want the reason %q, the first gate and the exit's time", again, ledger.MsgNoReentry)
	}
	if b.Organizer.Door == nil {
		return
	}
	yes := true
	_, err := b.Organizer.Door.SetGatePolicy(b.Organizer.Ctx, c.Address, ledger.GatePolicyChange{Reentry: &yes})
	must(t, err, "SetGatePolicy reentry")
	wantStatus(t, moveScan(t, b, c.Address, "south", "x5", "", a), ledger.StatusReadmitted, "in again with re-entry")
	wantStatus(t, moveScan(t, b, c.Address, "south", "x5", "", a), ledger.StatusReadmitted, "a retry of the re-entry")
	wantStatus(t, moveScan(t, b, c.Address, "south", "x6", "", a), ledger.StatusAlreadyCheckedIn, "in while inside")
	wantInside(t, b, c.Address, 1, 1, "after the re-entry")
	rep, err := b.Organizer.Service.Verify(b.Organizer.Ctx)
	must(t, err, "Verify")
	if !rep.OK {
		t.Errorf("Verify after exits = %+v", rep)
	}
}

func wantInside(t *testing.T, b Backend, address string, admitted, inside int64, what string) {
	t.Helper()
	rep, err := b.Organizer.Gate.CheckIns(b.Organizer.Ctx, address)
	must(t, err, "CheckIns")
	if rep.Admitted != admitted || rep.Inside != inside || len(rep.CheckIns) != 1 || (rep.CheckIns[0].ExitedAt == nil) != (inside == 1) {
		t.Errorf("%s: CheckIns = %+v, want %d admitted and %d inside", what, rep, admitted, inside)
	}
	if _, skipped := b.Skip["GateCounts"]; skipped {
		return
	}
	counts, err := b.Scanner.Gate.GateCounts(b.Scanner.Ctx, address)
	must(t, err, "GateCounts")
	if counts.Admitted != admitted || counts.Inside != inside {
		t.Errorf("%s: GateCounts = %+v, want %d admitted and %d inside", what, counts, admitted, inside)
	}
}
