package ledger_test

import (
	"errors"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// TestIdentityRefusals: the refusals of the identity policy carry ErrIdentityPolicy, with
// their code and sentence; a ticket that follows the policy passes; other refusals are
// not marked; and ErrorOf, which clients use to rebuild an error from the code and
// sentence the HTTP API sends, marks the same refusals and no others.
func TestIdentityRefusals(t *testing.T) {
	plain := ledger.SealedTicket{SecretCiphertext: []byte{1}, SecretDigest: []byte{2}}
	named := plain
	named.NameCiphertext, named.NameDigest = []byte{3}, []byte{4}
	refusals := map[string]struct {
		err  error
		code string
	}{
		"NameMissing":  {ledger.CheckIdentity(true, plain), ledger.EREFUSED},
		"NameUnwanted": {ledger.CheckIdentity(false, named), ledger.ECONFLICT},
		"NameBlank":    {ledger.ValidateCustomerName(" "), ledger.EREFUSED},
	}
	for name, r := range refusals {
		if !errors.Is(r.err, ledger.ErrIdentityPolicy) || ledger.ErrorCode(r.err) != r.code {
			t.Errorf("%s: %v (%s), want an identity refusal coded %s", name, r.err, ledger.ErrorCode(r.err), r.code)
		}
		rebuilt := ledger.ErrorOf(ledger.ErrorCode(r.err), ledger.ErrorMessage(r.err))
		if !errors.Is(rebuilt, ledger.ErrIdentityPolicy) || rebuilt.Code != r.code || rebuilt.Message != ledger.ErrorMessage(r.err) {
			t.Errorf("%s rebuilt by ErrorOf: %+v, want the same identity refusal", name, rebuilt)
		}
	}
	if err := ledger.CheckIdentity(true, named); err != nil {
		t.Errorf("a named ticket under the identity policy: %v", err)
	}
	if err := ledger.CheckIdentity(false, plain); err != nil {
		t.Errorf("a ticket without a name and without the policy: %v", err)
	}
	for _, err := range []error{
		ledger.Errorf(ledger.EREFUSED, "Ticket for seat 1A not available to purchase"),
		ledger.ErrorOf(ledger.EREFUSED, "Ticket for seat 1A not available to purchase"),
		ledger.ValidateCustomerName("Ann\u2066"),
	} {
		if errors.Is(err, ledger.ErrIdentityPolicy) {
			t.Errorf("%v is marked as an identity refusal", err)
		}
	}
}
