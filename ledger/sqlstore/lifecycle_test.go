package sqlstore_test

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

func TestCreateContract(t *testing.T) {
	e := openEnv(t)
	e.clock.AdvanceBlocks(3)
	org := e.actor(t, ledger.RoleOrganizer, "promoter")
	seats := parseSeats(t, "1A", "1B", "2", "C", "Stalls/12C")
	c, rc, err := e.store.Contracts.CreateContract(org, "Ticketbooth Theatre", seats)
	mustNil(t, err, "CreateContract")
	actor, _ := ledger.ActorFrom(org)
	if err := ledger.ValidateAddress(c.Address); err != nil || c.Address == ledger.ZeroAddress {
		t.Errorf("contract address %q: %v", c.Address, err)
	}
	want := ledger.Contract{Address: c.Address, Venue: "Ticketbooth Theatre", Owner: actor.ID(), SeatCount: 5, CreatedHeight: 3}
	if c.Venue != want.Venue || c.Owner != want.Owner || c.SeatCount != want.SeatCount || c.CreatedHeight != want.CreatedHeight ||
		c.Rules != (ledger.Rules{}) || c.Sale != nil {
		t.Errorf("CreateContract = %+v, want %+v", c, want)
	}
	got, err := e.store.Contracts.Contract(context.Background(), c.Address)
	mustNil(t, err, "Contract")
	if got.Address != c.Address || got.Venue != c.Venue || got.Owner != c.Owner || got.SeatCount != 5 || got.Sale != nil {
		t.Errorf("Contract = %+v, want %+v", got, c)
	}
	if rc.Kind != ledger.TxContractCreated || rc.Contract != c.Address || rc.Actor != actor.ID() || rc.Height != 3 || len(rc.TransactionHash) != 64 {
		t.Errorf("receipt = %+v", rc)
	}
	var eff ledger.ContractCreatedEffect
	mustNil(t, json.Unmarshal(rc.Effect, &eff), "decoding the effect")
	if eff.Venue != "Ticketbooth Theatre" || len(eff.Seats) != 5 || eff.Seats[4] != seats[4] {
		t.Errorf("effect = %+v", eff)
	}
	tickets, err := e.store.Contracts.Tickets(context.Background(), c.Address)
	mustNil(t, err, "Tickets")
	if len(tickets) != len(seats) {
		t.Fatalf("%d tickets, want %d", len(tickets), len(seats))
	}
	for i, tk := range tickets {
		if tk.Seat != seats[i] || tk.Price != 0 || tk.Address != ledger.ZeroAddress || tk.Secret != "" || tk.CustomerIdentifier != "" {
			t.Errorf("ticket %d = %+v, want seat %s available at 0", i, tk, seats[i])
		}
	}
}

func TestCreateContractErrors(t *testing.T) {
	e := openEnv(t)
	org := e.actor(t, ledger.RoleOrganizer, "promoter")
	tests := map[string]struct {
		venue string
		seats []ledger.Seat
	}{
		"NoVenue":   {"", parseSeats(t, "1A")},
		"NoSeats":   {"Hall", nil},
		"Duplicate": {"Hall", parseSeats(t, "1A", "1B", "1A")},
		"Invalid":   {"Hall", []ledger.Seat{{Number: 1, Letter: "A"}, {Number: -3}}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			_, _, err := e.store.Contracts.CreateContract(org, tt.venue, tt.seats)
			wantCode(t, err, ledger.EINVALID)
		})
	}
	if n := countRows(t, e, "contracts"); n != 0 {
		t.Errorf("%d contracts after refused creations", n)
	}
}

