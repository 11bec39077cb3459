package client_test

import (
	"context"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// TestReserveForLayout buys four named seats through the client for each layout, asking
// for four tickets a code: the server groups them so that every code prints with modules
// of at least issuer.MinModuleMM on that page, one code on A4 and two on A6.
func TestReserveForLayout(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	all := seats(t, "1A", "2A", "3A", "4A", "5A", "6A", "7A", "8A")
	c, _, err := e.alice.CreateContract(ctx, "Globe", all)
	ok(t, err, "CreateContract")
	_, err = e.alice.SetIdentityPolicy(ctx, c.Address, true)
	ok(t, err, "SetIdentityPolicy")
	var prices []ledger.SeatPrice
	for _, s := range all {
		prices = append(prices, ledger.SeatPrice{Seat: s, Price: 100})
	}
	_, err = e.alice.BeginSale(ctx, c.Address, prices, e.details(t, 100))
	ok(t, err, "BeginSale")
	for i, tc := range []struct {
		layout          issuer.Layout
		wantPer, wantQR int
	}{{issuer.LayoutA4, 4, 1}, {issuer.LayoutA6, 2, 2}} {
		p, err := e.shop.Reserve(ctx, c.Address, issuer.Request{Seats: all[4*i : 4*i+4], Sender: "ann",
			CustomerName: "Ann Lee", TicketsPerQR: 4, Layout: tc.layout})
		ok(t, err, "Reserve")
		if p.TicketsPerQR != tc.wantPer || len(p.QR) != tc.wantQR {
			t.Errorf("%s: %d codes of %d tickets, want %d of %d", tc.layout, len(p.QR), p.TicketsPerQR, tc.wantQR, tc.wantPer)
		}
		for k, text := range p.QR {
			if mm, err := issuer.ModuleMM(tc.layout, text); err != nil || mm < issuer.MinModuleMM {
				t.Errorf("%s: code %d prints with %.3f mm modules (%v)", tc.layout, k+1, mm, err)
			}
		}
	}
}
