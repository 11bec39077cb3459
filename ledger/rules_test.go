package ledger_test

import (
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

var saleNow = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

const saleHeight = 100

func goodDetails() ledger.SaleDetails {
	return ledger.SaleDetails{Name: "Hamlet", Organiser: "Globe", Time: saleNow.Add(24 * time.Hour).Unix(), EndOfSale: saleHeight + 50}
}

func prices(tb testing.TB, pairs ...any) []ledger.SeatPrice {
	tb.Helper()
	var out []ledger.SeatPrice
	for i := 0; i < len(pairs); i += 2 {
		out = append(out, ledger.SeatPrice{Seat: mustSeat(tb, pairs[i].(string)), Price: int64(pairs[i+1].(int))})
	}
	return out
}

func seats(tb testing.TB, texts ...string) []ledger.Seat {
	tb.Helper()
	out := make([]ledger.Seat, len(texts))
	for i, text := range texts {
		out[i] = mustSeat(tb, text)
	}
	return out
}

// TestSalePricesMatchBySeat is the original contract's defect: it took the prices by
// position, so [{1B,30},{1A,10}] on seats [1A,1B] priced 1A at 30.
func TestSalePricesMatchBySeat(t *testing.T) {
	got, err := ledger.SalePrices(seats(t, "1A", "1B"), prices(t, "1B", 30, "1A", 10), goodDetails(), saleHeight, saleNow)
	if err != nil {
		t.Fatalf("SalePrices: %v", err)
	}
	if len(got) != 2 || got[0] != 10 || got[1] != 30 {
		t.Errorf("prices of [1A 1B] = %v, want [10 30]", got)
	}
}

func TestSalePricesShuffled(t *testing.T) {
	var ss []ledger.Seat
	var ps []ledger.SeatPrice
	for n := 1; n <= 50; n++ {
		for _, l := range []string{"A", "B", "C"} {
			s := ledger.Seat{Section: "S" + strconv.Itoa(n%3), Number: n, Letter: l}
			ss = append(ss, s)
			ps = append([]ledger.SeatPrice{{Seat: s, Price: int64(n*100 + len(ss))}}, ps...)
		}
	}
	got, err := ledger.SalePrices(ss, ps, goodDetails(), saleHeight, saleNow)
	if err != nil {
		t.Fatalf("SalePrices: %v", err)
	}
	for i, s := range ss {
		if want := int64(s.Number*100 + i + 1); got[i] != want {
			t.Errorf("price of %s = %d, want %d", s, got[i], want)
		}
	}
}

func TestSalePricesFree(t *testing.T) {
	got, err := ledger.SalePrices(seats(t, "1A"), prices(t, "1A", 0), goodDetails(), saleHeight, saleNow)
	if err != nil || len(got) != 1 || got[0] != 0 {
		t.Errorf("SalePrices of a free seat = %v, %v; want [0]", got, err)
	}
}

func TestSalePricesErrors(t *testing.T) {
	two := seats(t, "1A", "1B")
	tests := map[string]struct {
		prices  []ledger.SeatPrice
		details ledger.SaleDetails
		names   string // what the message must name, if anything
	}{
		"NoPrices":         {nil, goodDetails(), ""},
		"Duplicate":        {prices(t, "1A", 10, "1B", 20, "1A", 10), goodDetails(), "1A"},
		"Missing":          {prices(t, "1A", 10), goodDetails(), "1B"},
		"Unknown":          {prices(t, "1A", 10, "1B", 20, "2C", 5), goodDetails(), "2C"},
		"UnknownSameCount": {prices(t, "1A", 10, "2C", 5), goodDetails(), "1B"},
		"Negative":         {prices(t, "1A", -1, "1B", 20), goodDetails(), "1A"},
		"TooDear":          {prices(t, "1A", ledger.MaxPrice+1, "1B", 20), goodDetails(), "1A"},
		"NoName":           {prices(t, "1A", 10, "1B", 20), withDetails(func(d *ledger.SaleDetails) { d.Name = " " }), ""},
		"NoOrganiser":      {prices(t, "1A", 10, "1B", 20), withDetails(func(d *ledger.SaleDetails) { d.Organiser = "" }), ""},
		"LongName":         {prices(t, "1A", 10, "1B", 20), withDetails(func(d *ledger.SaleDetails) { d.Name = strings.Repeat("n", 201) }), ""},
		"TimeNow":          {prices(t, "1A", 10, "1B", 20), withDetails(func(d *ledger.SaleDetails) { d.Time = saleNow.Unix() }), ""},
		"TimePast":         {prices(t, "1A", 10, "1B", 20), withDetails(func(d *ledger.SaleDetails) { d.Time = 0 }), ""},
		"EndNow":           {prices(t, "1A", 10, "1B", 20), withDetails(func(d *ledger.SaleDetails) { d.EndOfSale = saleHeight }), strconv.Itoa(saleHeight)},
		"EndPast":          {prices(t, "1A", 10, "1B", 20), withDetails(func(d *ledger.SaleDetails) { d.EndOfSale = -5 }), strconv.Itoa(saleHeight)},
		"LongCurrency":     {prices(t, "1A", 10, "1B", 20), withDetails(func(d *ledger.SaleDetails) { d.Currency = "EURO-DOLLAR" }), ""},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := ledger.SalePrices(two, tt.prices, tt.details, saleHeight, saleNow)
			if err == nil {
				t.Fatalf("SalePrices = %v, want an error", got)
			}
			code := ledger.EINVALID // a malformed list or field; a well-formed one the rules refuse:
			if name == "Unknown" || strings.HasPrefix(name, "Time") || strings.HasPrefix(name, "End") {
				code = ledger.EREFUSED
			}
			wantCode(t, err, code)
			if msg := ledger.ErrorMessage(err); tt.names != "" && !strings.Contains(msg, tt.names) {
				t.Errorf("message %q does not name %s", msg, tt.names)
			}
		})
	}
}

