package client_test

import (
	"context"
	"errors"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// TestIdentityRefusalOverHTTP: a refusal of the identity policy comes back through the
// client marked with ledger.ErrIdentityPolicy, as the store made it, both for an order
// sealed here (Sell) and for one sealed by the server (Reserve); a seat taken does not.
func TestIdentityRefusalOverHTTP(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	all := seats(t, "1A", "1B")
	c, _, err := e.alice.CreateContract(ctx, "Hall", all)
	ok(t, err, "CreateContract")
	_, err = e.alice.SetIdentityPolicy(ctx, c.Address, true)
	ok(t, err, "SetIdentityPolicy")
	_, err = e.alice.BeginSale(ctx, c.Address, []ledger.SeatPrice{{Seat: all[0], Price: 5}, {Seat: all[1], Price: 5}}, e.details(t, 5))
	ok(t, err, "BeginSale")

	unnamed, err := issuer.Prepare(c.Address, issuer.Request{Seats: all[:1], Sender: "ann"}, false)
	ok(t, err, "Prepare")
	_, err = e.shop.Sell(ctx, c.Address, unnamed)
	wantCode(t, err, ledger.EREFUSED)
	if !errors.Is(err, ledger.ErrIdentityPolicy) || ledger.ErrorMessage(err) != "Customer name is required" {
		t.Errorf("Sell without a name under the identity policy: %v, want the identity refusal", err)
	}
	_, err = e.shop.Reserve(ctx, c.Address, issuer.Request{Seats: all[:1], Sender: "ann", CustomerName: " "})
	wantCode(t, err, ledger.EREFUSED)
	if !errors.Is(err, ledger.ErrIdentityPolicy) {
		t.Errorf("Reserve with a blank name under the identity policy: %v, want the identity refusal", err)
	}

	_, err = e.shop.Reserve(ctx, c.Address, issuer.Request{Seats: all[:1], Sender: "ann", CustomerName: "Ann Lee"})
	ok(t, err, "Reserve with a name")
	_, err = e.shop.Reserve(ctx, c.Address, issuer.Request{Seats: all[:1], Sender: "bob", CustomerName: "Bob Lee"})
	wantCode(t, err, ledger.EREFUSED)
	if errors.Is(err, ledger.ErrIdentityPolicy) {
		t.Errorf("a seat taken came back marked as an identity refusal: %v", err)
	}
}
