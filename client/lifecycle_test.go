package client_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

func TestLifecycle(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	all := seats(t, "1A", "1B", "Stalls/2")
	c, rc, err := e.alice.CreateContract(ctx, "Ticketbooth Theatre", all)
	ok(t, err, "CreateContract")
	if ledger.ValidateAddress(c.Address) != nil || c.Venue != "Ticketbooth Theatre" || c.SeatCount != 3 || c.Sale != nil || c.Owner == "" {
		t.Errorf("CreateContract = %+v", c)
	}
	if rc.Kind != ledger.TxContractCreated || rc.Contract != c.Address || rc.Actor != c.Owner || len(rc.TransactionHash) != 64 {
		t.Errorf("receipt %+v", rc)
	}
	direct, err := e.store.Contracts.Contract(ctx, c.Address)
	ok(t, err, "store Contract")
	if direct.Owner != c.Owner || direct.Venue != c.Venue {
		t.Errorf("store says %+v, client said %+v", direct, c)
	}

	tickets, err := e.anon.Tickets(ctx, c.Address)
	ok(t, err, "Tickets")
	if len(tickets) != 3 || tickets[2].Seat != all[2] || tickets[0].Address != ledger.ZeroAddress {
		t.Errorf("tickets %+v", tickets)
	}

	_, err = e.alice.SetReleaseFee(ctx, c.Address, 20)
	ok(t, err, "SetReleaseFee")
	_, err = e.alice.SetNoReleaseBlocks(ctx, c.Address, 4)
	ok(t, err, "SetNoReleaseBlocks")
	rc, err = e.alice.SetIdentityPolicy(ctx, c.Address, true)
	ok(t, err, "SetIdentityPolicy")
	var rules ledger.Rules
	ok(t, json.Unmarshal(rc.Effect, &rules), "decoding the effect")
	want := ledger.Rules{ReleaseFee: 20, NoReleaseBlocks: 4, RequireIdentityVerification: true}
	if rc.Kind != ledger.TxRulesSet || rules != want {
		t.Errorf("SetIdentityPolicy receipt %+v effect %+v", rc, rules)
	}
	got, err := e.gate.Contract(ctx, c.Address)
	ok(t, err, "Contract")
	if got.Rules != want {
		t.Errorf("rules %+v, want %+v", got.Rules, want)
	}
	bare, err := e.anon.Rules(ctx, c.Address) // the three routes answer bare values
	ok(t, err, "Rules")
	if bare != want {
		t.Errorf("Rules = %+v, want %+v", bare, want)
	}

	d := e.details(t, 3)
	rc, err = e.alice.BeginSale(ctx, c.Address, []ledger.SeatPrice{{Seat: all[2], Price: 300}, {Seat: all[0], Price: 100}, {Seat: all[1], Price: 200}}, d)
	ok(t, err, "BeginSale")
	if rc.Kind != ledger.TxSaleBegun {
		t.Errorf("BeginSale receipt %+v", rc)
	}
	tickets, err = e.anon.Tickets(ctx, c.Address)
	ok(t, err, "Tickets")
	for i, p := range []int64{100, 200, 300} {
		if tickets[i].Price != p {
			t.Errorf("ticket %s price %d, want %d", tickets[i].Seat, tickets[i].Price, p)
		}
	}
	_, err = e.alice.SetReleaseFee(ctx, c.Address, 1)
	wantCode(t, err, ledger.ECONFLICT)
	_, err = e.alice.BeginSale(ctx, c.Address, []ledger.SeatPrice{{Seat: all[0], Price: 1}}, d)
	wantCode(t, err, ledger.ECONFLICT)
	e.clock.AdvanceBlocks(2)
	_, err = e.alice.EndSale(ctx, c.Address)
	wantCode(t, err, ledger.ECONFLICT)
	e.clock.AdvanceBlocks(1)
	rc, err = e.alice.EndSale(ctx, c.Address)
	ok(t, err, "EndSale")
	if rc.Kind != ledger.TxSaleEnded || rc.Height != d.EndOfSale {
		t.Errorf("EndSale receipt %+v, want sale_ended at %d", rc, d.EndOfSale)
	}
	got, err = e.anon.Contract(ctx, c.Address)
	ok(t, err, "Contract")
	if got.Sale == nil || got.Sale.Active || got.Sale.Number != 1 || got.Sale.Details.Name != d.Name {
		t.Errorf("sale after EndSale %+v", got.Sale)
	}

	info, err := e.anon.Info(ctx)
	ok(t, err, "Info")
	if info.Height != d.EndOfSale || info.ZeroAddress != ledger.ZeroAddress || info.BlockInterval != ledger.Duration(testInterval) {
		t.Errorf("Info %+v", info)
	}
	same, err := e.anon.Receipt(ctx, rc.TransactionHash)
	ok(t, err, "Receipt")
	if same.TransactionHash != rc.TransactionHash || same.Kind != rc.Kind || !same.Time.Equal(rc.Time) {
		t.Errorf("Receipt %+v, want %+v", same, rc)
	}
	e.clock.AdvanceBlocks(1)
	rep, err := e.alice.Verify(ctx)
	ok(t, err, "Verify")
	if !rep.OK || rep.Transactions != 6 || rep.Head == nil {
		t.Fatalf("Verify %+v", rep)
	}
	wrong := *rep.Head
	wrong.Hash = strings.Repeat("0", 64)
	rep, err = e.alice.Verify(ctx, *rep.Head, wrong)
	ok(t, err, "Verify with anchors")
	if rep.OK || len(rep.Problems) != 1 || !strings.Contains(rep.Problems[0], "rewritten") {
		t.Errorf("Verify with a true and a false anchor = %+v, want the false one reported", rep)
	}
}
