package ledger_test

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// typeHall is a hall of two sections and three price levels, its base prices in seat order.
func typeHall(tb testing.TB) ([]ledger.Seat, []int64) {
	return seats(tb, "Stalls/1A", "Stalls/1B", "Balcony/2A", "Balcony/2B"), []int64{3000, 2000, 2000, 1500}
}

// TestTicketTypePriceOf: the most specific price of a type wins (seat, section, price
// level, every seat), and a seat none of its prices covers is not offered.
func TestTicketTypePriceOf(t *testing.T) {
	hall, base := typeHall(t)
	reduced := ledger.TicketType{Name: "reduced", Prices: []ledger.TypePrice{ledger.PriceForSeat(hall[0], 2500),
		ledger.PriceForAll(1000), ledger.PriceForSection("Balcony", 900), ledger.PriceForLevel(2000, 1200)}}
	child := ledger.TicketType{Name: "child", Prices: []ledger.TypePrice{ledger.PriceForLevel(2000, 700)}}
	for i, want := range []int64{2500, 1200, 900, 900} {
		if got, ok := reduced.PriceOf(hall[i], base[i]); !ok || got != want {
			t.Errorf("reduced for %s = %d, %v; want %d", hall[i], got, ok, want)
		}
	}
	for i, want := range []int64{-1, 700, 700, -1} {
		got, ok := child.PriceOf(hall[i], base[i])
		if ok != (want >= 0) || ok && got != want {
			t.Errorf("child for %s = %d, %v; want %d", hall[i], got, ok, want)
		}
	}
	if err := ledger.ValidateTicketTypes([]ledger.TicketType{reduced, child}, hall, base); err != nil {
		t.Errorf("ValidateTicketTypes: %v", err)
	}
}

// TestValidateTicketTypes refuses, in words, each malformed set of types.
func TestValidateTicketTypes(t *testing.T) {
	hall, base := typeHall(t)
	one := func(name string, ps ...ledger.TypePrice) []ledger.TicketType {
		return []ledger.TicketType{{Name: name, Prices: ps}}
	}
	level, section := int64(2000), "Balcony"
	many := make([]ledger.TicketType, ledger.MaxTicketTypes+1)
	for i := range many {
		many[i] = ledger.TicketType{Name: "t" + strconv.Itoa(i), Prices: []ledger.TypePrice{ledger.PriceForAll(1)}}
	}
	cases := map[string]struct {
		types []ledger.TicketType
		words string
	}{
		"NoName":       {one("", ledger.PriceForAll(1)), "needs a name"},
		"Spaces":       {one(" reduced", ledger.PriceForAll(1)), "must not begin or end with spaces"},
		"LongName":     {one(strings.Repeat("n", ledger.MaxTypeNameLen+1), ledger.PriceForAll(1)), "at most 40 characters"},
		"Control":      {one("re\tduced", ledger.PriceForAll(1)), "control character"},
		"NoPrice":      {one("reduced"), "needs at least one price"},
		"Negative":     {one("reduced", ledger.PriceForAll(-1)), "must be between 0 and"},
		"TooDear":      {one("reduced", ledger.PriceForAll(ledger.MaxPrice+1)), "must be between 0 and"},
		"TwoScopes":    {one("reduced", ledger.TypePrice{PriceLevel: &level, Section: &section, Price: 1}), "more than one of seat, section and priceLevel"},
		"UnknownSeat":  {one("reduced", ledger.PriceForSeat(seats(t, "9Z")[0], 1)), "prices seat 9Z, which this hall lacks"},
		"BadSeat":      {one("reduced", ledger.PriceForSeat(ledger.Seat{}, 1)), "Invalid seat"},
		"UnknownSect":  {one("reduced", ledger.PriceForSection("Gallery", 1)), "prices section Gallery, which this hall lacks"},
		"NoSection":    {one("reduced", ledger.PriceForSection("", 1)), "the seats of no section, which this hall lacks"},
		"UnknownLevel": {one("reduced", ledger.PriceForLevel(999, 1)), "no seat of this sale has that base price"},
		"SameTwice":    {one("reduced", ledger.PriceForLevel(2000, 1), ledger.PriceForLevel(2000, 2)), "prices price level 2000 twice"},
		"AllTwice":     {one("reduced", ledger.PriceForAll(1), ledger.PriceForAll(2)), "prices every seat twice"},
		"Duplicate": {[]ledger.TicketType{{Name: "Reduced", Prices: []ledger.TypePrice{ledger.PriceForAll(1)}},
			{Name: "reduced", Prices: []ledger.TypePrice{ledger.PriceForAll(2)}}}, "named twice"},
		"TooMany": {many, "at most 16 ticket types"},
	}
	for name, tc := range cases {
		err := ledger.ValidateTicketTypes(tc.types, hall, base)
		if ledger.ErrorCode(err) != ledger.EINVALID || !strings.Contains(ledger.ErrorMessage(err), tc.words) {
			t.Errorf("%s: %v, want EINVALID saying %q", name, err, tc.words)
		}
	}
}