func withDetails(change func(*ledger.SaleDetails)) ledger.SaleDetails {
	d := goodDetails()
	change(&d)
	return d
}

// TestSalePricesEndOfSaleMessage checks Ticketbooth's wording, which clients may show.
func TestSalePricesEndOfSaleMessage(t *testing.T) {
	d := goodDetails()
	d.EndOfSale = 7
	_, err := ledger.SalePrices(seats(t, "1A"), prices(t, "1A", 1), d, 42, saleNow)
	if want := "End of sale must be in the future. Consensus height is at 42"; ledger.ErrorMessage(err) != want {
		t.Errorf("message = %q, want %q", ledger.ErrorMessage(err), want)
	}
	d = goodDetails()
	d.Time = saleNow.Add(-time.Second).Unix()
	_, err = ledger.SalePrices(seats(t, "1A"), prices(t, "1A", 1), d, 42, saleNow)
	if want := "Time must be in the future"; ledger.ErrorMessage(err) != want {
		t.Errorf("message = %q, want %q", ledger.ErrorMessage(err), want)
	}
}

func TestSalePricesBoundaries(t *testing.T) {
	d := goodDetails()
	d.EndOfSale = saleHeight + 1
	d.Time = saleNow.Unix() + 1
	if _, err := ledger.SalePrices(seats(t, "1A"), prices(t, "1A", ledger.MaxPrice), d, saleHeight, saleNow); err != nil {
		t.Errorf("end one block ahead, show one second ahead, price MaxPrice: %v", err)
	}
}

func TestValidateRules(t *testing.T) {
	for _, r := range []ledger.Rules{{}, {ReleaseFee: ledger.MaxPrice, NoReleaseBlocks: math.MaxInt64, RequireIdentityVerification: true}} {
		if err := ledger.ValidateRules(r); err != nil {
			t.Errorf("ValidateRules(%+v): %v", r, err)
		}
	}
	for _, r := range []ledger.Rules{{ReleaseFee: -1}, {ReleaseFee: ledger.MaxPrice + 1}, {NoReleaseBlocks: -1}, {NoReleaseBlocks: math.MinInt64}} {
		wantCode(t, ledger.ValidateRules(r), ledger.EINVALID)
	}
}

func TestRefund(t *testing.T) {
	// The table of the reference: refund = price - fee only when price > fee.
	tests := []struct{ price, fee, want int64 }{
		{50, 10, 40}, {50, 30, 20}, {80, 0, 80}, {50, 50, 0}, {50, 100, 0}, {0, 100, 0},
		{ledger.MaxPrice, 0, ledger.MaxPrice}, {ledger.MaxPrice, ledger.MaxPrice, 0},
	}
	for _, tt := range tests {
		if got := ledger.Refund(tt.price, tt.fee); got != tt.want {
			t.Errorf("Refund(%d, %d) = %d, want %d", tt.price, tt.fee, got, tt.want)
		}
	}
}

func TestReleaseOpen(t *testing.T) {
	tests := []struct {
		height, count, end int64
		want               bool
	}{
		{0, 0, 10, true},
		{9, 0, 10, true},
		{10, 0, 10, false},
		{11, 0, 10, false},
		{5, 4, 10, true},
		{5, 5, 10, false}, // height + count >= end closes releases
		{5, 6, 10, false},
		{0, 11, 10, false}, // the original's unsigned end - count wrapped round here
		{0, math.MaxInt64, 10, false},
		{math.MaxInt64 - 1, math.MaxInt64, math.MaxInt64, false}, // height + count overflows
		{math.MaxInt64 - 1, 0, math.MaxInt64, true},
		{0, math.MaxInt64 - 1, math.MaxInt64, true},
		{1, math.MaxInt64 - 1, math.MaxInt64, false},
		{5, -1, 10, false},
		{5, math.MinInt64, 10, false},
	}
	for _, tt := range tests {
		if got := ledger.ReleaseOpen(tt.height, tt.count, tt.end); got != tt.want {
			t.Errorf("ReleaseOpen(height %d, count %d, end %d) = %v, want %v", tt.height, tt.count, tt.end, got, tt.want)
		}
	}
}
