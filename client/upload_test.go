package client_test

import (
	"context"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/scanner"
)

// TestCheckInUploadOverHTTP: the client uploads a device's offline admissions and reads
// each answer: admitted as of the device's time, then a double entry for the same ticket
// from another gate; CheckIns counts it.
func TestCheckInUploadOverHTTP(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	all := seats(t, "1A")
	c, _, err := e.alice.CreateContract(ctx, "Hall", all)
	ok(t, err, "CreateContract")
	_, err = e.alice.BeginSale(ctx, c.Address, []ledger.SeatPrice{{Seat: all[0], Price: 5}}, e.details(t, 5))
	ok(t, err, "BeginSale")
	p, err := e.shop.Reserve(ctx, c.Address, issuer.Request{Seats: all, Sender: "ann"})
	ok(t, err, "Reserve")
	at := e.clock.Now().Add(-time.Minute).UTC()
	res, err := e.gate.CheckInUpload(ctx, c.Address, "phone 1", []scanner.Upload{
		{QR: p.QR[0], Gate: "north", Nonce: "a", At: at},
		{QR: p.QR[0], Gate: "south", Nonce: "b", At: at.Add(time.Second)},
	})
	ok(t, err, "CheckInUpload")
	if len(res) != 2 || res[0].Results[0].Status != ledger.StatusAdmitted || !res[0].Results[0].CheckedInAt.Equal(at) ||
		res[1].Nonce != "b" || res[1].Results[0].Status != ledger.StatusDoubleEntry || res[1].Results[0].Gate != "north" {
		t.Fatalf("CheckInUpload = %+v, want admitted at north, then a double entry", res)
	}
	rep, err := e.alice.CheckIns(ctx, c.Address)
	ok(t, err, "CheckIns")
	if rep.DoubleEntries != 1 || rep.Doubles[0].Gate != "south" {
		t.Errorf("CheckIns = %+v, want the double entry at south", rep)
	}
}
