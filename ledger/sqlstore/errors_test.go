package sqlstore_test

import (
	"context"
	"math"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

func TestBeginSaleErrors(t *testing.T) {
	e := openEnv(t)
	org := e.actor(t, ledger.RoleOrganizer, "promoter")
	c := e.create(t, org, "1A", "1B")
	e.clock.AdvanceBlocks(20)
	seats := parseSeats(t, "1A", "1B")
	unknown, _ := ledger.NewAddress()
	good := func() ledger.SaleDetails { return e.details(t, 5) }
	with := func(change func(*ledger.SaleDetails)) ledger.SaleDetails {
		d := good()
		change(&d)
		return d
	}
	tests := map[string]struct {
		address string
		prices  []ledger.SeatPrice
		details ledger.SaleDetails
		code    string
	}{
		"NoPrices":         {c.Address, nil, good(), ledger.EINVALID},
		"Duplicate":        {c.Address, append(flatPrices(seats, 5), ledger.SeatPrice{Seat: seats[0], Price: 5}), good(), ledger.EINVALID},
		"Missing":          {c.Address, flatPrices(seats[:1], 5), good(), ledger.EINVALID},
		"Unknown":          {c.Address, append(flatPrices(seats, 5), ledger.SeatPrice{Seat: ledger.Seat{Number: 9}}), good(), ledger.EREFUSED},
		"UnknownSameCount": {c.Address, []ledger.SeatPrice{{Seat: seats[0], Price: 5}, {Seat: ledger.Seat{Number: 9}, Price: 5}}, good(), ledger.EINVALID},
		"NegativePrice":    {c.Address, []ledger.SeatPrice{{Seat: seats[0], Price: -5}, {Seat: seats[1], Price: 5}}, good(), ledger.EINVALID},
		"NoName":           {c.Address, flatPrices(seats, 5), with(func(d *ledger.SaleDetails) { d.Name = "" }), ledger.EINVALID},
		"NoOrganiser":      {c.Address, flatPrices(seats, 5), with(func(d *ledger.SaleDetails) { d.Organiser = "" }), ledger.EINVALID},
		"ShowInPast":       {c.Address, flatPrices(seats, 5), with(func(d *ledger.SaleDetails) { d.Time = e.clock.Now().Unix() }), ledger.EREFUSED},
		"EndNow":           {c.Address, flatPrices(seats, 5), with(func(d *ledger.SaleDetails) { d.EndOfSale = 20 }), ledger.EREFUSED},
		"EndPast":          {c.Address, flatPrices(seats, 5), with(func(d *ledger.SaleDetails) { d.EndOfSale = 3 }), ledger.EREFUSED},
		"MalformedAddress": {"not-an-address", flatPrices(seats, 5), good(), ledger.EINVALID},
		"UnknownContract":  {unknown, flatPrices(seats, 5), good(), ledger.ENOTFOUND},
	}
	before := countRows(t, e, "journal")
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := e.store.Contracts.BeginSale(org, tt.address, tt.prices, tt.details)
			wantCode(t, err, tt.code)
		})
	}
	if got := mustContract(t, e, c.Address); got.Sale != nil {
		t.Errorf("a refused BeginSale left a sale: %+v", got.Sale)
	}
	if after := countRows(t, e, "journal"); after != before {
		t.Errorf("refused calls wrote %d journal entries", after-before)
	}
	if n := countRows(t, e, "tickets"); n != 0 {
		t.Errorf("refused calls left %d tickets", n)
	}
	// A good sale still begins afterwards: the refusals left nothing half done.
	_, err := e.store.Contracts.BeginSale(org, c.Address, flatPrices(seats, 5), good())
	mustNil(t, err, "BeginSale after refusals")
}

