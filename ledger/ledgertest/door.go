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
