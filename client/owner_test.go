package client_test

import (
	"context"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// SetRules and TransferContract through the API: several rules in one transaction, and a
// contract handed from alice to bob, who then manages it while alice may not.
func TestSetRulesAndTransferOverHTTP(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	c, _, err := e.alice.CreateContract(ctx, "Globe", seats(t, "1A"))
	ok(t, err, "CreateContract")
	fee, identity := int64(300), true
	rc, err := e.alice.SetRules(ctx, c.Address, ledger.RulesChange{ReleaseFee: &fee, RequireIdentityVerification: &identity})
	ok(t, err, "SetRules")
	if got, _ := e.anon.Rules(ctx, c.Address); got != (ledger.Rules{ReleaseFee: 300, RequireIdentityVerification: true}) || rc.Kind != ledger.TxRulesSet {
		t.Errorf("rules %+v after SetRules (receipt %s)", got, rc.Kind)
	}
	if _, err := e.alice.SetRules(ctx, c.Address, ledger.RulesChange{}); ledger.ErrorCode(err) != ledger.EINVALID {
		t.Errorf("SetRules with nothing to set: %v, want EINVALID", err)
	}
	if _, err := e.bob.TransferContract(ctx, c.Address, "key:2"); ledger.ErrorCode(err) != ledger.EFORBIDDEN {
		t.Errorf("bob taking alice's contract: %v, want EFORBIDDEN", err)
	}
	rc, err = e.alice.TransferContract(ctx, c.Address, "key:2")
	ok(t, err, "TransferContract")
	if rc.Kind != ledger.TxContractOwner {
		t.Errorf("receipt %+v", rc)
	}
	if got, _ := e.anon.Contract(ctx, c.Address); got.Owner != "key:2" {
		t.Errorf("owner %q, want key:2", got.Owner)
	}
	_, err = e.bob.SetReleaseFee(ctx, c.Address, 1)
	ok(t, err, "bob sets the fee of his contract")
	if _, err := e.alice.SetReleaseFee(ctx, c.Address, 2); ledger.ErrorCode(err) != ledger.EFORBIDDEN {
		t.Errorf("alice after handing it over: %v, want EFORBIDDEN", err)
	}
}