// TestSalePricesChecksTypes: BeginSale's rule checks the details' ticket types against
// the seats and their prices.
func TestSalePricesChecksTypes(t *testing.T) {
	d := goodDetails()
	d.TicketTypes = []ledger.TicketType{{Name: "child", Prices: []ledger.TypePrice{ledger.PriceForLevel(20, 5)}}}
	_, err := ledger.SalePrices(seats(t, "1A", "1B"), prices(t, "1A", 10, "1B", 10), d, saleHeight, saleNow)
	if ledger.ErrorCode(err) != ledger.EINVALID || !strings.Contains(ledger.ErrorMessage(err), "price level 20") {
		t.Errorf("SalePrices with a type of an unknown level: %v", err)
	}
	d.TicketTypes[0].Prices[0] = ledger.PriceForLevel(10, 5)
	if _, err := ledger.SalePrices(seats(t, "1A", "1B"), prices(t, "1A", 10, "1B", 10), d, saleHeight, saleNow); err != nil {
		t.Errorf("SalePrices with a good type: %v", err)
	}
}

// TestValidateHoldTypes: a hold's type names must be well formed.
func TestValidateHoldTypes(t *testing.T) {
	if err := ledger.ValidateHold(ledger.HoldSeats("reduced", seats(t, "1A", "1B")...)); err != nil {
		t.Errorf("ValidateHold: %v", err)
	}
	for _, bad := range []string{" reduced", strings.Repeat("x", 41), "re\u200bduced"} {
		if err := ledger.ValidateHold(ledger.HoldSeats(bad, seats(t, "1A")...)); ledger.ErrorCode(err) != ledger.EINVALID {
			t.Errorf("ValidateHold with type %q: %v, want EINVALID", bad, err)
		}
	}
}

// FuzzTicketTypes reads ticket types from JSON and checks them against a hall: never a
// panic, every refusal EINVALID, and every seat of types that pass priced by PriceOf at
// one of the type's own prices or not offered.
func FuzzTicketTypes(f *testing.F) {
	for _, seed := range []string{
		`[{"name":"reduced","prices":[{"price":5},{"priceLevel":2000,"price":1},{"section":"Balcony","price":2}]}]`,
		`[{"name":"child","prices":[{"seat":{"number":1,"letter":"A","section":"Stalls"},"price":3}]}]`,
		`[{"name":"a","prices":[{"section":"","price":1}]},{"name":"A","prices":[{"price":1}]}]`,
		`[{"name":"x","prices":[{"seat":{"number":-1},"section":"S","priceLevel":3,"price":-1}]}]`, `[{}]`, `[null]`,
	} {
		f.Add(seed)
	}
	hall, base := typeHall(f)
	f.Fuzz(func(t *testing.T, text string) {
		var types []ledger.TicketType
		if json.Unmarshal([]byte(text), &types) != nil {
			return
		}
		err := ledger.ValidateTicketTypes(types, hall, base)
		if err != nil {
			if ledger.ErrorCode(err) != ledger.EINVALID {
				t.Fatalf("%s: %v, want EINVALID", text, err)
			}
			return
		}
		for _, typ := range types {
			for i, s := range hall {
				if price, ok := typ.PriceOf(s, base[i]); ok && !slices.ContainsFunc(typ.Prices, func(p ledger.TypePrice) bool { return p.Price == price }) {
					t.Fatalf("%s: %s costs %d as %q, none of its prices", text, s, price, typ.Name)
				}
			}
		}
	})
}
