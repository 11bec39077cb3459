package sqlstore

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5/stdlib"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Reservations on PostgreSQL: pipelined group commit.
//
// A reservation done statement by statement (update) costs five round trips to the
// database: BEGIN with the locks, the contract, the seat's update, the journal, COMMIT.
// On a small machine most of the time then goes to the network calls and the commit
// around each statement rather than the statements themselves. So, as SQLite's writer
// does (batch.go), two workers each take the reservations waiting in the queue and
// commit them together, in two round trips (pgx batches on one connection of the pool):
//
//  1. BEGIN; the closing lock and the lock of every contract involved, shared (the
//     ordinary write takes the same for a reservation); each contract (contractQuery);
//     the closed mark; takeSQL for every seat of every order, sorted by contract and
//     seat so that two groups racing for the same seats wait for each other instead of
//     deadlocking (takeSeats).
//  2. A journal row for each order that succeeded; the seats of each order refused, to
//     word its refusal; COMMIT, or ROLLBACK when no order succeeded (commit).
//
// Between the two, the checks reserveAll and writeContract make run on what came back
// (judge): the key may sell on the contract, the sale is open at the height, every seat of the
// order was taken, the identity policy and the amount hold. Each order then goes one of
// four ways:
//
//   - it passed every check and took all its seats: it commits with the group;
//   - it took none of its seats where nothing else stood in its way (they were taken
//     already, or the hall lacks one): the group refuses it itself, worded as reserveAll
//     words it (a seat the hall lacks, else its first seat in seat order taken), once the
//     second round trip has looked its seats up; but when that lookup finds one of its
//     seats kept by a booking whose hold has passed, it leaves the group, and the
//     ordinary write expires that booking and sells the seat;
//   - it failed another check having taken no seat (a key that may not sell here, a sale
//     not open, an unknown contract, a height below the closed mark): it leaves the group;
//   - it holds seats it must not keep (only some of them, another order of the group or
//     of another server had the rest; or all of them with a check failed, such as too
//     little paid): the group rolls back and runs again, a few times at most, with only
//     the orders that passed.
//
// Every order that leaves the group, and every order of a group that fails as a whole,
// runs as the ordinary write (update), which gives the exact answer and its error in
// Ticketbooth's order. So the fast path answers two refusals itself, a seat taken and a
// seat the hall lacks, in the ordinary write's words; every other refusal comes from the
// ordinary write. Its one other answer is an error: when the connection fails after
// COMMIT was sent, whether the group committed is unknown, and its orders are answered
// with an internal error rather than run again (which could find their own seats taken).
//
// The height is chosen before the locks are held, unlike in update. That is sound:
// takeSQL refuses a height below the closed mark, and the mark cannot move while the
// closing lock is held shared (chain.go), so a group whose seats were taken also writes its
// journal rows at or above the mark. That is why those rows are plain inserts
// (pipelineJournalSQL), which fail loudly rather than inserting nothing. An order whose
// sale began above the group's height (the group waited for BeginSale's lock) leaves the
// group, so no ticket is sold at a height before its sale.
//
// SQLite needs none of this: it runs in-process and its own group commit shares one
// transaction among all kinds of writes.

// pipelineWorkers is how many groups a process runs at once. Two suffice: a group of up
// to maxPipelined orders takes two round trips and a few milliseconds of the database's
// time, so one worker carries far more than a process's HTTP side can answer, and the
// second goes on while the first waits (for instance on a contract a manager has locked).
// More workers only make smaller groups: on the 2-core bench, four per server were
// about a fifth slower than two.
const pipelineWorkers = 2

// maxPipelined bounds the reservations of one group; a group of four-seat orders then
// sends at most 2 + contracts + 256 statements in its first round trip.
const maxPipelined = 64

// pipelineJournalSQL appends a journal row unconditionally; see above for why that is
// safe in a pipelined group.
func pipelineJournalSQL(d *dialect) string {
	return d.bind(`INSERT INTO journal (seq, hash, height, contract, kind, body) VALUES (` + d.nextJournalSeq + `, ?, ?, ?, ?, ?)`)
}

