package ledger_test

import (
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// cirrusMainnetZero is Address.Zero on Cirrus mainnet, as the Ticketbooth API shows it.
const cirrusMainnetZero = "CGTta3M4t3yXu8uRgkKvaWd2d8DQvDPnpL"

func TestZeroAddress(t *testing.T) {
	if ledger.ZeroAddress != cirrusMainnetZero {
		t.Errorf("ZeroAddress = %q, want Cirrus mainnet's %q", ledger.ZeroAddress, cirrusMainnetZero)
	}
	if err := ledger.ValidateAddress(ledger.ZeroAddress); err != nil {
		t.Errorf("ValidateAddress(ZeroAddress): %v", err)
	}
}

func TestNewAddress(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		a, err := ledger.NewAddress()
		if err != nil {
			t.Fatalf("NewAddress: %v", err)
		}
		if err := ledger.ValidateAddress(a); err != nil {
			t.Fatalf("ValidateAddress(%q) of a fresh address: %v", a, err)
		}
		if !strings.HasPrefix(a, "C") || len(a) != len(cirrusMainnetZero) {
			t.Errorf("fresh address %q is not shaped like a Cirrus mainnet address", a)
		}
		if seen[a] || a == ledger.ZeroAddress {
			t.Fatalf("NewAddress repeated %q", a)
		}
		seen[a] = true
	}
}

const base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

func TestValidateAddressFlippedCharacter(t *testing.T) {
	a, err := ledger.NewAddress()
	if err != nil {
		t.Fatal(err)
	}
	for _, addr := range []string{a, ledger.ZeroAddress} {
		for i := range len(addr) {
			for _, step := range []int{1, 29} {
				j := (strings.IndexByte(base58Alphabet, addr[i]) + step) % len(base58Alphabet)
				bad := addr[:i] + string(base58Alphabet[j]) + addr[i+1:]
				if err := ledger.ValidateAddress(bad); ledger.ErrorCode(err) != ledger.EINVALID {
					t.Errorf("ValidateAddress(%q) (position %d of %q changed) = %v, want EINVALID", bad, i, addr, err)
				}
			}
		}
	}
}

func TestValidateAddressRejects(t *testing.T) {
	tests := map[string]string{
		"Empty":          "",
		"Short":          "CGTta3M4t3yXu8u",
		"Long":           cirrusMainnetZero + "1111",
		"Zero0":          strings.Replace(cirrusMainnetZero, "a", "0", 1),
		"LetterO":        strings.Replace(cirrusMainnetZero, "a", "O", 1),
		"LetterI":        strings.Replace(cirrusMainnetZero, "a", "I", 1),
		"Lowercase_l":    strings.Replace(cirrusMainnetZero, "a", "l", 1),
		"Space":          " " + cirrusMainnetZero,
		"TestnetVersion": "t6vc3nrbAurGs3i17HJUavZuw4ioKTiFCE",
		"Slash":          "CGTta3M4t3yXu8uRgkKvaWd2d8DQvDP/pL",
		"NonASCII":       "CGTta3M4t3yXu8uRgkKvaWd2d8DQvDPnpé",
		"Huge":           strings.Repeat("z", 10000),
		"AllOnes":        strings.Repeat("1", 34),
	}
	for name, addr := range tests {
		t.Run(name, func(t *testing.T) {
			err := ledger.ValidateAddress(addr)
			if addr == "" {
				// "Invalid address " names nothing; the code is what matters here.
				if ledger.ErrorCode(err) != ledger.EINVALID {
					t.Fatalf("ValidateAddress(\"\") = %v, want EINVALID", err)
				}
				return
			}
			wantCode(t, err, ledger.EINVALID)
			if len(ledger.ErrorMessage(err)) > 200 {
				t.Errorf("message of %d bytes for a %d-byte address: not clipped", len(ledger.ErrorMessage(err)), len(addr))
			}
		})
	}
}
