package sqlstore_test

import (
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

func TestTransferContract(t *testing.T) {
	e := openEnv(t)
	alice := e.actor(t, ledger.RoleOrganizer, "alice")
	bob := e.actor(t, ledger.RoleOrganizer, "bob")
	mallory := e.actor(t, ledger.RoleOrganizer, "mallory")
	shop := e.actor(t, ledger.RoleBoxOffice, "shop")
	c := e.create(t, alice, "1A", "1B")
	bobID := "key:2"

	for name, tt := range map[string]struct {
		by    bool // false: mallory, who does not own it
		owner string
		code  string
	}{
		"NotTheOwner":  {false, bobID, ledger.EFORBIDDEN},
		"Malformed":    {true, "bob", ledger.EINVALID},
		"UnknownKey":   {true, "key:99", ledger.ENOTFOUND},
		"BoxOfficeKey": {true, "key:4", ledger.EREFUSED},
	} {
		t.Run(name, func(t *testing.T) {
			ctx := mallory
			if tt.by {
				ctx = alice
			}
			_, err := e.store.Contracts.TransferContract(ctx, c.Address, tt.owner)
			wantCode(t, err, tt.code)
		})
	}
	_, err := e.store.Contracts.TransferContract(shop, c.Address, bobID)
	wantCode(t, err, ledger.EFORBIDDEN)

	rc, err := e.store.Contracts.TransferContract(alice, c.Address, bobID)
	mustNil(t, err, "TransferContract to bob")
	if rc.Kind != ledger.TxContractOwner || !strings.Contains(string(rc.Effect), `"owner":"key:2"`) || !strings.Contains(string(rc.Effect), `"previous":"key:1"`) {
		t.Errorf("receipt %+v %s", rc, rc.Effect)
	}
	if got, _ := e.store.Contracts.Contract(bob, c.Address); got.Owner != bobID {
		t.Errorf("owner %q, want %s", got.Owner, bobID)
	}
	_, err = e.store.Contracts.SetReleaseFee(alice, c.Address, 5)
	wantCode(t, err, ledger.EFORBIDDEN) // alice handed it over
	_, err = e.store.Contracts.SetReleaseFee(bob, c.Address, 5)
	mustNil(t, err, "bob manages it")
	_, err = e.store.Contracts.TransferContract(e.admin, c.Address, "key:1")
	mustNil(t, err, "the administrator hands it back")
	mustExec(t, e.rawDB(t), `UPDATE api_keys SET revoked = 1 WHERE id = 2`)
	_, err = e.store.Contracts.TransferContract(alice, c.Address, bobID)
	wantCode(t, err, ledger.EREFUSED) // a revoked key owns nothing

	if rep := mustVerify(t, e); !rep.OK {
		t.Fatalf("Verify after transfers = %+v", rep)
	}
	mustExec(t, e.rawDB(t), `UPDATE contracts SET owner = 'key:3' WHERE address = ?`, c.Address)
	if rep := mustVerify(t, e); rep.OK || !anyProblem(rep, []string{c.Address, "owner", "key:3"}) {
		t.Errorf("Verify after the owner was changed behind the journal = %+v", rep)
	}
}

// SetRules sets several rules in one transaction: one journal entry, replayed by Verify.
func TestSetRulesOneTransaction(t *testing.T) {
	e := openEnv(t)
	org := e.actor(t, ledger.RoleOrganizer, "org")
	c := e.create(t, org, "1A", "1B")
	before := countRows(t, e, "journal")
	fee, blocks, identity := int64(500), int64(3), true
	rc, err := e.store.Contracts.SetRules(org, c.Address, ledger.RulesChange{ReleaseFee: &fee, NoReleaseBlocks: &blocks, RequireIdentityVerification: &identity})
	mustNil(t, err, "SetRules")
	if n := countRows(t, e, "journal"); n != before+1 {
		t.Errorf("journal rows %d, want %d: one transaction for three rules", n, before+1)
	}
	want := ledger.Rules{ReleaseFee: 500, NoReleaseBlocks: 3, RequireIdentityVerification: true}
	if got, _ := e.store.Contracts.Contract(org, c.Address); got.Rules != want || rc.Kind != ledger.TxRulesSet {
		t.Errorf("rules %+v (receipt %s), want %+v", got.Rules, rc.Kind, want)
	}
	fee = 7
	_, err = e.store.Contracts.SetRules(org, c.Address, ledger.RulesChange{ReleaseFee: &fee})
	mustNil(t, err, "SetRules fee only")
	want.ReleaseFee = 7
	if got, _ := e.store.Contracts.Contract(org, c.Address); got.Rules != want {
		t.Errorf("rules %+v after changing the fee alone, want %+v", got.Rules, want)
	}
	_, err = e.store.Contracts.SetRules(org, c.Address, ledger.RulesChange{})
	wantCode(t, err, ledger.EINVALID)
	bad := int64(-1)
	_, err = e.store.Contracts.SetRules(org, c.Address, ledger.RulesChange{ReleaseFee: &fee, NoReleaseBlocks: &bad})
	wantCode(t, err, ledger.EINVALID)
	if got, _ := e.store.Contracts.Contract(org, c.Address); got.Rules != want {
		t.Errorf("a refused change changed the rules to %+v", got.Rules)
	}
	if rep := mustVerify(t, e); !rep.OK {
		t.Fatalf("Verify = %+v", rep)
	}
}
