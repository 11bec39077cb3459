package sqlstore

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// TestBatchRunsAgainWithSavepoints: a group commit whose second write fails after taking
// one of its two seats is rolled back and run again with savepoints, so the failed write
// leaves nothing behind and the writes around it commit, once each.
func TestBatchRunsAgainWithSavepoints(t *testing.T) {
	ctx := ledger.WithActor(context.Background(), ledger.Actor{Admin: true})
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "ledger.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	seats := []ledger.Seat{{Number: 1, Letter: "A"}, {Number: 2, Letter: "A"}, {Number: 3, Letter: "A"}}
	c, _, err := s.Contracts.CreateContract(ctx, "Hall", seats)
	if err != nil {
		t.Fatal(err)
	}
	prices := []ledger.SeatPrice{{Seat: seats[0], Price: 1}, {Seat: seats[1], Price: 2}, {Seat: seats[2], Price: 3}}
	info, _ := s.Journal.Info(ctx)
	d := ledger.SaleDetails{Name: "Show", Organiser: "Org", Time: time.Now().Add(time.Hour).Unix(), EndOfSale: info.Height + 100}
	if _, err := s.Contracts.BeginSale(ctx, c.Address, prices, d); err != nil {
		t.Fatal(err)
	}
	runs := map[string]int{}
	reserve := func(sender string, seats ...ledger.Seat) *queuedOp {
		o := ledger.Order{Sender: sender}
		for _, seat := range seats {
			o.Tickets = append(o.Tickets, ledger.SealedTicket{Seat: seat, SecretCiphertext: []byte{1}, SecretDigest: []byte(sender)})
		}
		fn := func(w *wtx) error {
			runs[sender]++
			c, err := w.sellingContract(c.Address)
			if err != nil {
				return err
			}
			eff, err := reserveAll(w, c, o, s.Selling.holderAddress(c.Address, w.actor.ID(), sender))
			if err != nil {
				return err
			}
			_, err = w.journal(ledger.TxTicketsReserved, c.Address, eff)
			return err
		}
		return &queuedOp{writeOp: &writeOp{ctx: ctx, actor: ledger.Actor{Admin: true}, contract: c.Address, lock: lockShared, fn: fn}}
	}
	batch := []*queuedOp{reserve("ann", seats[2]), reserve("bob", seats[1], seats[2]), reserve("cid", seats[0])}
	if err := s.db.batch.commit(batch); err != nil {
		t.Fatalf("commit: %v", err)
	}
	if batch[0].err != nil || ledger.ErrorCode(batch[1].err) != ledger.EREFUSED || batch[2].err != nil {
		t.Errorf("outcomes %v, %v, %v: want ann and cid sold, bob refused", batch[0].err, batch[1].err, batch[2].err)
	}
	// The first run stops at bob's failure; the second runs all three.
	if n := s.db.batch.reruns.Load(); n != 1 || runs["ann"] != 2 || runs["bob"] != 2 || runs["cid"] != 1 {
		t.Errorf("%d reruns, writes run %v: want ann and bob twice, cid once", n, runs)
	}
	list, err := s.Contracts.Tickets(ctx, c.Address)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"cid", "", "ann"} {
		if list[i].Sender != want {
			t.Errorf("seat %s held by %q, want %q", list[i].Seat, list[i].Sender, want)
		}
	}
	rep, err := s.Journal.Verify(ctx)
	if err != nil || !rep.OK || rep.Transactions != 4 {
		t.Errorf("Verify = %+v, %v: want OK with 4 transactions", rep, err)
	}
}
