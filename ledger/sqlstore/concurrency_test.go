package sqlstore_test

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
)

// raceCounts are the calls that succeeded while many goroutines raced on one contract.
type raceCounts struct {
	begun, ended, rules, reserved atomic.Int64
}

// TestConcurrentManagement races rule changes, sale begins and ends, reservations and
// clock moves from 32 goroutines on one contract, through two stores on one database (as
// two servers would), then checks the contract, the sales and the journal agree with each
// other: in particular, every reservation fell inside an open sale, whichever way it was
// committed (on PostgreSQL mostly in pipelined groups).
func TestConcurrentManagement(t *testing.T) {
	e := openEnv(t)
	second := mustOpen(t, e.db, sqlstore.Options{Now: e.clock.Now})
	stores := []*sqlstore.Store{e.store, second}
	org := e.actor(t, ledger.RoleOrganizer, "promoter")
	seats := parseSeats(t, "1A", "1B", "2A", "2B")
	c := e.create(t, org, "1A", "1B", "2A", "2B")

	var counts raceCounts
	var wg sync.WaitGroup
	stop := make(chan struct{})
	readerDone := make(chan struct{})
	go func() {
		defer close(readerDone)
		readWhileRacing(t, e.store, c.Address, len(seats), stop)
	}()
	for g := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(g), 7))
			s := stores[g%2]
			for range 25 {
				raceOnce(t, e, s, org, c.Address, seats, rng, &counts)
			}
		}()
	}
	wg.Wait()
	close(stop)
	<-readerDone
	if counts.begun.Load() == 0 || counts.rules.Load() == 0 || counts.reserved.Load() == 0 {
		t.Fatalf("the race did too little to tell anything: %d sales begun, %d rule changes, %d reservations",
			counts.begun.Load(), counts.rules.Load(), counts.reserved.Load())
	}
	t.Logf("%d sales begun, %d ended, %d rule changes, %d reservations", counts.begun.Load(), counts.ended.Load(),
		counts.rules.Load(), counts.reserved.Load())
	checkAfterRace(t, e, c.Address, len(seats), &counts)
}

// raceOnce makes one random call and counts it when it succeeds. Refusals the race can
// cause are fine: a sale open or not ended (ECONFLICT), an end height that passed while
// the call waited (EINVALID). Anything else fails the test.
func raceOnce(t *testing.T, e *env, s *sqlstore.Store, ctx context.Context, address string, seats []ledger.Seat, rng *rand.Rand, counts *raceCounts) {
	var err error
	var kind string
	switch rng.IntN(8) {
	case 0:
		kind = "SetReleaseFee"
		_, err = s.Contracts.SetReleaseFee(ctx, address, rng.Int64N(1000))
	case 1:
		kind = "SetNoReleaseBlocks"
		_, err = s.Contracts.SetNoReleaseBlocks(ctx, address, rng.Int64N(50))
	case 2:
		kind = "SetIdentityPolicy"
		_, err = s.Contracts.SetIdentityPolicy(ctx, address, rng.IntN(2) == 1)
	case 3:
		kind = "BeginSale"
		info, _ := s.Journal.Info(ctx)
		d := ledger.SaleDetails{Name: "Show", Organiser: "Org", Time: e.clock.Now().Add(48 * time.Hour).Unix(), EndOfSale: info.Height + 1 + rng.Int64N(3)}
		_, err = s.Contracts.BeginSale(ctx, address, flatPrices(seats, rng.Int64N(100)), d)
	case 4:
		kind = "EndSale"
		_, err = s.Contracts.EndSale(ctx, address)
	case 5, 6:
		kind = "Reserve"
		o := ledger.Order{Sender: "racer"}
		for _, i := range rng.Perm(len(seats))[:1+rng.IntN(2)] {
			o.Tickets = append(o.Tickets, ledger.SealedTicket{Seat: seats[i], SecretCiphertext: []byte{1}, SecretDigest: []byte{byte(i)}})
		}
		_, err = s.Selling.Reserve(ctx, address, o) // no names: refused while the identity policy holds
	default:
		e.clock.Advance(time.Duration(rng.Int64N(int64(testInterval))))
		return
	}
	code := ledger.ErrorCode(err)
	switch {
	case err == nil && kind == "BeginSale":
		counts.begun.Add(1)
	case err == nil && kind == "EndSale":
		counts.ended.Add(1)
	case err == nil && kind == "Reserve":
		counts.reserved.Add(1)
	case err == nil:
		counts.rules.Add(1)
	case code == ledger.ECONFLICT, code == ledger.EREFUSED && (kind == "BeginSale" || kind == "Reserve"):
	default:
		t.Errorf("%s during the race: %v (code %s)", kind, err, code)
	}
}

// readWhileRacing reads the contract and its tickets until stop is closed: reads never
// fail and always list every seat.
func readWhileRacing(t *testing.T, s *sqlstore.Store, address string, seats int, stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		default:
		}
		if _, err := s.Contracts.Contract(context.Background(), address); err != nil {
			t.Errorf("Contract during the race: %v", err)
			return
		}
		tickets, err := s.Contracts.Tickets(context.Background(), address)
		if err != nil || len(tickets) != seats {
			t.Errorf("Tickets during the race: %d tickets, %v", len(tickets), err)
			return
		}
	}
}

