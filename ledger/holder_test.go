package ledger_test

import (
	"bytes"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// TestHolderAddress: a holder address is a well-formed ledger address, never the zero
// address, the same for the same inputs, and different when the key, the contract, the
// selling key or the sender differ (also where a naive concatenation would collide).
func TestHolderAddress(t *testing.T) {
	key := bytes.Repeat([]byte{7}, ledger.HolderKeySize)
	const c = "CMa4CDM372AJyzAhbTiGrT6Uexk6hq214A"
	a := ledger.HolderAddress(key, c, "key:1", "customer-4711")
	if err := ledger.ValidateAddress(a); err != nil || a == ledger.ZeroAddress {
		t.Fatalf("HolderAddress = %q (%v): want a ledger address other than the zero address", a, err)
	}
	if again := ledger.HolderAddress(key, c, "key:1", "customer-4711"); again != a {
		t.Errorf("the same inputs gave %s and %s", a, again)
	}
	other := bytes.Repeat([]byte{8}, ledger.HolderKeySize)
	for name, b := range map[string]string{
		"key":      ledger.HolderAddress(other, c, "key:1", "customer-4711"),
		"contract": ledger.HolderAddress(key, "CdzFS1gG3XhA", "key:1", "customer-4711"),
		"seller":   ledger.HolderAddress(key, c, "key:2", "customer-4711"),
		"sender":   ledger.HolderAddress(key, c, "key:1", "customer-4712"),
		"boundary": ledger.HolderAddress(key, c, "key:1customer-", "4711"),
	} {
		if b == a {
			t.Errorf("another %s gave the same address %s", name, a)
		}
	}
}
