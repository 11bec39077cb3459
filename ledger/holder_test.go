package ledger_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/crypto"
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

// TestProveHolding: the ticket's secret proves holding to any key; without it only the
// administrator, the contract's owner and the key that sold the ticket may act, and a
// sender given must be the holder's. Refusals are EREFUSED and never name the holder.
func TestProveHolding(t *testing.T) {
	c := ledger.Contract{Address: "CMa4CDM372AJyzAhbTiGrT6Uexk6hq214A", Owner: "key:1"}
	seat := ledger.Seat{Section: "Stalls", Number: 1, Letter: "A"}
	sold := ledger.Holding{Sold: true, Sender: "customer-4711", SecretDigest: crypto.SecretDigest("s3cret"), SoldBy: "key:2"}
	owner := ledger.Actor{KeyID: 1, Role: ledger.RoleOrganizer}
	seller := ledger.Actor{KeyID: 2, Role: ledger.RoleBoxOffice}
	stranger := ledger.Actor{KeyID: 3, Role: ledger.RoleBoxOffice}
	admin := ledger.Actor{Admin: true}
	for _, tc := range []struct {
		name           string
		a              ledger.Actor
		h              ledger.Holding
		secret, sender string
		ok             bool
	}{
		{"SecretAnyKey", stranger, sold, "s3cret", "", true},
		{"WrongSecret", owner, sold, "guess", "", false},
		{"SecretOfFreeSeat", stranger, ledger.Holding{SecretDigest: crypto.SecretDigest("s3cret")}, "s3cret", "", false},
		{"SecretNoDigest", stranger, ledger.Holding{Sold: true, Sender: "x"}, "s3cret", "", false},
		{"Owner", owner, sold, "", "", true},
		{"OwnerSender", owner, sold, "", "customer-4711", true},
		{"OwnerWrongSender", owner, sold, "", "customer-4712", false},
		{"Seller", seller, sold, "", "customer-4711", true},
		{"Admin", admin, sold, "", "", true},
		{"Stranger", stranger, sold, "", "customer-4711", false},
		{"StrangerOldTicket", stranger, ledger.Holding{Sold: true, Sender: "customer-4711"}, "", "customer-4711", false},
		{"Free", owner, ledger.Holding{}, "", "customer-4711", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := ledger.ProveHolding(tc.a, c, seat, tc.h, tc.secret, tc.sender)
			if tc.ok {
				if err != nil {
					t.Fatalf("ProveHolding: %v, want nil", err)
				}
				return
			}
			wantCode(t, err, ledger.EREFUSED)
			if tc.h.Sender != "" && tc.h.Sender != tc.sender && strings.Contains(err.Error(), tc.h.Sender) {
				t.Errorf("refusal %q names the holder %q", err, tc.h.Sender)
			}
		})
	}
}