// checkAfterRace replays the journal: sales alternate begun/ended, rules change only
// while no sale is active, and the state tables equal what the journal says.
func checkAfterRace(t *testing.T, e *env, address string, seats int, counts *raceCounts) {
	t.Helper()
	c := mustContract(t, e, address)
	begun, ended := counts.begun.Load(), counts.ended.Load()
	if c.Sale == nil || c.Sale.Number != begun {
		t.Fatalf("contract's latest sale = %+v, want number %d", c.Sale, begun)
	}
	if want := begun - ended; want != 0 && want != 1 || c.Sale.Active != (want == 1) {
		t.Errorf("%d sales begun and %d ended, latest sale active = %v", begun, ended, c.Sale.Active)
	}
	rows, err := e.rawDB(t).Query(`SELECT kind, height, body FROM journal WHERE contract = ? ORDER BY seq`, address)
	mustNil(t, err, "reading the journal")
	defer rows.Close()
	active, lastHeight := false, int64(-1)
	var sales, ends, rules, reserved, begunAt int64
	var lastRules ledger.Rules
	var sale ledger.SaleBegunEffect
	for rows.Next() {
		var kind, body string
		var height int64
		mustNil(t, rows.Scan(&kind, &height, &body), "scanning the journal")
		// Management writes hold the contract exclusively, so their heights follow the
		// journal's order; reservations run side by side and may interleave.
		if kind != ledger.TxTicketsReserved {
			if height < lastHeight {
				t.Errorf("journal height went back from %d to %d", lastHeight, height)
			}
			lastHeight = height
		}
		var b ledger.TxBody
		mustNil(t, json.Unmarshal([]byte(body), &b), "decoding a body")
		switch kind {
		case ledger.TxSaleBegun:
			if active {
				t.Errorf("a sale began at height %d while another was active", height)
			}
			mustNil(t, json.Unmarshal(b.Effect, &sale), "decoding a sale")
			active, begunAt = true, height
			sales++
		case ledger.TxTicketsReserved:
			var r ledger.TicketsReservedEffect
			mustNil(t, json.Unmarshal(b.Effect, &r), "decoding a reservation")
			if !active || r.Sale != sale.Sale || height < begunAt || height >= sale.Details.EndOfSale || lastRules.RequireIdentityVerification {
				t.Errorf("reservation in sale %d at height %d; sale %d active %v from %d until %d, identity required %v",
					r.Sale, height, sale.Sale, active, begunAt, sale.Details.EndOfSale, lastRules.RequireIdentityVerification)
			}
			reserved++
		case ledger.TxSaleEnded:
			if !active {
				t.Errorf("a sale ended at height %d while none was active", height)
			}
			active = false
			ends++
		case ledger.TxRulesSet:
			if active {
				t.Errorf("rules changed at height %d while a sale was active", height)
			}
			mustNil(t, json.Unmarshal(b.Effect, &lastRules), "decoding rules")
			rules++
		}
	}
	mustNil(t, rows.Err(), "reading the journal")
	if sales != begun || ends != ended || rules != counts.rules.Load() || reserved != counts.reserved.Load() {
		t.Errorf("journal has %d begun, %d ended, %d rule changes, %d reservations; callers saw %d, %d, %d, %d",
			sales, ends, rules, reserved, begun, ended, counts.rules.Load(), counts.reserved.Load())
	}
	if c.Rules != lastRules {
		t.Errorf("contract rules %+v, last rules_set in the journal %+v", c.Rules, lastRules)
	}
	checkSalesTable(t, e, address, begun, int64(seats))
	if rep := mustVerify(t, e); !rep.OK {
		t.Errorf("Verify after the race = %+v", rep)
	}
}

// checkSalesTable checks every sale is numbered once, ended ones at or after their end,
// and each has one ticket per seat.
func checkSalesTable(t *testing.T, e *env, address string, begun, seats int64) {
	t.Helper()
	var n, distinct, open, early int64
	err := e.rawDB(t).QueryRow(`SELECT COUNT(*), COUNT(DISTINCT number), COALESCE(SUM(CASE WHEN ended_height = 0 THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN ended_height <> 0 AND ended_height < end_height THEN 1 ELSE 0 END), 0) FROM sales WHERE contract = ?`, address).
		Scan(&n, &distinct, &open, &early)
	mustNil(t, err, "reading sales")
	if n != begun || distinct != begun || open > 1 || early != 0 {
		t.Errorf("sales table: %d rows, %d numbers, %d open, %d ended early; want %d sales, at most one open", n, distinct, open, early, begun)
	}
	if tickets := countRows(t, e, "tickets", "contract = '"+address+"'"); tickets != begun*seats {
		t.Errorf("%d tickets for %d sales of %d seats", tickets, begun, seats)
	}
}