func TestRuleErrors(t *testing.T) {
	e := openEnv(t)
	org := e.actor(t, ledger.RoleOrganizer, "promoter")
	c := e.create(t, org, "1A")
	unknown, _ := ledger.NewAddress()
	tests := map[string]struct {
		call func() (ledger.Receipt, error)
		code string
	}{
		"NegativeFee": {func() (ledger.Receipt, error) { return e.store.Contracts.SetReleaseFee(org, c.Address, -1) }, ledger.EINVALID},
		"HugeFee": {func() (ledger.Receipt, error) {
			return e.store.Contracts.SetReleaseFee(org, c.Address, ledger.MaxPrice+1)
		}, ledger.EINVALID},
		"NegativeCount": {func() (ledger.Receipt, error) { return e.store.Contracts.SetNoReleaseBlocks(org, c.Address, -1) }, ledger.EINVALID},
		"MinCount": {func() (ledger.Receipt, error) {
			return e.store.Contracts.SetNoReleaseBlocks(org, c.Address, math.MinInt64)
		}, ledger.EINVALID},
		"FeeUnknown":       {func() (ledger.Receipt, error) { return e.store.Contracts.SetReleaseFee(org, unknown, 1) }, ledger.ENOTFOUND},
		"CountUnknown":     {func() (ledger.Receipt, error) { return e.store.Contracts.SetNoReleaseBlocks(org, unknown, 1) }, ledger.ENOTFOUND},
		"PolicyUnknown":    {func() (ledger.Receipt, error) { return e.store.Contracts.SetIdentityPolicy(org, unknown, true) }, ledger.ENOTFOUND},
		"EndSaleUnknown":   {func() (ledger.Receipt, error) { return e.store.Contracts.EndSale(org, unknown) }, ledger.ENOTFOUND},
		"FeeMalformed":     {func() (ledger.Receipt, error) { return e.store.Contracts.SetReleaseFee(org, "C"+c.Address[1:10], 1) }, ledger.EINVALID},
		"EndSaleMalformed": {func() (ledger.Receipt, error) { return e.store.Contracts.EndSale(org, c.Address+"x") }, ledger.EINVALID},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := tt.call()
			wantCode(t, err, tt.code)
		})
	}
	if r := mustContract(t, e, c.Address).Rules; r != (ledger.Rules{}) {
		t.Errorf("refused rule changes changed the rules: %+v", r)
	}
	rc, err := e.store.Contracts.SetNoReleaseBlocks(org, c.Address, math.MaxInt64)
	mustNil(t, err, "SetNoReleaseBlocks(MaxInt64)")
	if got := mustContract(t, e, c.Address).Rules.NoReleaseBlocks; got != math.MaxInt64 || rc.Kind != ledger.TxRulesSet {
		t.Errorf("no-release blocks = %d, want MaxInt64", got)
	}
}

func TestReadErrors(t *testing.T) {
	e := openEnv(t)
	ctx := context.Background()
	unknown, _ := ledger.NewAddress()
	_, err := e.store.Contracts.Contract(ctx, unknown)
	wantCode(t, err, ledger.ENOTFOUND)
	_, err = e.store.Contracts.Tickets(ctx, unknown)
	wantCode(t, err, ledger.ENOTFOUND)
	_, err = e.store.Contracts.Contract(ctx, "0x1234")
	wantCode(t, err, ledger.EINVALID)
	_, err = e.store.Contracts.Tickets(ctx, "")
	if ledger.ErrorCode(err) != ledger.EINVALID {
		t.Errorf("Tickets(\"\") = %v, want EINVALID", err)
	}
	_, err = e.store.Journal.Receipt(ctx, "abc")
	wantCode(t, err, ledger.EINVALID)
	_, err = e.store.Journal.Receipt(ctx, "zz"+unknown+unknown)
	wantCode(t, err, ledger.EINVALID)
	_, err = e.store.Journal.Receipt(ctx, "00000000000000000000000000000000000000000000000000000000000000ff")
	wantCode(t, err, ledger.ENOTFOUND)
}
