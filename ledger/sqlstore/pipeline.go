package sqlstore

import (
	"cmp"
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
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
//  1. BEGIN; the write locks of every contract involved; each contract (contractQuery);
//     takeSQL for every seat of every order, sorted by contract and seat so that two
//     groups racing for the same seats wait for each other instead of deadlocking.
//  2. A journal row for each order that succeeded; COMMIT.
//
// Between the two, the checks reserveAll and sell make run on what came back: the key
// may sell on the contract, the sale is open at the height, every seat of the order was
// taken, the identity policy and the amount hold. An order that fails them having taken
// no seat changed nothing and simply leaves the group. One that took some of its seats
// (another order of the group, or of another server, had the rest) makes the group roll
// back and run again without it. Every order that leaves the group, and every order of a
// group that fails as a whole, runs as the ordinary write (update), which gives the exact
// answer and its error in Ticketbooth's order: the fast path never answers a refusal
// itself.
//
// The height is chosen before the locks are held, unlike in update. That is sound:
// takeSQL refuses a height below the closed mark, and the mark cannot move while the
// sealing lock is held shared (seal.go), so a group whose seats were taken also writes its
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
	s     *Store
	queue *queue[*reservation]
	wg    sync.WaitGroup
}

func startPipeliner(s *Store, workers int) *pipeliner {
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
func (s *Store) commitReservations(group []*reservation) {
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
func (s *Store) commitGroup(group []*reservation) (again []*reservation, err error) {
	ctx := context.Background()
	if err := s.sealIfDue(ctx); err != nil {
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
func (s *Store) seller(r *reservation) seller {
	by := r.actor.ID()
	return seller{sender: r.order.Sender, holder: s.holderAddress(r.address, by, r.order.Sender), by: by}
}

// groupTake is one seat of one order of a group.
type groupTake struct {
	r    *reservation
	i    int // the ticket's position in the order
	seat ledger.Seat
}

// pipelineGroup sends the two pipelines. bad reports a connection left in an unknown
// state.
func (s *Store) pipelineGroup(ctx context.Context, pc *pgx.Conn, group []*reservation) (again []*reservation, bad bool, err error) {
	w := s.newWtx(runner{}, ledger.Actor{}, s.now())
	var addresses []string
	var takes []groupTake
	for _, r := range group {
		if !slices.Contains(addresses, r.address) {
			addresses = append(addresses, r.address)
		}
		for i, t := range r.order.Tickets {
			takes = append(takes, groupTake{r: r, i: i, seat: t.Seat})
		}
	}
	slices.SortStableFunc(takes, func(a, b groupTake) int {
		return cmp.Or(cmp.Compare(a.r.address, b.r.address), cmp.Compare(a.seat.Section, b.seat.Section),
			cmp.Compare(a.seat.Number, b.seat.Number), cmp.Compare(a.seat.Letter, b.seat.Letter))
	})

	b := &pgx.Batch{}
	b.Queue("BEGIN")
	b.Queue(s.d.sharedLocksSQL(addresses))
	for _, a := range addresses {
		b.Queue(s.d.bind(contractQuery), a)
	}
	b.Queue(closedQuery)
	for _, t := range takes {
		b.Queue(s.d.bind(takeSQL), takeArgs(t.r.address, t.r.order.Tickets[t.i], s.seller(t.r), w.height)...)
	}
	contracts := map[string]ledger.Contract{}
	taken := map[*reservation][]takenSeat{}
	count := map[*reservation]int{}
	for _, r := range group {
		taken[r] = make([]takenSeat, len(r.order.Tickets))
	}
	br := pc.SendBatch(ctx, b)
	_, err = br.Exec()
	if err == nil {
		_, err = br.Exec()
	}
	for _, a := range addresses {
		if err != nil {
			break
		}
		var c ledger.Contract
		c, err = scanContract(br.QueryRow(), a)
		if ledger.ErrorCode(err) == ledger.ENOTFOUND {
			err = nil // its orders took no seat and run as ordinary writes
			continue
		}
		contracts[a] = c
	}
	var closed int64
	if err == nil {
		err = br.QueryRow().Scan(&closed)
	}
	for _, t := range takes {
		if err != nil {
			break
		}
		ts := &taken[t.r][t.i]
		err = br.QueryRow().Scan(&ts.idx, &ts.price)
		if errors.Is(err, pgx.ErrNoRows) {
			err = nil
			continue
		}
		count[t.r]++
	}
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, !rollback(ctx, pc), err
	}

	type success struct {
		r   *reservation
		eff ticketsReserved
	}
	var ok []success
	var refused []*reservation // took no seat where nothing else stood in the way
	var dirty bool
	for _, r := range group {
		c, found := contracts[r.address]
		var eff ticketsReserved
		fine := found && reservable(r.actor, c, r.order, w.height)
		switch {
		case fine && count[r] == len(r.order.Tickets):
			eff, err = orderEffect(ticketsReserved{Holder: s.seller(r).holder, Sale: c.Sale.Number}, r.order, taken[r])
			if err == nil {
				ok = append(ok, success{r, eff})
			} else {
				dirty = true
			}
		case count[r] > 0:
			dirty = true // it holds seats it must not keep
		case fine && closed <= w.height:
			refused = append(refused, r)
		}
	}
	if dirty {
		if !rollback(ctx, pc) {
			return nil, true, errors.New("rolling back a group failed")
		}
		for _, o := range ok {
			again = append(again, o.r)
		}
		return again, false, nil
	}

	// The journal rows; for each order refused, whether its seats exist (to word the
	// refusal as reserveAll would); then COMMIT, or ROLLBACK when nothing succeeded.
	b = &pgx.Batch{}
	receipts := make([]ledger.Receipt, len(ok))
	for k, o := range ok {
		w.actor = o.r.actor
		body, data, hash, err := w.encode(ledger.TxTicketsReserved, o.r.address, o.eff)
		if err != nil {
			return nil, !rollback(ctx, pc), err
		}
		receipts[k] = receiptOf(body, hash)
		b.Queue(pipelineJournalSQL(s.d), hash, w.height, o.r.address, ledger.TxTicketsReserved, string(data))
	}
	for _, r := range refused {
		for _, t := range r.order.Tickets {
			b.Queue(s.d.bind(seatIndexSQL), r.address, t.Seat.Section, t.Seat.Number, t.Seat.Letter)
		}
	}
	end := "COMMIT"
	if len(ok) == 0 {
		end = "ROLLBACK"
	}
	b.Queue(end)
	refusals, err := s.finishGroup(ctx, pc, b, len(ok), refused)
	if err != nil {
		var pe *pgconn.PgError
		if errors.As(err, &pe) || len(ok) == 0 {
			// The server refused a statement or the commit: nothing was committed.
			return nil, !rollback(ctx, pc), err
		}
		for _, o := range ok {
			o.r.done, o.r.err = true, err
		}
		return nil, true, err
	}
	for k, o := range ok {
		o.r.out, o.r.done = orderReceipt(receipts[k], o.eff), true
	}
	for k, r := range refused {
		r.done, r.err = true, refusals[k]
	}
	s.pipelined.Add(int64(len(ok)))
	return nil, false, nil
}

// finishGroup sends the second pipeline (inserts journal rows, then for each refused
// order looks up its seats, then ends the transaction) and returns each refused order's
// refusal: its first seat the contract lacks, or else its first seat in seat order, the
// one reserveAll would have found taken.
func (s *Store) finishGroup(ctx context.Context, pc *pgx.Conn, b *pgx.Batch, inserts int, refused []*reservation) ([]error, error) {
	br := pc.SendBatch(ctx, b)
	var err error
	for range inserts {
		if _, err = br.Exec(); err != nil {
			break
		}
	}
	refusals := make([]error, len(refused))
	for k, r := range refused {
		for _, t := range r.order.Tickets {
			if err != nil {
				break
			}
			var idx int
			err = br.QueryRow().Scan(&idx)
			if errors.Is(err, pgx.ErrNoRows) {
				err = nil
				if refusals[k] == nil {
					refusals[k] = errInvalidSeat(t.Seat)
				}
			}
		}
		if refusals[k] == nil {
			refusals[k] = errNotAvailable(r.order.Tickets[seatOrder(r.order.Tickets)[0]].Seat)
		}
	}
	if err == nil {
		_, err = br.Exec()
	}
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	return refusals, err
}

// reservable runs, on what the first pipeline read, the checks of sell and reserveAll
// that do not need the database. (Reserve checked the key's role before queueing the
// order; it is checked again so that no way into a group skips it.)
func reservable(actor ledger.Actor, c ledger.Contract, o ledger.Order, height int64) bool {
	if _, err := ledger.Authorize(ledger.WithActor(context.Background(), actor), ledger.RoleBoxOffice, ledger.RoleOrganizer); err != nil {
		return false
	}
	if ledger.AuthorizeSeller(actor, c.Owner, c.Address) != nil || !ledger.SaleOpen(c, height) {
		return false
	}
	// The group's height was read before its locks were held: if it waited for the sale
	// to begin, that height comes before the sale's own. The ordinary write reads the
	// clock again.
	if height < c.Sale.BegunHeight {
		return false
	}
	for _, t := range o.Tickets {
		if ledger.CheckIdentity(c.Rules.RequireIdentityVerification, t) != nil {
			return false
		}
	}
	return true
}

// rollback ends the connection's transaction, reporting whether it could.
func rollback(ctx context.Context, pc *pgx.Conn) bool {
	_, err := pc.Exec(context.WithoutCancel(ctx), "ROLLBACK")
	return err == nil
}