// reservation is one Reserve waiting for a group.
type reservation struct {
	ctx     context.Context
	actor   ledger.Actor
	address string
	order   ledger.Order
	// The outcome: done when committed (out), or with err when the outcome is unknown
	// (the connection failed after COMMIT was sent); otherwise the ordinary write runs.
	out   ledger.OrderReceipt
	done  bool
	err   error
	ready chan struct{}
}

// pipeliner runs the groups: workers each take the first reservation waiting and those
// queued behind it.
type pipeliner struct {
	s     *Selling
	queue *queue[*reservation]
	wg    sync.WaitGroup
}

func startPipeliner(s *Selling, workers int) *pipeliner {
	p := &pipeliner{s: s, queue: newQueue[*reservation](4 * maxPipelined)}
	for range workers {
		p.wg.Add(1)
		go p.work()
	}
	return p
}

// reserve queues the order and waits for its group. done is false when the order is to
// run as the ordinary write.
func (p *pipeliner) reserve(ctx context.Context, actor ledger.Actor, address string, o ledger.Order) (ledger.OrderReceipt, bool, error) {
	r := &reservation{ctx: ctx, actor: actor, address: address, order: o, ready: make(chan struct{})}
	if !p.queue.send(r) {
		return r.out, false, nil
	}
	<-r.ready
	return r.out, r.done, r.err
}

// stop lets the queued reservations finish and ends the workers.
func (p *pipeliner) stop() {
	p.queue.close()
	p.wg.Wait()
}

func (p *pipeliner) work() {
	defer p.wg.Done()
	for r := range p.queue.ch {
		group := gather(p.queue.ch, r, maxPipelined, 2)
		p.commit(group)
		for _, r := range group {
			close(r.ready)
		}
	}
}

// commit commits what it can of the group. A panic is logged and leaves the rest of the
// group to the ordinary write, so one bad group cannot stop the process's workers.
func (p *pipeliner) commit(group []*reservation) {
	defer func() {
		if v := recover(); v != nil {
			p.s.log.Error("ledger store", "op", "pipelined reservations", "err", fmt.Errorf("panic: %v", v))
		}
	}()
	p.s.commitReservations(group)
}

// commitReservations commits what it can of the group; the rest run as ordinary writes.
// A group loses the orders that took only some of their seats, and runs again, a few
// times at most.
func (s *Selling) commitReservations(group []*reservation) {
	// A buyer who gave up while waiting is not sold anything: the ordinary write then
	// answers its cancelled context.
	var live []*reservation // a new slice: the worker still answers every one of group
	for _, r := range group {
		if r.ctx.Err() == nil {
			live = append(live, r)
		}
	}
	group = live
	for range 3 {
		if len(group) == 0 {
			return
		}
		again, err := s.commitGroup(group)
		if err != nil {
			s.log.Warn("ledger store: a group of reservations failed; they run as ordinary writes", "err", err)
			return
		}
		group = again
	}
}

// commitGroup runs one group on a connection of the pool. It returns the orders to run
// again as a group after a rollback (nil once the group has committed or given up).
func (s *Selling) commitGroup(group []*reservation) (again []*reservation, err error) {
	ctx := context.Background()
	if err := s.chainIfDue(ctx); err != nil {
		return nil, err
	}
	conn, release, err := s.writeConn(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	err = conn.Raw(func(dc any) error {
		pc, ok := dc.(*stdlib.Conn)
		if !ok {
			return errors.New("not a pgx connection")
		}
		var bad bool
		again, bad, err = s.pipelineGroup(ctx, pc.Conn(), group)
		if bad {
			return driver.ErrBadConn // its transaction's state is unknown: discard it
		}
		return err
	})
	return again, err
}

// seller is who the reservation's tickets go to and by.
func (s *Selling) seller(r *reservation) seller {
	by := r.actor.ID()
	return seller{sender: r.order.Sender, holder: s.holderAddress(r.address, by, r.order.Sender), by: by}
}
