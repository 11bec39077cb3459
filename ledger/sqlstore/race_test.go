package sqlstore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/internal/pgtest"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
)

// raceInterval is a block time short enough that blocks are sealed while buyers race.
const raceInterval = 5 * time.Millisecond

// purchase is what a buyer was told: a committed reservation or release.
type purchase struct {
	hash    string
	seats   []ledger.Seat
	sender  string
	release bool
	amount  int64 // paid for a reservation, refunded for a release
}

// TestRaceForSeats has 24 buyers race through two stores on one database (two servers)
// for 12 seats, on a real clock with 5 ms blocks, reserving one or two seats at a time
// and releasing some. Afterwards: every purchase a buyer was told of is in the journal;
// replaying the journal seat by seat, no seat is ever sold while sold; the tickets table
// is the replay's result; the money adds up; and Verify passes over the many blocks
// sealed meanwhile.
func TestRaceForSeats(t *testing.T) {
	db, seats, address := raceLedger(t)
	stores := []*sqlstore.Store{mustOpen(t, db, sqlstore.Options{}), mustOpen(t, db, sqlstore.Options{})}
	box := boxOffice(t, stores[0])
	var mu sync.Mutex
	var told []purchase
	var wg sync.WaitGroup
	for b := range 24 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mine := raceBuyer(t, stores[b%2], box, address, seats, fmt.Sprintf("buyer-%d", b), rand.New(rand.NewPCG(uint64(b), 3)))
			mu.Lock()
			told = append(told, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	if n := sqlstore.Pipelined(stores[0]) + sqlstore.Pipelined(stores[1]); pgtest.OnPostgres() && n == 0 {
		t.Error("no reservation went through PostgreSQL's pipelined group commit")
	} else {
		t.Logf("%d reservations pipelined", n)
	}
	// Refusals were many; on SQLite the batch with the first ran again with savepoints.
	if n := sqlstore.BatchReruns(stores[0]) + sqlstore.BatchReruns(stores[1]); !pgtest.OnPostgres() && n == 0 {
		t.Error("no SQLite group commit ran again with savepoints after a refusal")
	} else {
		t.Logf("%d group commits ran again with savepoints", n)
	}
	checkRace(t, stores[1], db, address, seats, told)
}

// raceLedger makes a ledger with a 12-seat contract whose sale runs for a minute, with a
// release fee, and returns its database, seats and address.
func raceLedger(t *testing.T) (string, []ledger.Seat, string) {
	db := pgtest.LedgerDB(t)
	s := mustOpen(t, db, sqlstore.Options{BlockInterval: raceInterval})
	admin := ledger.WithActor(context.Background(), ledger.Actor{Admin: true})
	seats := parseSeats(t, "1A", "1B", "1C", "1D", "2A", "2B", "2C", "2D", "3A", "3B", "3C", "3D")
	c, _, err := s.Contracts.CreateContract(admin, "Race Hall", seats)
	mustNil(t, err, "CreateContract")
	_, err = s.Contracts.SetReleaseFee(admin, c.Address, 3)
	mustNil(t, err, "SetReleaseFee")
	info, _ := s.Journal.Info(admin)
	prices := make([]ledger.SeatPrice, len(seats))
	for i, seat := range seats {
		prices[i] = ledger.SeatPrice{Seat: seat, Price: int64(10 + i)}
	}
	d := ledger.SaleDetails{Name: "Race", Organiser: "Org", Time: time.Now().Add(time.Hour).Unix(),
		EndOfSale: info.Height + int64(time.Minute/raceInterval)}
	_, err = s.Contracts.BeginSale(admin, c.Address, prices, d)
	mustNil(t, err, "BeginSale")
	return db, seats, c.Address
}

func boxOffice(t *testing.T, s *sqlstore.Store) context.Context {
	key, _, err := s.Keys.CreateKey(context.Background(), ledger.RoleBoxOffice, "race shop")
	mustNil(t, err, "CreateKey")
	a, err := s.Keys.Authenticate(context.Background(), key)
	mustNil(t, err, "Authenticate")
	return ledger.WithActor(context.Background(), a)
}

// raceBuyer makes 40 attempts: mostly buying one or two random seats, sometimes
// releasing a seat it holds. Refusals for a seat taken are expected; anything else fails.
func raceBuyer(t *testing.T, s *sqlstore.Store, ctx context.Context, address string, seats []ledger.Seat, sender string, rng *rand.Rand) []purchase {
	var out []purchase
	var held []ledger.Seat
	for range 40 {
		if len(held) > 0 && rng.IntN(3) == 0 {
			k := rng.IntN(len(held))
			rc, err := s.Selling.Release(ctx, address, ledger.ReleaseRequest{Seat: held[k], Sender: sender})
			if err != nil {
				t.Errorf("%s releasing %s it holds: %v", sender, held[k], err)
				return out
			}
			out = append(out, purchase{hash: rc.TransactionHash, seats: []ledger.Seat{held[k]}, sender: sender, release: true, amount: rc.Refund})
			held = append(held[:k], held[k+1:]...)
			continue
		}
		order := ledger.Order{Sender: sender}
		for _, i := range rng.Perm(len(seats))[:1+rng.IntN(2)] {
			order.Tickets = append(order.Tickets, ledger.SealedTicket{Seat: seats[i], SecretCiphertext: []byte{1, 2}, SecretDigest: []byte{byte(i), 4}})
		}
		rc, err := s.Selling.Reserve(ctx, address, order)
		if ledger.ErrorCode(err) == ledger.EREFUSED {
			continue // taken by someone else
		}
		if err != nil {
			t.Errorf("%s reserving: %v", sender, err)
			return out
		}
		p := purchase{hash: rc.TransactionHash, sender: sender, amount: rc.Total}
		for _, tk := range order.Tickets {
			p.seats = append(p.seats, tk.Seat)
			held = append(held, tk.Seat)
		}
		out = append(out, p)
	}
	return out
}

// checkRace checks the ledger against what the buyers were told.
func checkRace(t *testing.T, s *sqlstore.Store, db, address string, seats []ledger.Seat, told []purchase) {
	t.Helper()
	if len(told) < 50 {
		t.Fatalf("only %d purchases and releases: the race did too little to tell anything", len(told))
	}
	journal := replaySeats(t, db, address)
	byHash := map[string]bool{}
	var paid int64
	releases := int64(0)
	for _, p := range told {
		if !journal.hashes[p.hash] {
			t.Errorf("%s was told of transaction %s, which is not in the journal", p.sender, p.hash)
		}
		byHash[p.hash] = true
		if p.release {
			paid -= p.amount
			releases++
		} else {
			paid += p.amount
		}
	}
	if len(byHash) != len(journal.hashes) {
		t.Errorf("journal holds %d reservations and releases, buyers were told of %d", len(journal.hashes), len(byHash))
	}
	tickets, err := s.Contracts.Tickets(context.Background(), address)
	mustNil(t, err, "Tickets")
	var held int64
	for _, tk := range tickets {
		want, sold := journal.owner[tk.Seat.Key()]
		if !sold {
			want = ledger.ZeroAddress
		}
		if tk.Address != want {
			t.Errorf("seat %s: tickets table says %s, the journal replayed says %s", tk.Seat, tk.Address, want)
		}
		if tk.Address != ledger.ZeroAddress {
			held += tk.Price
		}
	}
	if balance := held + 3*releases; paid != balance {
		t.Errorf("buyers paid %d net of refunds; the ledger holds %d in tickets and %d in fees", paid, held, 3*releases)
	}
	rep, err := s.Journal.Verify(ledger.WithActor(context.Background(), ledger.Actor{Admin: true}))
	mustNil(t, err, "Verify")
	if !rep.OK || rep.Blocks < 3 {
		t.Errorf("Verify after the race = %+v, want OK over several sealed blocks", rep)
	}
	t.Logf("%d purchases and releases over %d blocks", len(told), rep.Blocks)
}

// seatJournal is the journal of a contract replayed seat by seat.
type seatJournal struct {
	hashes map[string]bool
	owner  map[string]string
}

// replaySeats reads the contract's reservations and releases in seq order and fails the
// test on a seat sold while sold or released while free. Per seat this order is the
// commit order: both write the seat's row, and the row's lock is held until commit.
func replaySeats(t *testing.T, db, address string) seatJournal {
	t.Helper()
	e := &env{db: db}
	rows, err := e.rawDB(t).Query(`SELECT hash, kind, body FROM journal WHERE contract = ? AND kind IN (?, ?) ORDER BY seq`,
		address, ledger.TxTicketsReserved, ledger.TxTicketReleased)
	mustNil(t, err, "reading the journal")
	defer rows.Close()
	j := seatJournal{hashes: map[string]bool{}, owner: map[string]string{}}
	for rows.Next() {
		var hash, kind, body string
		mustNil(t, rows.Scan(&hash, &kind, &body), "scanning the journal")
		j.hashes[hash] = true
		var b ledger.TxBody
		mustNil(t, json.Unmarshal([]byte(body), &b), "decoding a body")
		if kind == ledger.TxTicketReleased {
			var e ledger.TicketReleasedEffect
			mustNil(t, json.Unmarshal(b.Effect, &e), "decoding a release")
			if j.owner[e.Seat.Key()] != e.Holder {
				t.Errorf("transaction %s releases %s from %s, who did not hold it", hash, e.Seat, e.Holder)
			}
			delete(j.owner, e.Seat.Key())
			continue
		}
		var e ledger.TicketsReservedEffect
		mustNil(t, json.Unmarshal(b.Effect, &e), "decoding a reservation")
		for _, tk := range e.Tickets {
			if prev, sold := j.owner[tk.Seat.Key()]; sold {
				t.Errorf("transaction %s sells %s to %s while %s holds it", hash, tk.Seat, e.Holder, prev)
			}
			if e.Sender != "" || e.Holder == "" {
				t.Errorf("transaction %s journals sender %q and holder %q: want the holder's address alone", hash, e.Sender, e.Holder)
			}
			j.owner[tk.Seat.Key()] = e.Holder
		}
	}
	mustNil(t, rows.Err(), "reading the journal")
	return j
}