func TestSaleLifecycle(t *testing.T) {
	e := openEnv(t)
	org := e.actor(t, ledger.RoleOrganizer, "promoter")
	c := e.create(t, org, "1A", "1B", "2A")
	seats := parseSeats(t, "1A", "1B", "2A")

	setRules(t, e, org, c.Address, ledger.Rules{ReleaseFee: 25, NoReleaseBlocks: 3, RequireIdentityVerification: true})

	// Prices in another order than the seats: they must be matched by seat.
	start := e.height(t)
	d := e.details(t, 5)
	rc, err := e.store.Contracts.BeginSale(org, c.Address, []ledger.SeatPrice{
		{Seat: seats[2], Price: 30}, {Seat: seats[1], Price: 20}, {Seat: seats[0], Price: 10}}, d)
	mustNil(t, err, "BeginSale")
	if rc.Kind != ledger.TxSaleBegun || rc.Contract != c.Address || rc.Height != start {
		t.Errorf("BeginSale receipt = %+v", rc)
	}
	got := mustContract(t, e, c.Address)
	d.Currency = ledger.DefaultCurrency
	if got.Sale == nil || got.Sale.Number != 1 || !got.Sale.Active || got.Sale.BegunHeight != start || !reflect.DeepEqual(got.Sale.Details, d) {
		t.Fatalf("sale = %+v, want sale 1 active since %d with %+v", got.Sale, start, d)
	}
	checkPrices(t, e, c.Address, 10, 20, 30)

	t.Run("ErrSaleOpen", func(t *testing.T) {
		_, err := e.store.Contracts.SetReleaseFee(org, c.Address, 1)
		wantCode(t, err, ledger.ECONFLICT)
		_, err = e.store.Contracts.SetNoReleaseBlocks(org, c.Address, 1)
		wantCode(t, err, ledger.ECONFLICT)
		_, err = e.store.Contracts.SetIdentityPolicy(org, c.Address, false)
		wantCode(t, err, ledger.ECONFLICT)
		_, err = e.store.Contracts.BeginSale(org, c.Address, flatPrices(seats, 1), e.details(t, 5))
		wantCode(t, err, ledger.ECONFLICT)
		if r := mustContract(t, e, c.Address).Rules; r != (ledger.Rules{ReleaseFee: 25, NoReleaseBlocks: 3, RequireIdentityVerification: true}) {
			t.Errorf("rules changed while the sale was open: %+v", r)
		}
		checkPrices(t, e, c.Address, 10, 20, 30)
	})

	t.Run("ErrEndTooEarly", func(t *testing.T) {
		e.clock.AdvanceBlocks(4)
		_, err := e.store.Contracts.EndSale(org, c.Address)
		wantCode(t, err, ledger.ECONFLICT)
		// Rules stay closed after the end height until EndSale.
		e.clock.AdvanceBlocks(1)
		_, err = e.store.Contracts.SetReleaseFee(org, c.Address, 1)
		wantCode(t, err, ledger.ECONFLICT)
	})

	rc, err = e.store.Contracts.EndSale(org, c.Address)
	mustNil(t, err, "EndSale at the end height")
	if rc.Kind != ledger.TxSaleEnded || rc.Height != d.EndOfSale {
		t.Errorf("EndSale receipt = %+v, want sale_ended at %d", rc, d.EndOfSale)
	}
	got = mustContract(t, e, c.Address)
	if got.Sale == nil || got.Sale.Active || got.Sale.EndedHeight != d.EndOfSale || got.Sale.Number != 1 {
		t.Errorf("sale after EndSale = %+v", got.Sale)
	}
	if got.Rules != (ledger.Rules{ReleaseFee: 25, NoReleaseBlocks: 3, RequireIdentityVerification: true}) {
		t.Errorf("rules did not survive EndSale: %+v", got.Rules)
	}
	checkPrices(t, e, c.Address, 0, 0, 0)

	_, err = e.store.Contracts.EndSale(org, c.Address)
	wantCode(t, err, ledger.ECONFLICT)

	setRules(t, e, org, c.Address, ledger.Rules{ReleaseFee: 0, NoReleaseBlocks: 0, RequireIdentityVerification: false})
	d2 := e.details(t, 1)
	d2.Currency = "CHF"
	_, err = e.store.Contracts.BeginSale(org, c.Address, flatPrices(seats, 7), d2)
	mustNil(t, err, "second BeginSale")
	got = mustContract(t, e, c.Address)
	if got.Sale.Number != 2 || !got.Sale.Active || got.Sale.Details.Currency != "CHF" {
		t.Errorf("second sale = %+v", got.Sale)
	}
	checkPrices(t, e, c.Address, 7, 7, 7)
}

func TestEndSaleWithoutSale(t *testing.T) {
	e := openEnv(t)
	org := e.actor(t, ledger.RoleOrganizer, "promoter")
	c := e.create(t, org, "1A")
	_, err := e.store.Contracts.EndSale(org, c.Address)
	wantCode(t, err, ledger.ECONFLICT)
}

// setRules sets the three rules one by one and checks each receipt and the result.
func setRules(t *testing.T, e *env, ctx context.Context, address string, r ledger.Rules) {
	t.Helper()
	var last ledger.Receipt
	rc, err := e.store.Contracts.SetReleaseFee(ctx, address, r.ReleaseFee)
	mustNil(t, err, "SetReleaseFee")
	if rc.Kind != ledger.TxRulesSet || rc.Contract != address {
		t.Errorf("SetReleaseFee receipt = %+v", rc)
	}
	_, err = e.store.Contracts.SetNoReleaseBlocks(ctx, address, r.NoReleaseBlocks)
	mustNil(t, err, "SetNoReleaseBlocks")
	last, err = e.store.Contracts.SetIdentityPolicy(ctx, address, r.RequireIdentityVerification)
	mustNil(t, err, "SetIdentityPolicy")
	if got := mustContract(t, e, address).Rules; got != r {
		t.Errorf("rules = %+v, want %+v", got, r)
	}
	var eff ledger.Rules
	mustNil(t, json.Unmarshal(last.Effect, &eff), "decoding the rules effect")
	if eff != r {
		t.Errorf("rules_set effect = %+v, want %+v", eff, r)
	}
	stored, err := e.store.Journal.Receipt(context.Background(), last.TransactionHash)
	mustNil(t, err, "Receipt")
	if stored.TransactionHash != last.TransactionHash || string(stored.Effect) != string(last.Effect) || stored.Kind != last.Kind {
		t.Errorf("stored receipt %+v differs from %+v", stored, last)
	}
}

func mustContract(tb testing.TB, e *env, address string) ledger.Contract {
	tb.Helper()
	c, err := e.store.Contracts.Contract(context.Background(), address)
	if err != nil {
		tb.Fatalf("Contract(%s): %v", address, err)
	}
	return c
}

// checkPrices checks the ticket list: every seat available at the prices, in seat order.
func checkPrices(tb testing.TB, e *env, address string, want ...int64) {
	tb.Helper()
	tickets, err := e.store.Contracts.Tickets(context.Background(), address)
	if err != nil {
		tb.Fatalf("Tickets: %v", err)
	}
	if len(tickets) != len(want) {
		tb.Fatalf("%d tickets, want %d", len(tickets), len(want))
	}
	for i, tk := range tickets {
		if tk.Price != want[i] || tk.Address != ledger.ZeroAddress {
			tb.Errorf("ticket %s = price %d owner %s, want %d available", tk.Seat, tk.Price, tk.Address, want[i])
		}
	}
}

func countRows(tb testing.TB, e *env, table string, where ...string) int64 {
	tb.Helper()
	q := "SELECT COUNT(*) FROM " + table
	if len(where) > 0 {
		q += " WHERE " + where[0]
	}
	var n int64
	if err := e.rawDB(tb).QueryRow(q).Scan(&n); err != nil {
		tb.Fatalf("%s: %v", q, err)
	}
	return n
}
