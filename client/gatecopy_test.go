package client_test

import (
	"context"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/scanner/offline"
)

// TestGateCopyThroughTheClient: a scanner's client downloads the sale's copy, an
// offline copy made from it admits the ticket sold, and the increment asked with its
// cursor brings the next sale; a box-office key is refused.
func TestGateCopyThroughTheClient(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	all := seats(t, "1A", "1B")
	c, _, err := e.alice.CreateContract(ctx, "Hall", all)
	ok(t, err, "CreateContract")
	_, err = e.alice.BeginSale(ctx, c.Address, []ledger.SeatPrice{{Seat: all[0], Price: 1}, {Seat: all[1], Price: 1}}, e.details(t, 50))
	ok(t, err, "BeginSale")
	p, err := e.shop.Reserve(ctx, c.Address, issuer.Request{Seats: all[:1], Sender: "ann"})
	ok(t, err, "Reserve")
	whole, err := e.gate.GateCopy(ctx, c.Address, "")
	ok(t, err, "GateCopy")
	dev, err := offline.New(whole)
	ok(t, err, "offline.New")
	if res, _ := dev.Admit(p.QR[0], "north", ""); len(res) != 1 || res[0].Status != ledger.StatusAdmitted {
		t.Fatalf("offline admission: %+v", res)
	}
	_, err = e.shop.Reserve(ctx, c.Address, issuer.Request{Seats: all[1:], Sender: "bob"})
	ok(t, err, "Reserve 1B")
	inc, err := e.gate.GateCopy(ctx, c.Address, dev.Cursor())
	ok(t, err, "GateCopy since")
	if inc.Full || len(inc.Tickets) != 1 || !inc.Tickets[0].Sold {
		t.Fatalf("increment %+v, want 1B sold", inc)
	}
	ok(t, dev.Apply(inc), "Apply")
	if _, err := e.shop.GateCopy(ctx, c.Address, ""); ledger.ErrorCode(err) != ledger.EFORBIDDEN && ledger.ErrorCode(err) != ledger.EUNAUTHORIZED {
		t.Errorf("a box-office key: %v, want refused", err)
	}
}
