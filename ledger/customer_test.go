package ledger_test

import (
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

func TestIsCountryCode(t *testing.T) {
	n := 0
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			if ledger.IsCountryCode(string([]rune{a, b})) {
				n++
			}
		}
	}
	if n != 249 {
		t.Errorf("%d codes accepted, want ISO 3166-1's 249", n)
	}
	for _, code := range []string{"ch", "XX", "UK", "EU", "C", "CHE", "H ", " C", "DA"} {
		if ledger.IsCountryCode(code) {
			t.Errorf("IsCountryCode(%q) = true", code)
		}
	}
}

func TestCheckEmail(t *testing.T) {
	for _, ok := range []string{"tom@tomsons.com", "a.b+c@x.example.ch", "Zoë@bücher.de"} {
		if err := ledger.CheckEmail(ok); err != nil {
			t.Errorf("CheckEmail(%q) = %v", ok, err)
		}
	}
	for _, bad := range []string{"", "tom", "@x.ch", "tom@", "tom@ch", "tom@@x.ch", "tom@x..ch", "tom@.x.ch", "tom@x.ch.",
		"Tom <tom@x.ch>", "to m@x.ch", strings.Repeat("t", 65) + "@x.ch"} {
		if err := ledger.CheckEmail(bad); ledger.ErrorCode(err) != ledger.EINVALID {
			t.Errorf("CheckEmail(%q) = %v, want EINVALID", bad, err)
		}
	}
}

func TestNormalizeCustomer(t *testing.T) {
	c, err := ledger.NormalizeCustomer(ledger.Customer{LastName: "  Tomson ", Address: ledger.PostalAddress{Country: " ch"}})
	if err != nil || c.LastName != "Tomson" || c.Address.Country != "CH" {
		t.Errorf("NormalizeCustomer = %+v, %v", c, err)
	}
	_, err = ledger.ApplyCustomerChange(c, ledger.CustomerChange{Address: &ledger.AddressChange{}})
	if ledger.ErrorCode(err) != ledger.EINVALID {
		t.Errorf("an empty change = %v, want EINVALID", err)
	}
}
