package client_test

import (
	"context"
	"net/http/httptest"
	"path/filepath"
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

// TestQueueUploadOverHTTP: two devices' queues, kept in files, wait while their server
// is away (a stopped loopback server) and empty themselves through the client once it
// answers: the first admission admitted, the second device's of the same ticket a
// double entry, and CheckIns flags it.
func TestQueueUploadOverHTTP(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	all := seats(t, "1A")
	c, _, err := e.alice.CreateContract(ctx, "Hall", all)
	ok(t, err, "CreateContract")
	_, err = e.alice.BeginSale(ctx, c.Address, []ledger.SeatPrice{{Seat: all[0], Price: 5}}, e.details(t, 5))
	ok(t, err, "BeginSale")
	p, err := e.shop.Reserve(ctx, c.Address, issuer.Request{Seats: all, Sender: "ann"})
	ok(t, err, "Reserve")
	dir, at := t.TempDir(), e.clock.Now().Add(-time.Minute).UTC()
	north, err := scanner.OpenQueue(filepath.Join(dir, "north.json"))
	ok(t, err, "OpenQueue north")
	south, err := scanner.OpenQueue(filepath.Join(dir, "south.json"))
	ok(t, err, "OpenQueue south")
	ok(t, north.Add(scanner.Upload{QR: p.QR[0], Gate: "north", Nonce: "n1", At: at}), "Add north")
	ok(t, south.Add(scanner.Upload{QR: p.QR[0], Gate: "south", Nonce: "s1", At: at.Add(time.Second)}), "Add south")
	stopped := httptest.NewServer(nil)
	stopped.Close()
	if _, err := north.Upload(ctx, mustClient(t, stopped.URL, "k"), c.Address, "north phone"); err == nil || north.Len() != 1 {
		t.Fatalf("Upload to a stopped server: %v, %d queued; want an error and the admission kept", err, north.Len())
	}
	res, err := north.Upload(ctx, e.gate, c.Address, "north phone")
	ok(t, err, "Upload north")
	if len(res) != 1 || res[0].Results[0].Status != ledger.StatusAdmitted || north.Len() != 0 {
		t.Errorf("north's upload: %+v, %d left; want admitted and none left", res, north.Len())
	}
	res, err = south.Upload(ctx, e.gate, c.Address, "south phone")
	ok(t, err, "Upload south")
	if len(res) != 1 || res[0].Results[0].Status != ledger.StatusDoubleEntry || south.Len() != 0 {
		t.Errorf("south's upload: %+v, %d left; want a double entry and none left", res, south.Len())
	}
	rep, err := e.alice.CheckIns(ctx, c.Address)
	ok(t, err, "CheckIns")
	if rep.Admitted != 1 || rep.DoubleEntries != 1 || rep.Doubles[0].FirstGate != "north" || rep.Doubles[0].Device != "south phone" {
		t.Errorf("CheckIns = %+v, want one admission and south's double entry", rep)
	}
}
